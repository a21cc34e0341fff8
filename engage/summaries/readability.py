"""The readability of a summary, against the configured target.

`READABILITY_TARGET` (default 60: plain language on the Flesch and Kandel–Moles scales)
can be changed in the configuration. Citations and Markdown are removed before measuring.
"""

from flask import current_app, has_app_context

from engage.core.markdown import plain_text
from engage.core.readability import PLAIN_LANGUAGE_TARGET, SUPPORTED_LANGUAGES, Readability, measure
from engage.summaries.citations import strip_citations


def target() -> float:
    if has_app_context():
        return float(current_app.config["READABILITY_TARGET"])
    return PLAIN_LANGUAGE_TARGET


def measure_summary(text: str | None, language: str) -> Readability | None:
    """None for a language without a formula."""
    if language not in SUPPORTED_LANGUAGES:
        return None
    return measure(plain_text(strip_citations(text)), language, target=target())
