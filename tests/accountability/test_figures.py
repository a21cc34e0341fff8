"""The network's record in figures (engage/accountability/figures.py), per year and overall:
the share of published summaries answered within 90 days and the median delay, commitments
by status, the share of top-10 research priorities taken up by a call. Shown on the impact
page, in the outcome report's PDF and in the API; kept while nothing they count changes.

The world (all dates at noon UTC):
- summary A published 2024-03-01, answered 2024-05-30 (90 days: in time), commitments
  planned and done;
- summary B published 2024-10-01, answered 2025-02-01 (123 days: late; it counts in 2024,
  its commitment, not retained, in 2025);
- summary C published 2024-12-01, a draft response only (not answered; its commitment
  counts nowhere);
- summary D published 2025-06-01, answered 2025-06-11 (10 days), commitments planned and
  in progress (by an update);
- results published 2025-09-01 with 12 ranked questions: of the top 10, Q1 (one call) and
  Q2 (two calls) are taken up; Q11 is taken up too but is not in the top 10; an exercise
  at its final workshop has ranked questions that count nowhere.
"""

import re
import shutil
import subprocess
from datetime import UTC, date, datetime

from flask import render_template
from sqlalchemy import select

from engage.accountability import figures, services
from engage.accountability.models import Commitment, CommitmentStatus, Response
from engage.accounts.models import User
from engage.extensions import db
from engage.priorities.models import Exercise, IndicativeQuestion, Stage
from engage.summaries.models import Summary
from tests.api.schema import ApiClient, SpecValidator
from tests.conftest import missing
from tests.factories import accountability as build
from tests.factories import stored


def _squeezed(text: str) -> str:
    """Runs of ASCII white space as one space (non-breaking spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", text)


def _noon(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def _respond(officer, summary, statuses, published_on: str | None):
    response, _created = services.start_response(officer, summary=summary)
    for number, status in enumerate(statuses, start=1):
        fields = {}
        if status == CommitmentStatus.DONE:
            fields = {"status": status, "done_on": date(2024, 5, 1)}
        elif status == CommitmentStatus.NOT_RETAINED:
            fields = {"status": status, "reasons": {"en": "Too costly."}}
        services.add_commitment(officer, response, build.commitment_input(
            f"Figures commitment {number}", **fields))
    if published_on is not None:
        services.publish(officer, response)
        response.published_at = _noon(published_on)
    return response


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        officer = build.officer()
        summaries = {}
        plan = {
            "A": ("2024-03-01", "2024-05-30", [CommitmentStatus.PLANNED, CommitmentStatus.DONE]),
            "B": ("2024-10-01", "2025-02-01", [CommitmentStatus.NOT_RETAINED]),
            "C": ("2024-12-01", None, [CommitmentStatus.PLANNED]),
            "D": ("2025-06-01", "2025-06-11", [CommitmentStatus.PLANNED,
                                               CommitmentStatus.PLANNED]),
        }
        responses = {}
        for name, (published_on, answered_on, statuses) in plan.items():
            summary, _items = build.published_summary()
            summary.published_at = _noon(published_on)
            summaries[name] = summary.id
            responses[name] = _respond(officer, summary, statuses, answered_on)
        db.session.flush()
        started = responses["D"].commitments[1]
        services.add_update(officer, started, texts={"en": "Work has begun."},
                            happened_on=date(2025, 7, 1), status=CommitmentStatus.IN_PROGRESS)
        exercise = build.exercise(questions=12)
        exercise.published_at = _noon("2025-09-01")
        workshop = build.exercise(Stage.FINAL_WORKSHOP, questions=3)
        questions = {q.number: q for q in db.session.scalars(
            select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id))}
        first = build.decided_call(0, status="open", title="First call")
        second = build.decided_call(0, status="open", title="Second call")
        for call, number in ((first, 1), (first, 2), (second, 2), (first, 11)):
            services.link_call(officer, call, question=questions[number])
        return {"officer": officer.id, "summaries": summaries, "exercise": exercise.id,
                "workshop": workshop.id, "done_commitment": responses["A"].commitments[1].id,
                "planned_2025": responses["D"].commitments[0].id}


def _expected_2024():
    return figures.PeriodFigures(
        year=2024, responses_in_time=figures.Share(1, 3), summaries_answered=2,
        median_delay_days=106.5,
        commitments={"planned": 1, "in_progress": 0, "done": 1, "not_retained": 0},
        priorities_taken_up=figures.Share(0, 0))


def _expected_2025():
    return figures.PeriodFigures(
        year=2025, responses_in_time=figures.Share(1, 1), summaries_answered=1,
        median_delay_days=10.0,
        commitments={"planned": 1, "in_progress": 1, "done": 0, "not_retained": 1},
        priorities_taken_up=figures.Share(2, 10))


def _expected_overall():
    return figures.PeriodFigures(
        year=None, responses_in_time=figures.Share(2, 4), summaries_answered=3,
        median_delay_days=90.0,
        commitments={"planned": 2, "in_progress": 1, "done": 1, "not_retained": 1},
        priorities_taken_up=figures.Share(2, 10))


def test_the_figures_count_each_year_and_all_years(ctx):
    found = figures.accountability_figures()
    assert found.overall == _expected_overall()
    assert found.years == (_expected_2025(), _expected_2024())  # newest first
    assert (found.response_days, found.top) == (90, 10)
    assert found.overall.responses_in_time.percent == 50
    assert found.years[1].responses_in_time.percent == 33
    assert found.years[1].priorities_taken_up.percent is None  # nothing to count


def test_without_anything_published_there_is_nothing_to_count(ctx):
    for response in db.session.scalars(select(Response)):
        response.published_at = None  # as if no response were published
    db.session.flush()
    db.session.execute(Exercise.__table__.update().values(stage=Stage.FINAL_WORKSHOP))
    db.session.execute(Summary.__table__.update().values(status="draft"))
    found = figures.compute()
    assert found.is_empty and found.years == ()
    assert found.overall.median_delay_days is None
    assert found.overall.commitments == dict.fromkeys(
        ("planned", "in_progress", "done", "not_retained"), 0)
    html = render_template("accountability/_figures.html", figures=found)
    assert '<h2 id="figures-heading">' in html
    assert "No figures yet" in html and "<table" not in html and "<ul" not in html


def test_the_impact_page_shows_the_figures(client, world):
    english = client.get("/en/impact/")
    assert english.status_code == 200
    text = _squeezed(english.text)
    assert "2 published summaries out of 4 got the network’s response within 90 days (50%)" \
        in text
    assert "Median delay of a response: 90 days after the summary." in text
    assert "5 commitments published: planned 2, in progress 1, done 1, not retained 1." \
        in text
    assert "2 top-10 research priorities out of 10 are taken up by at least one funding " \
           "call (20%)" in text
    assert "<th scope=\"row\">2025</th>" in text and "<th scope=\"row\">2024</th>" in text
    assert "1 of 3 (33%)" in text and "106.5" in text
    french = _squeezed(client.get("/fr/impact/").text)
    assert "(50\u00a0%)" in french and "106,5" in french  # the reader's number format


def _api(app) -> ApiClient:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    api = ApiClient(app, app.response_class, use_cookies=True)
    api.validator = SpecValidator(document)
    return api


def test_the_api_gives_the_figures(app, world):
    body = _api(app).get("/api/v1/accountability/figures").get_json()  # checked by the schema
    assert body["overall"] == {
        "year": None,
        "summaries": {"published": 4, "answered": 3, "answered_within_days": 90,
                      "answered_in_time": {"count": 2, "total": 4, "percent": 50},
                      "median_delay_days": 90.0},
        "commitments": {"total": 5, "by_status": {"planned": 2, "in_progress": 1, "done": 1,
                                                  "not_retained": 1}},
        "top_priorities": {"top": 10, "taken_up": {"count": 2, "total": 10, "percent": 20}},
    }
    assert [year["year"] for year in body["years"]] == [2025, 2024]
    assert body["years"][1]["summaries"]["median_delay_days"] == 106.5
    assert body["years"][1]["top_priorities"]["taken_up"] == {"count": 0, "total": 0,
                                                               "percent": None}
    assert body["links"]["self"].endswith("/api/v1/accountability/figures")


def test_the_figures_are_kept_until_what_they_count_changes(app, client, world, monkeypatch):
    computed = []
    compute = figures.compute
    monkeypatch.setattr(figures, "compute", lambda: computed.append(1) or compute())
    monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 30)

    def done() -> int:
        body = client.get("/api/v1/accountability/figures").get_json()
        return body["overall"]["commitments"]["by_status"]["done"]

    assert (done(), done(), len(computed)) == (1, 1, 1)  # computed once, then kept
    with app.test_request_context("/en/"):
        officer = db.session.get(User, world["officer"])
        planned = db.session.get(Commitment, world["planned_2025"])
        services.add_update(officer, planned, texts={"en": "Finished."},
                            happened_on=date(2025, 8, 1), status=CommitmentStatus.DONE)
        db.session.commit()
    assert (done(), len(computed)) == (2, 2)  # the update is counted at once


def test_the_outcome_report_pdf_has_the_response_and_the_figures(app, client, world, tmp_path):
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) is not installed")
    summary_id = world["summaries"]["D"]
    pdf = client.get(f"/en/summaries/{summary_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.data)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "The network’s response: its commitments" in text
    assert "Figures commitment 1 – Status: Planned." in text
    assert "Figures commitment 2 – Status: In progress." in text
    assert "The network’s record in figures" in text
    assert "2 published summaries out of 4 got the network’s response within 90 days" in text
    unanswered = world["summaries"]["C"]  # a draft response shows nothing
    path.write_bytes(client.get(f"/en/summaries/{unanswered}/report.pdf").data)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "has not published its commitments on this consultation yet" in text
    assert "Figures commitment" not in text
