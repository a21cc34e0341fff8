"""Server-rendered SVG bar charts, each with a table equivalent for screen readers.

The SVG is decorative for assistive technology (aria-hidden) and the page shows the
same figures as a table (`templates/_macros/charts.html`), so nothing depends on
seeing the chart. No inline style: colours are presentation attributes (CSP).

Nothing is clipped: long labels wrap onto several lines (tspans), and the label column,
the rows and the whole drawing are sized from the text they hold, measured with an upper
bound of the advance widths of DejaVu Sans (the PDF's font; Verdana's are alike, other sans
fonts narrower). The drawing then scales down as a whole where space is short.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
FONT_SIZE = 14
LINE_HEIGHT = 17
BAR_HEIGHT = 26
GAP = 10
LABEL_WRAP = 260  # a label longer than this (px) goes on to another line
PAD = 8  # between the drawing's edge, the labels, the bars and the values
BAR_AREA = 300
COLOURS = ("#5a2d82", "#0b6e4f", "#9c4221", "#1d4e89", "#6b6478")

# Widths in em, each at least that of the widest character of its class in DejaVu Sans.
_NARROW = frozenset(" \u00a0\u202f\u2009'’‘.,:;·|/\\!()[]-fijlrtIJ")
_WIDE = frozenset("mwMW%@—…œæŒÆ")
_CAPS_AND_SIGNS = frozenset("ABCDEFGHKLNOPQRSTUVXYZ#&+<=>^~")
_EM = {"narrow": 0.42, "wide": 1.05, "caps": 0.85, "other": 0.64, "foreign": 1.05}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    detail: str = ""  # e.g. a percentage shown after the value
    key: int | str | None = None  # what the bar counts (an option id…), for the downloads


@lru_cache(maxsize=4096)  # a page measures thousands of characters, of few kinds
def _char_width(char: str) -> float:
    base = unicodedata.normalize("NFD", char)[0]  # é is as wide as e
    if unicodedata.combining(char):
        return 0.0
    if base in _NARROW:
        return _EM["narrow"]
    if base in _WIDE:
        return _EM["wide"]
    if base in _CAPS_AND_SIGNS:
        return _EM["caps"]
    if base.isascii() or base in "«»–“”":
        return _EM["other"]
    return _EM["foreign"]


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The width of `text` in px at `size`: never less than DejaVu Sans draws it."""
    return round(sum(_char_width(char) for char in text) * size, 1)


def wrap(text: str, width: float = LABEL_WRAP) -> list[str]:
    """Lines of at most `width` px, broken between words; a longer word keeps its own line."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(bars: list[Bar], *, maximum: float | None = None,
              title: str | None = None) -> Markup:
    """A horizontal bar chart as inline SVG markup.

    `title`: the text alternative that tagged PDFs give the figure (a default says where
    the same figures are).
    """
    return _drawn(tuple(bars), maximum, title, str(get_locale()))


# Pages show the same figures on every view until they change: each process keeps the
# recent drawings (measuring every label's characters costs about a millisecond a chart).
# The locale is part of the key (numbers, the default title).
@lru_cache(maxsize=1024)
def _drawn(bars: tuple[Bar, ...], maximum: float | None, title: str | None,
           _locale: str) -> Markup:
    maximum = maximum if maximum is not None else max((b.value for b in bars), default=0)
    labels = [wrap(bar.label) for bar in bars]
    values = [format_decimal(bar.value) + (" " + bar.detail if bar.detail else "")
              for bar in bars]
    label_width = max((text_width(line) for lines in labels for line in lines), default=0)
    bars_left = PAD + label_width + PAD
    lengths = [0 if not maximum else round(BAR_AREA * bar.value / maximum, 1) for bar in bars]
    right = max([bars_left + BAR_AREA]
                + [bars_left + length + 6 + text_width(value)
                   for length, value in zip(lengths, values, strict=True)])
    width = round(right + PAD)
    rows = [max(BAR_HEIGHT, len(lines) * LINE_HEIGHT + 6) for lines in labels]
    height = round(GAP + sum(row + GAP for row in rows)) if bars else BAR_HEIGHT + 2 * GAP
    alternative = title or _("Bar chart: the table that follows gives the same figures.")
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT_FAMILY}" '
        f'font-size="{FONT_SIZE}" aria-hidden="true" focusable="false">'
        f'<title>{escape(alternative)}</title>'
    ]
    y = GAP
    for index in range(len(bars)):
        row = rows[index]
        lines = labels[index]
        colour = COLOURS[index % len(COLOURS)]
        bar_top = y + (row - BAR_HEIGHT) / 2
        middle = y + row / 2
        # Baselines: the block of lines centred on the row (0.36 em: half a capital's height).
        first = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.36
        spans = "".join(
            f'<tspan x="{_number(bars_left - PAD)}" '
            f'y="{_number(round(first + n * LINE_HEIGHT, 1))}">{escape(line)}</tspan>'
            for n, line in enumerate(lines))
        parts.append(
            f'<text text-anchor="end" fill="#1b1b1f">{spans}</text>'
            f'<rect x="{_number(bars_left)}" y="{_number(bar_top)}" width="{lengths[index]}" '
            f'height="{BAR_HEIGHT}" fill="{colour}"/>'
            f'<text x="{_number(bars_left + lengths[index] + 6)}" '
            f'y="{_number(round(middle + FONT_SIZE * 0.36, 1))}" '
            f'fill="#1b1b1f">{escape(values[index])}</text>'
        )
        y += row + GAP
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part is escaped above


def init_app(app) -> None:
    app.jinja_env.globals["bar_chart"] = bar_chart
