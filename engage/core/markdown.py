"""Safe Markdown: a small subset rendered by markdown-it-py, then sanitized by nh3."""

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML is never passed through; nh3 then removes anything else unsafe.
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.disable(["image"])

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code", "pre",
    "h2", "h3", "h4", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> Markup:
    """HTML safe to insert in a page, from a user's Markdown."""
    if not text:
        return Markup("")
    return Markup(_render(text))  # noqa: S704 - sanitized by nh3 in _render


# Rendering is a pure function of the text, and a page shows dozens of texts that other
# pages showed before: each process keeps the most recent results.
@lru_cache(maxsize=2048)
def _render(text: str) -> str:
    rendered = _renderer.render(text)
    # Headings written as "# Title" become h2: the page keeps its single h1.
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return cleaned


def plain_text(text: str | None) -> str:
    """The text of a Markdown source without markup (for snippets and exports)."""
    if not text:
        return ""
    return _plain_text(text)


@lru_cache(maxsize=2048)
def _plain_text(text: str) -> str:
    return html.unescape(nh3.clean(_renderer.render(text), tags=set())).strip()


def init_app(app) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
