"""What a served application loads before its first request, not during it.

Some libraries cost seconds the first time a process uses them, and that first time was a
person's request: the first PDF (WeasyPrint's import and its fonts), the first summary
editor (the CMU pronouncing dictionary and the hyphenation dictionaries of the readability
score). Every template was compiled by the
first request that showed it, and each language's catalog and Babel data by the first page
in that language.

`warm_up(app)` does all of it once. Only the served application calls it (wsgi.py, once
per gunicorn worker, before the worker takes requests): tests and `flask` commands never
pay for it. A library that cannot be loaded here (WeasyPrint without Pango, say) is logged
and skipped: the page that needs it says so when asked, as before.
"""

import importlib
import logging
from datetime import UTC, datetime

from flask import Flask
from flask_babel import force_locale, format_date, format_datetime, format_decimal, get_translations

from engage.core import pdf, readability

log = logging.getLogger(__name__)

# Imported on first use by the pages that need them (so that the app starts without them).
HEAVY_MODULES = (
    "weasyprint",  # engage.core.pdf: the outcome report and the committee pack
    "fontTools.subset",  # WeasyPrint's font subsetting, imported on the first PDF
)

# A small document in the PDFs' font, with what they hold: bold, italic, a table, a chart.
SAMPLE_PDF = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Engage</title>
<style>body { font-family: "DejaVu Sans", sans-serif; }</style></head><body>
<h1>Engage</h1><p><strong>Démocratie sanitaire</strong> – <em>health democracy</em></p>
<table><tr><th scope="col">A</th><td>1</td></tr></table>
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10" role="img"><title>1</title>
<rect width="20" height="10"/><text x="22" y="9">1</text></svg></body></html>"""

SAMPLE_TEXTS = {
    "fr": "Les patients participent à la recherche. Leur avis compte.",
    "en": "Patients and carers take part in research. Their opinion matters.",
}


def warm_up(app: Flask) -> list[str]:
    """Load what the first requests would otherwise load; returns what failed (logged)."""
    failed = [name for name in HEAVY_MODULES if not _attempt(name, importlib.import_module, name)]
    if not _attempt("a sample PDF", pdf.write_pdf, SAMPLE_PDF):
        failed.append("a sample PDF")
    for language in readability.SUPPORTED_LANGUAGES:
        if not _attempt(f"readability ({language})", readability.measure,
                        SAMPLE_TEXTS.get(language, SAMPLE_TEXTS["en"]), language):
            failed.append(f"readability ({language})")
    for language in app.config["LANGUAGES"]:
        _load_language(app, language)
    failed += _compile_templates(app)
    return failed


def _attempt(what: str, load, *args) -> bool:
    try:
        load(*args)
    except (ImportError, OSError, ValueError) as error:
        log.warning("warm-up: %s could not be loaded: %s", what, error)
        return False
    return True


def _load_language(app: Flask, language: str) -> None:
    """The catalog and Babel's locale data (names of months, number formats)."""
    with app.test_request_context(f"/{language}/"), force_locale(language):
        get_translations()
        moment = datetime.now(UTC)
        format_date(moment.date())
        format_datetime(moment)
        format_decimal(1.5)


def _compile_templates(app: Flask) -> list[str]:
    """Every template, compiled into the environment's cache (it holds up to 400)."""
    failed = []
    for name in app.jinja_env.list_templates():
        try:
            app.jinja_env.get_template(name)
        except Exception:  # a broken template fails on its own page, not the whole server
            log.exception("warm-up: template %s does not compile", name)
            failed.append(name)
    return failed
