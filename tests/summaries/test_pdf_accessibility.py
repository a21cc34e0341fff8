"""Every generated PDF report is tagged PDF/UA-1, with its title and language
(engage.core.pdf): the outcome report of a consultation, here, and the committee pack of a
funding call (tests/reviews/test_pack_accessibility.py), the only two: the priority-setting
results have CSV downloads, no PDF.

Checked with poppler's `pdfinfo` ("Tagged: yes", "Title: …", the XMP metadata), the
language in the document catalogue, and WeasyPrint's own log: it reports there, as errors,
what PDF/UA misses (no language, an image without a text alternative).
"""

import logging
import re
import shutil
import subprocess
import zlib

import pytest

from tests.conftest import missing
from tests.factories import stored
from tests.factories.results import published_report

TITLES = {"en": "Outcome of the consultation “Living after cancer”",
          "fr": "Bilan de la consultation «\u00a0Vivre après un cancer\u00a0»"}


def pdf_facts(data: bytes, tmp_path) -> dict:
    """pdfinfo's fields, its XMP metadata ("meta") and the catalogue's /Lang ("lang")."""
    if not shutil.which("pdfinfo"):
        missing("pdfinfo (poppler-utils) is not installed")
    assert data.startswith(b"%PDF-")
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    facts = dict(re.findall(r"^([^:\n]+):\s*(.*)$", info, re.MULTILINE))
    facts["meta"] = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True,
                                   text=True, check=True).stdout
    facts["lang"], facts["alternatives"] = _catalogue(data)
    return facts


def _catalogue(data: bytes) -> tuple[list[str], int]:
    """The /Lang entries and the number of /Alt texts, also inside compressed streams."""
    chunks = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue  # not a Flate stream (fonts are, but carry no /Lang)
    text = b"\n".join(chunks)
    languages = [m.decode() for m in re.findall(rb"/Lang\s*\(([^)]*)\)", text)]
    # Text with accents is written as a hex UTF-16 string, <FEFF…>, else as a (literal).
    return languages, len(re.findall(rb"/Alt\s*[(<]", text))


def check_tagged(facts: dict, title: str, language: str) -> None:
    assert facts["Tagged"] == "yes"
    assert facts["Title"] == title
    assert 'pdfuaid:part="1"' in facts["meta"]  # declared PDF/UA-1
    assert facts["lang"] and set(facts["lang"]) == {language}


def weasyprint_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("weasyprint") and r.levelno >= logging.ERROR]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_outcome_report_is_tagged_with_title_and_language(app, client, tmp_path, caplog,
                                                              language):
    with stored(app):
        _consultation, summary = published_report(6)  # charts of the questionnaire in it
        summary_id = summary.id
    caplog.set_level(logging.ERROR, logger="weasyprint")
    response = client.get(f"/{language}/summaries/{summary_id}/report.pdf")
    assert response.status_code == 200
    facts = pdf_facts(response.data, tmp_path)
    check_tagged(facts, TITLES[language], language)
    # Each chart (3 questions, 2 participation figures) has its text alternative.
    assert facts["alternatives"] >= 5
    assert weasyprint_errors(caplog) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_accessibility_statement_says_so(client, language):
    page = client.get(f"/{language}/accessibility")
    assert page.status_code == 200
    assert "PDF/UA" in page.text
