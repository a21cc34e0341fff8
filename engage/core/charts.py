"""Server-rendered SVG bar charts, each with a table equivalent for screen readers.

The SVG is decorative for assistive technology (aria-hidden) and the page shows the
same figures as a table (`templates/_macros/charts.html`), so nothing depends on
seeing the chart. No inline style: colours are presentation attributes (CSP).
"""

from dataclasses import dataclass
from itertools import count
from xml.sax.saxutils import escape

from flask_babel import format_decimal
from markupsafe import Markup

BAR_HEIGHT = 26
GAP = 10
LABEL_WIDTH = 230
BAR_AREA = 300
VALUE_WIDTH = 70
COLOURS = ("#5a2d82", "#0b6e4f", "#9c4221", "#1d4e89", "#6b6478")
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    detail: str = ""  # e.g. a percentage shown after the value


def _truncate(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: list[Bar], *, maximum: float | None = None) -> Markup:
    """A horizontal bar chart as inline SVG markup."""
    maximum = maximum if maximum is not None else max((b.value for b in bars), default=0)
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-hidden="true" focusable="false">'
    ]
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = 0 if not maximum else round(BAR_AREA * bar.value / maximum, 1)
        colour = COLOURS[index % len(COLOURS)]
        value = format_decimal(bar.value)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.68}" text-anchor="end" '
            f'font-size="14" fill="#1b1b1f">{escape(_truncate(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + BAR_HEIGHT * 0.68}" font-size="14" '
            f'fill="#1b1b1f">{escape(value)}{escape(" " + bar.detail if bar.detail else "")}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part is escaped above


def init_app(app) -> None:
    app.jinja_env.globals["bar_chart"] = bar_chart
