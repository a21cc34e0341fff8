"""Finds live markup in a page: what a browser would execute or load."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "svg", "img", "math", "base",
                  "form", "meta", "link", "frame", "video", "audio", "source"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


def _own_script(tag: str, attrs: dict) -> bool:
    """The site's own scripts: files under /static/ (the CSP allows no inline script)."""
    return tag == "script" and (attrs.get("src") or "").startswith("/static/")


class _Finder(HTMLParser):
    def __init__(self, allowed_tags):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS and tag not in self.allowed_tags \
                and not _own_script(tag, dict(attrs)):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{tag}[{name}={value[:30]}]")


def live_markup(html: str, allowed_tags=frozenset()) -> list[str]:
    """Tags and attributes in `html` that would run or load something."""
    finder = _Finder(set(allowed_tags))
    finder.feed(html)
    return finder.problems
