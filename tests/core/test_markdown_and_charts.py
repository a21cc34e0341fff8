"""Safe Markdown rendering and the SVG charts."""

import pytest

from engage.core.charts import Bar, bar_chart
from engage.core.content import pick_translation
from engage.core.markdown import plain_text, render_markdown
from tests.markup import live_markup

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<iframe src=https://evil.example></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_never_lets_markup_through(payload):
    assert live_markup(str(render_markdown(payload))) == []


def test_markdown_keeps_the_useful_subset():
    html = str(render_markdown("# Title\n\n**bold** and *em*\n\n- one\n- two\n\n"
                               "[site](https://example.org)"))
    assert "<h2>Title</h2>" in html  # the page keeps its single h1
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html


def test_plain_text():
    assert plain_text("**Hello** <b>you</b>") == "Hello <b>you</b>"


def test_chart_escapes_labels_and_scales_bars(app):
    with app.test_request_context("/en/"):
        svg = str(bar_chart([Bar("<script>", 4), Bar("Two", 2, "(33 %)")]))
    assert live_markup(svg, allowed_tags={"svg"}) == []
    assert "&lt;script&gt;" in svg
    assert 'width="300.0"' in svg and 'width="150.0"' in svg
    assert 'aria-hidden="true"' in svg


def test_chart_with_no_value(app):
    with app.test_request_context("/en/"):
        assert 'width="0"' in str(bar_chart([Bar("Nothing", 0)]))


class Row:
    def __init__(self, language):
        self.language = language


def test_pick_translation_falls_back_to_french_then_any():
    rows = [Row("en"), Row("fr")]
    assert pick_translation(rows, "en").language == "en"
    shown = pick_translation([Row("fr")], "en")
    assert (shown.language, shown.is_fallback) == ("fr", True)
    assert pick_translation([Row("de")], "en").language == "de"
    assert pick_translation([], "en") is None
