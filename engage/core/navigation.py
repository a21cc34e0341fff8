"""Safe redirects after a form."""

from urllib.parse import urlsplit

from flask import redirect, request, url_for


def safe_next_url(default_endpoint: str = "pages.home") -> str:
    """The `next` parameter when it points inside this site, else a default page."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc \
            and not parts.scheme and "\\" not in target:
        return target
    return url_for(default_endpoint)


def redirect_back(default_endpoint: str = "pages.home"):
    return redirect(safe_next_url(default_endpoint))
