"""The public pages: home, about, privacy, accessibility, legal notice."""
