"""Safe redirects after a form."""

import unicodedata
from urllib.parse import urlsplit

from flask import redirect, request, url_for


def _has_control_character(target: str) -> bool:
    # A CR or LF cannot go in a Location header (Werkzeug raises: a 500 after the form's
    # work was done), and browsers drop tabs and newlines from URLs, so "/\t/evil.example"
    # would lead to "//evil.example", another site.
    return any(unicodedata.category(character) == "Cc" for character in target)


def is_local_path(target: str) -> bool:
    """Whether `target` is a path of this site that a redirect may lead to."""
    parts = urlsplit(target)
    return target.startswith("/") and not target.startswith("//") and not parts.netloc \
        and not parts.scheme and "\\" not in target and not _has_control_character(target)


def safe_next_url(default_endpoint: str = "pages.home") -> str:
    """The `next` parameter when it points inside this site, else a default page."""
    target = request.values.get("next", "")
    if is_local_path(target):
        return target
    return url_for(default_endpoint)


def redirect_back(default_endpoint: str = "pages.home"):
    return redirect(safe_next_url(default_endpoint))
