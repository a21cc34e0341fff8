"""Filled by the pages of issue 19."""
