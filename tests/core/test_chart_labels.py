"""No chart label is clipped (engage.core.charts): every label and value is drawn whole
inside the SVG's viewBox, long labels on several lines, measured here with the real
advance widths of DejaVu Sans (the PDF's font), independently of the chart's own estimate.

The labels are those the issue saw clipped: "es (groupes de moins de 5 per…",
"cès à l'emprunt", "1 (100 %".
"""

import re
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest
from flask_babel import force_locale

from engage.core.charts import FONT_SIZE, LABEL_WRAP, Bar, bar_chart
from tests.conftest import missing

SVG = "{http://www.w3.org/2000/svg}"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

LABELS = [
    "Autres (groupes de moins de 5 personnes)",
    "Accès à l’emprunt et à l’assurance",
    "Personne ayant eu un cancer",
    "Q12 – Quels accompagnements réduisent la fatigue persistante après une chimiothérapie "
    "chez les adultes de plus de 70 ans ?",
    "Anticonstitutionnellementextraordinairementlong",  # one word: never cut
    "WWWWWWWWWWWWWWWWWWWW %%%% MMMM",  # the widest letters
    "1",
]


@pytest.fixture(scope="module")
def advance():
    """Width in px of a text at FONT_SIZE, from DejaVu Sans' own metrics."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # pragma: no cover - installed with WeasyPrint
        missing("fontTools (installed with WeasyPrint) is missing")
    if not DEJAVU.exists():
        missing("the DejaVu fonts are not installed")
    font = TTFont(str(DEJAVU))
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    units = font["head"].unitsPerEm

    def width(text: str) -> float:
        return sum(metrics[cmap.get(ord(c), ".notdef")][0] for c in text) * FONT_SIZE / units

    return width


def _chart(bars, language="fr") -> ET.Element:
    from flask import Flask
    from flask_babel import Babel

    app = Flask(__name__)
    Babel(app)
    with app.test_request_context("/"), force_locale(language):
        return ET.fromstring(str(bar_chart(bars)))  # noqa: S314 - our own markup


def _lines(svg: ET.Element):
    """(text element, [(x, y, line)]) of every text."""
    for text in svg.iter(f"{SVG}text"):
        spans = list(text.iter(f"{SVG}tspan"))
        if spans:
            yield text, [(float(s.get("x")), float(s.get("y")), s.text or "") for s in spans]
        else:
            yield text, [(float(text.get("x")), float(text.get("y")), text.text or "")]


def _box(svg: ET.Element) -> tuple[float, float]:
    _x, _y, width, height = (float(v) for v in svg.get("viewBox").split())
    assert (svg.get("width"), svg.get("height")) == (f"{width:g}", f"{height:g}")
    return width, height


def _check_nothing_clipped(svg: ET.Element, advance) -> None:
    width, height = _box(svg)
    for text, lines in _lines(svg):
        end = text.get("text-anchor") == "end"
        for x, y, line in lines:
            drawn = advance(line)
            left, right = (x - drawn, x) if end else (x, x + drawn)
            assert left >= 0 and right <= width, (line, left, right, width)
            assert y - FONT_SIZE * 0.76 >= 0 and y + FONT_SIZE * 0.24 <= height, line


def test_every_label_is_whole_and_inside(advance):
    bars = [Bar(label, value, "(100 %)") for value, label in enumerate(LABELS, start=1)]
    svg = _chart(bars)
    _check_nothing_clipped(svg, advance)
    drawn = [" ".join(line for _x, _y, line in lines)
             for text, lines in _lines(svg) if text.get("text-anchor") == "end"]
    assert drawn == LABELS
    assert "…" not in ET.tostring(svg, encoding="unicode")


def test_a_long_label_wraps_and_its_row_grows(advance):
    long = LABELS[3]
    svg = _chart([Bar(long, 3), Bar("Court", 1)])
    labels = [lines for text, lines in _lines(svg) if text.get("text-anchor") == "end"]
    assert len(labels[0]) >= 3 and len(labels[1]) == 1
    assert all(advance(line) <= LABEL_WRAP for _x, _y, line in labels[0])
    baselines = [y for lines in labels for _x, y, _line in lines]
    assert all(b - a >= FONT_SIZE for a, b in pairwise(baselines))
    rects = [float(r.get("y")) for r in svg.iter(f"{SVG}rect")]
    first_bar_bottom = rects[0] + float(next(svg.iter(f"{SVG}rect")).get("height"))
    assert labels[0][-1][1] < rects[1] and first_bar_bottom < rects[1]
    _check_nothing_clipped(svg, advance)


def test_the_label_column_is_sized_from_the_labels(advance):
    """The column grows with the longest label (computed from its length), never less."""
    short, wide = _chart([Bar("Oui", 3)]), _chart([Bar(LABELS[4], 3)])
    short_width, wide_width = _box(short)[0], _box(wide)[0]
    assert wide_width - short_width >= advance(LABELS[4]) - advance("Oui") - 1
    rect = next(wide.iter(f"{SVG}rect"))
    assert float(rect.get("x")) >= advance(LABELS[4])


def test_the_value_after_the_longest_bar_fits(advance):
    """"1 (100 %" was cut at the right edge: the drawing now ends after the value."""
    svg = _chart([Bar("Personne ayant eu un cancer", 1, "(100 %)")])
    _check_nothing_clipped(svg, advance)
    values = [lines[0][2] for text, lines in _lines(svg) if text.get("text-anchor") != "end"]
    assert values == ["1 (100 %)"]


def test_the_chart_has_a_text_alternative_for_tagged_pdfs():
    svg = _chart([Bar("Oui", 3)], language="en")
    assert svg.get("aria-hidden") == "true"  # the table gives the figures on the web
    assert re.match(r"Bar chart", svg.find(f"{SVG}title").text)
