"""No confidential lay-review data anywhere public (issue 19): with a lay review world full
of distinctive scores, comments, conflict-of-interest notes, reviewers' names, emails and
profiles, committee notes and applications that were not funded (or funded but not yet
published), no public page, export (CSV, JSON, PDF text), Atom feed or API answer (every
path of the OpenAPI document) holds any of those strings.

One world, one pass over each kind of answer, as a visitor (what the public gets).
"""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from engage.accountability import services
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion
from engage.reviews import services as reviews
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    ConflictDeclaration,
    Decision,
    Review,
    ReviewerProfile,
    ReviewScore,
    ReviewStatus,
)
from tests.conftest import SharedWorld, missing
from tests.factories import accountability as build
from tests.factories import stored

SECRETS = {
    "reviewer name": "Reviewerina Confidentielle",
    "reviewer email": "lay-review-secret.example",
    "reviewer themes": "REVIEWER-THEMES-SECRET-5527",
    "reviewer institution": "REVIEWER-INSTITUTION-SECRET-5528",
    "applicant comment": "APPLICANT-COMMENT-SECRET-5521",
    "committee comment": "COMMITTEE-COMMENT-SECRET-5522",
    "criterion comment": "CRITERION-COMMENT-SECRET-5530",
    "conflict note": "CONFLICT-NOTE-SECRET-5523",
    "decision note": "DECISION-NOTE-SECRET-5524",
    "team": "Pr Secretteam Leaderson",
    "acronym": "SECRETACRO",
    "unfunded title": "UNFUNDED-PROJECT-SECRET-5525",
    "unfunded summary": "UNFUNDED-SUMMARY-SECRET-5526",
    "waiting title": "WAITING-LIST-PROJECT-SECRET-5531",
    "draft project": "DRAFT-PROJECT-SECRET-5529",
    # The overall scores 5, 4, 3, 2, 2, 1: their mean, 2.83, as either language writes it.
    "mean score": "2.83",
    "mean score (fr)": "2,83",
}
SCORES = (5, 4, 3, 2, 2, 1)


def _application(call, acronym: str, title: str, summary: str, decision: str) -> Application:
    application = Application(
        call=call, acronym=acronym, title=title, lay_summary=summary, summary_language="en",
        team=SECRETS["team"], institutions="Institut Curie", decision=decision,
        decision_note=SECRETS["decision note"], decided_at=utcnow())
    db.session.add(application)
    return application


def _reviewed_call(officer):
    """A call decided after six lay reviews of its funded application (and a seventh
    reviewer who declared a conflict), with a not funded, a waiting-list and a second funded
    application whose project is left a draft."""
    moderator = build.user("moderator")
    call = reviews.create_call(moderator, texts={"en": ("Closer trials", ""),
                                                 "fr": ("Essais plus proches", "")},
                               review_opens_on=local_today() - timedelta(days=30),
                               review_deadline=local_today() - timedelta(days=1))
    funded = _application(call, SECRETS["acronym"], "Home visits for trials",
                          "A nurse comes home for the visits.", Decision.FUNDED)
    _application(call, "DRAFT", SECRETS["draft project"], "Later.", Decision.FUNDED)
    _application(call, "NOPE", SECRETS["unfunded title"], SECRETS["unfunded summary"],
                 Decision.NOT_FUNDED)
    _application(call, "WAIT", SECRETS["waiting title"], "Maybe.", Decision.WAITING_LIST)
    db.session.flush()
    for index in range(len(SCORES) + 1):
        reviewer = build.user("participant", lay_reviewer=True,
                              display_name=f"{SECRETS['reviewer name']} {index}",
                              email=f"reviewer{index}@{SECRETS['reviewer email']}")
        db.session.add(ReviewerProfile(user_id=reviewer.id, themes=SECRETS["reviewer themes"],
                                       institutions=SECRETS["reviewer institution"]))
        assignment = Assignment(application_id=funded.id, reviewer_id=reviewer.id)
        db.session.add(assignment)
        db.session.flush()
        if index == len(SCORES):  # the last one declared a conflict of interest
            assignment.status, assignment.withdrawn_at = AssignmentStatus.WITHDRAWN, utcnow()
            db.session.add(ConflictDeclaration(
                assignment_id=assignment.id, links=["other"], has_conflict=True,
                details=SECRETS["conflict note"]))
            continue
        assignment.no_conflict_declared_at = assignment.confidentiality_accepted_at = utcnow()
        review = Review(assignment_id=assignment.id, status=ReviewStatus.SUBMITTED,
                        overall_score=SCORES[index], submitted_at=utcnow(),
                        overall_applicant_comment=SECRETS["applicant comment"],
                        overall_committee_comment=SECRETS["committee comment"])
        review.scores = [ReviewScore(criterion_id=criterion.id, score=SCORES[index],
                                     applicant_comment=SECRETS["criterion comment"],
                                     committee_comment=SECRETS["criterion comment"])
                         for criterion in call.criteria]
        db.session.add(review)
    call.status = CallStatus.DECIDED
    db.session.flush()
    return call, funded


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        officer = build.officer()
        summary, items = build.published_summary()
        response, _created = services.start_response(officer, summary=summary)
        commitment = services.add_commitment(officer, response, build.commitment_input(
            text=f"We will pay travel costs back [#{items[0].id}]."))
        services.publish(officer, response)
        exercise = build.exercise(questions=2)
        question = db.session.scalar(select(IndicativeQuestion).where(
            IndicativeQuestion.exercise_id == exercise.id, IndicativeQuestion.number == 1))
        call, funded = _reviewed_call(officer)
        services.link_call(officer, call, question=question)
        services.link_call(officer, call, commitment=commitment)
        projects = services.create_funded_projects(officer, call)
        published = next(p for p in projects if p.application_id == funded.id)
        draft = next(p for p in projects if p.application_id != funded.id)
        services.publish_project(officer, published)
        services.add_project_update(officer, published, kind="started",
                                    texts={"en": "Started.", "fr": "Commencé."},
                                    happened_on=local_today())
        db.session.flush()
        return {"summary": summary.id, "consultation": summary.consultation_id,
                "contribution": items[0].id, "commitment": commitment.id,
                "exercise": exercise.id, "question": question.id, "call": call.id,
                "project": published.id, "draft_project": draft.id}


@pytest.fixture(scope="module")
def shared_world(app):
    world = SharedWorld(app, build_world)
    yield world
    world.close()


def _leaks(text: str) -> list[str]:
    return [name for name, secret in SECRETS.items() if secret in text]


def _checked(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 302, 404), f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


def _pdf_text(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_world_holds_the_secrets_and_the_public_facts(app, world):
    """The secrets are there to be leaked, and the project's aggregate fact is public."""
    with app.app_context():
        assert db.session.scalar(select(ConflictDeclaration.details)) == SECRETS["conflict note"]
        comments = set(db.session.scalars(select(Review.overall_committee_comment)))
        assert comments == {SECRETS["committee comment"]}
        assert sorted(db.session.scalars(select(Review.overall_score))) == sorted(SCORES)
        notes = set(db.session.scalars(select(Application.decision_note)))
        assert notes == {SECRETS["decision note"]}
    page = app.test_client().get(f"/en/impact/projects/{world['project']}")
    assert page.status_code == 200 and "Home visits for trials" in page.text
    project = app.test_client().get(f"/api/v1/projects/{world['project']}").get_json()
    assert project["lay_review"]["reviewers"] == len(SCORES)


def test_no_public_page_shows_lay_review_data(app, client, world):
    with app.test_request_context():
        urls = set()
        for rule in app.url_map.iter_rules():  # every page that needs no id (in French)
            if "GET" in rule.methods and set(rule.arguments) <= {"lang_code"} \
                    and rule.endpoint != "static" \
                    and not rule.endpoint.startswith(("api.", "health.")):
                urls.add(url_for(rule.endpoint, **({"lang_code": "fr"} if rule.arguments
                                                   else {})))
        for language in ("en", "fr"):
            urls.update([
                url_for("accountability.commitment", lang_code=language,
                        commitment_id=world["commitment"]),
                url_for("accountability.project", lang_code=language,
                        project_id=world["project"]),
                url_for("accountability.project", lang_code=language,
                        project_id=world["draft_project"]),
                url_for("accountability.impact", lang_code=language, status="in_progress"),
                url_for("summaries.report", lang_code=language, summary_id=world["summary"]),
                url_for("consultations.detail", lang_code=language,
                        consultation_id=world["consultation"]),
                url_for("consultations.contribution", lang_code=language,
                        consultation_id=world["consultation"],
                        contribution_id=world["contribution"]),
                url_for("priorities.results", lang_code=language,
                        exercise_id=world["exercise"]),
            ])
    assert len(urls) > 30
    leaks = {url: found for url in sorted(urls) if (found := _leaks(_checked(client, url)))}
    assert not leaks


def test_no_export_shows_lay_review_data(app, client, world, tmp_path):
    for language in ("en", "fr"):
        base = f"/{language}/summaries/{world['summary']}"
        for export in ("contributions.csv", "questionnaire.csv", "contributions.json"):
            response = client.get(f"{base}/{export}")
            assert response.status_code == 200, export
            assert not _leaks(response.get_data(as_text=True)), export
    pdf = client.get(f"/fr/summaries/{world['summary']}/report.pdf")  # one is enough
    assert pdf.status_code == 200
    text = re.sub(r"\s+", " ", _pdf_text(pdf.data, tmp_path))
    assert "Rembourser les transports" in text  # with its section on the network's response
    assert not _leaks(text)


def test_no_feed_shows_lay_review_data(app, client, world):
    with app.test_request_context():
        feeds = {url_for(rule.endpoint, lang_code=language)
                 for rule in app.url_map.iter_rules()
                 if rule.endpoint.endswith("feed") and set(rule.arguments) == {"lang_code"}
                 for language in ("en", "fr")}
    assert {"/en/impact/feed.atom", "/fr/summaries/feed.atom"} <= feeds
    for url in sorted(feeds):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(response.get_data(as_text=True)), url
    assert "Home visits for trials" in client.get("/en/impact/feed.atom").text


def test_no_api_answer_shows_lay_review_data(app, client, world):
    document = client.get("/api/v1/openapi.json").get_json()
    ids = {"consultation_id": [world["consultation"]],
           "contribution_id": [world["contribution"]], "summary_id": [world["summary"]],
           "exercise_id": [world["exercise"]], "commitment_id": [world["commitment"]],
           "project_id": [world["project"], world["draft_project"]]}
    urls = []
    for template in document["paths"]:
        names = re.findall(r"\{(\w+)\}", template)
        assert set(names) <= set(ids), f"no id in the world for {template}"
        filled = [template]
        for name in names:
            filled = [path.replace(f"{{{name}}}", str(value))
                      for path in filled for value in ids[name]]
        for path in filled:
            urls += [f"/api/v1{path}", f"/api/v1{path}?lang=fr", f"/api/v1{path}?lang=en"]
    urls += [f"/api/v1/projects?call={world['call']}&per_page=100"]
    answered = 0
    for url in urls:
        text = _checked(client, url)
        assert not _leaks(text), url
        answered += 1
    assert answered >= 3 * len(document["paths"])
    listed = client.get("/api/v1/projects").get_json()["data"]
    assert [item["id"] for item in listed] == [world["project"]]
