"""No published figure describes fewer than 5 people: a closed consultation's questionnaire
answered by 1, 4, 5 and 6 people (tests/factories/results.py), in every output: the
consultation page, the outcome report page and its PDF, the JSON and CSV downloads, the API.

With 1 or 4 people, no question shows a breakdown or a count of answers. With 5, every
figure is shown. With 6, the carer (1 person) is counted together with the people who have
had cancer (5), under "Other answers", so that the carer cannot be worked out from the
total; in the multiple-choice question, "Access to loans and insurance" (2 people) and
"Return to work" (3 other people) make one group of 5 people.
"""

import csv
import io
import re
import shutil
import subprocess

import pytest

from tests.conftest import missing
from tests.factories import stored
from tests.factories.results import (
    CANCER,
    CARER,
    FATIGUE,
    LOANS,
    PROFESSIONAL,
    WORK,
    published_report,
)

OTHER = "Other answers (groups under 5 people)"
WITHHELD = "Fewer than 5 answers"
LOW, HIGH = "1 – Not important", "5 – Very important"


def _scale(count: int) -> list[tuple[str, int]]:
    return [(LOW, 0), ("2", 0), ("3", 0), ("4", 0), (HIGH, count)]


# Per number of respondents: the (answer, figure) rows of each question; None: withheld.
EXPECTED = {
    1: [None, None, None],
    4: [None, None, None],
    5: [[(CANCER[1], 5), (CARER[1], 0), (PROFESSIONAL[1], 0)],
        [(FATIGUE[1], 5), (OTHER, 5)],
        _scale(5)],
    6: [[(PROFESSIONAL[1], 0), (OTHER, 6)],
        [(FATIGUE[1], 6), (OTHER, 5)],
        _scale(6)],
}
# Per number of respondents: the options (their index) counted under "Other answers".
GROUPED = {5: [[], [1, 2], []], 6: [[0, 1], [1, 2], []]}
# Labels that must never appear next to a figure of 1 to 4 people.
HIDDEN = {1: [CANCER[1], FATIGUE[1], LOANS[1], WORK[1], HIGH],
          4: [CANCER[1], FATIGUE[1], LOANS[1], WORK[1], HIGH],
          5: [LOANS[1], WORK[1]],
          6: [CANCER[1], CARER[1], LOANS[1], WORK[1]]}
SIZES = sorted(EXPECTED)


@pytest.fixture(params=SIZES, ids=[f"{n}-respondents" for n in SIZES])
def report(request, app):
    with stored(app):
        consultation, summary = published_report(request.param)
        ids = {"consultation_id": consultation.id, "summary_id": summary.id,
               "options": [[o.id for o in q.options] for q in consultation.questions]}
    return {"respondents": request.param, **ids}


def _rows(html: str) -> list[tuple[str, int]]:
    """(answer, figure) of the tables of a results section."""
    return [(label, int(value.split()[0])) for label, value in
            re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', html)]


def _results_section(html: str) -> str:
    start = html.index('id="results"')
    return html[start:html.index("</section>", start)]


def _check_page(html: str, respondents: int) -> None:
    section = _results_section(html)
    expected = EXPECTED[respondents]
    flat = [row for rows in expected if rows for row in rows]
    assert _rows(section) == flat
    assert section.count(WITHHELD) == sum(1 for rows in expected if rows is None)
    for label in HIDDEN[respondents]:
        assert label not in section
    answers = re.findall(r"(\d+) answers?</p>", section)
    assert answers == ([] if respondents < 5 else [str(respondents)] * 3)


def test_consultation_page(app, client, report):
    page = client.get(f"/en/consultations/{report['consultation_id']}")
    assert page.status_code == 200
    _check_page(page.text, report["respondents"])


def test_outcome_report_page(app, client, report):
    page = client.get(f"/en/summaries/{report['summary_id']}")
    assert page.status_code == 200
    _check_page(page.text, report["respondents"])


def test_outcome_report_pdf(app, client, report, tmp_path):
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(client.get(f"/en/summaries/{report['summary_id']}/report.pdf").data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    section = " ".join(text[text.index("Questionnaire results"):
                            text.index("Arguments by theme")].split())
    respondents = report["respondents"]
    assert section.count(WITHHELD) == (3 if respondents < 5 else 0)
    for label in HIDDEN[respondents]:
        assert label not in section
    for rows in EXPECTED[respondents]:
        for label, _value in rows or []:
            assert label in section  # in the chart and in its table


def test_json_download(app, client, report):
    body = client.get(f"/en/summaries/{report['summary_id']}/contributions.json").json
    questions = body["questionnaire"]["questions"]
    respondents = report["respondents"]
    assert body["questionnaire"]["small_cell_threshold"] == 5
    for question, rows, options in zip(questions, EXPECTED[respondents], report["options"],
                                       strict=True):
        if rows is None:
            assert question["withheld"] is True and question["respondents"] is None
            assert question["answers"] == [] and question["mean"] is None
            continue
        assert question["withheld"] is False and question["respondents"] == respondents
        assert [(a["label"], a["value"]) for a in question["answers"]] == rows
        assert question["grouped_option_ids"] == [
            options[index] for index in GROUPED[respondents][questions.index(question)]]


def test_csv_download(app, client, report):
    report_page = client.get(f"/en/summaries/{report['summary_id']}").text
    link = f"/en/summaries/{report['summary_id']}/questionnaire.csv"
    assert f'href="{link}" download>The questionnaire’s results (CSV)' in report_page
    response = client.get(link)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="engage-questionnaire-{report["consultation_id"]}-en.csv"')
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = lines[0], lines[1:]
    assert header == ["question", "respondents", "answer", "value", "detail", "note"]
    respondents = report["respondents"]
    expected = EXPECTED[respondents]
    if respondents < 5:
        assert [row[1] for row in body] == ["fewer than 5"] * 3
        assert all(row[2] == row[3] == "" and row[5].startswith(WITHHELD) for row in body)
    else:
        assert [(row[2], int(row[3])) for row in body] == [r for rows in expected for r in rows]
        assert {row[1] for row in body} == {str(respondents)}
    text = "\n".join(",".join(row) for row in body)
    for label in HIDDEN[respondents]:
        assert label not in text


def test_api_results(app, client, report):
    """Read-only check of the API (engage/api), which reads the same figures."""
    response = client.get(f"/api/v1/consultations/{report['consultation_id']}/results?lang=en")
    assert response.status_code == 200, response.text
    questions = response.get_json()["questions"]
    respondents = report["respondents"]
    for question, rows, options in zip(questions, EXPECTED[respondents], report["options"],
                                       strict=True):
        if rows is None:
            assert question["withheld"] is True and question["respondents"] is None
            assert question["options"] == question["scale"] == []
            assert question["mean"] is None and question["other"] is None
            continue
        assert question["withheld"] is False and question["respondents"] == respondents
        if question["kind"] == "scale":
            assert [s["count"] for s in question["scale"]] == [v for _label, v in rows]
            continue
        by_label = dict(rows)
        shown = [(option["labels"]["en"], option["count"]) for option in question["options"]]
        assert shown == [(label, v) for label, v in rows if label != OTHER]
        other = question["other"]
        assert (other["count"] if other else None) == by_label.get(OTHER)
        if other:
            assert set(other["option_ids"]) <= set(options)
            assert not {o["id"] for o in question["options"]} & set(other["option_ids"])
