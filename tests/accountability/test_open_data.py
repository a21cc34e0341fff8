"""The network's record as open data: the API's commitments, funded projects and figures
(every answer checked against the OpenAPI document), and the Atom feed. Only what is
published; of lay review, the aggregate fact only.

The world: a published response to a summary (a commitment in progress citing two
contributions, one hidden since, with an update that has a link and a PDF; a commitment
not retained, with its reasons), a draft response to another summary; a published response
to priority results (a commitment answering Q1); a call decided after 5 lay reviewers that
takes up Q1 and the first commitment, whose two funded projects are one published (with an
update) and one a draft; a call reviewed by 4 lay reviewers with its project published.
"""

import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from engage.accountability import services
from engage.accountability.models import CommitmentStatus
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion
from engage.reviews.models import Decision
from tests.api.schema import ApiClient, SpecValidator
from tests.factories import accountability as build
from tests.factories import stored

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        officer = build.officer()
        moderator = build.user("moderator")
        summary, items = build.published_summary()
        response, _created = services.start_response(officer, summary=summary)
        cited = f"[#{items[0].id}] [#{items[1].id}]"
        travel = services.add_commitment(officer, response, build.commitment_input(
            "Pay travel costs back", text=f"We will pay travel costs back {cited}.",
            title_fr="Rembourser les transports"))
        refused = services.add_commitment(officer, response, build.commitment_input(
            "Open a centre everywhere", status=CommitmentStatus.NOT_RETAINED,
            texts={"en": ("Open a centre everywhere", "A centre in every town.")},
            reasons={"fr": "Trop coûteux.", "en": "Too costly."}))
        services.publish(officer, response)
        response.published_at = _at(2)
        update = services.add_update(
            officer, travel, texts={"en": "The study has started.", "fr": "L’étude a commencé."},
            happened_on=date(2026, 3, 3), status=CommitmentStatus.IN_PROGRESS,
            links=[("https://example.org/study", "The study")],
            documents=[("Study plan", FileStorage(io.BytesIO(PDF), filename="plan.pdf"))])
        update.created_at = _at(3)
        items[1].hide(moderator, "spam")  # since hidden: no longer listed as cited

        other, _items = build.published_summary()
        draft = build.response(officer, summary=other, publish=False)

        exercise = build.exercise(questions=2)
        first_question = db.session.scalar(select(IndicativeQuestion).where(
            IndicativeQuestion.exercise_id == exercise.id, IndicativeQuestion.number == 1))
        to_priorities, _created = services.start_response(officer, exercise=exercise)
        research = services.add_commitment(officer, to_priorities, build.commitment_input(
            "Fund research on fatigue", question_ids=[first_question.id]))
        services.publish(officer, to_priorities)
        to_priorities.published_at = _at(4)

        five = build.decided_call(5, decisions=(Decision.FUNDED, Decision.FUNDED,
                                                Decision.NOT_FUNDED))
        services.link_call(officer, five, question=first_question)
        services.link_call(officer, five, commitment=travel)
        walking, unpublished = sorted(services.create_funded_projects(officer, five),
                                      key=lambda project: project.id)
        services.edit_project(officer, walking, institution=walking.institution, texts={
            "en": ("Walking after chemotherapy", "We will see whether walking helps."),
            "fr": ("Marcher après la chimiothérapie", "Nous verrons si la marche aide.")})
        services.publish_project(officer, walking)
        walking.published_at = _at(5)
        news = services.add_project_update(officer, walking, kind="started",
                                           texts={"en": "The project has started."},
                                           happened_on=date(2026, 3, 6))
        news.created_at = _at(6)
        four = build.decided_call(4, title="Small call")
        (small,) = services.create_funded_projects(officer, four)
        services.publish_project(officer, small)
        small.published_at = _at(1)
        db.session.flush()
        return {
            "summary": summary.id, "cited": items[0].id, "hidden": items[1].id,
            "travel": travel.id, "refused": refused.id, "research": research.id,
            "draft": draft.commitments[0].id, "exercise": exercise.id,
            "question": first_question.id, "five": five.id, "four": four.id,
            "walking": walking.id, "unpublished": unpublished.id, "small": small.id,
            "update": update.id, "document": update.documents[0].id, "news": news.id,
        }


@pytest.fixture
def api(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    client = ApiClient(app, app.response_class, use_cookies=True)
    client.validator = SpecValidator(document)
    return client


def _ids(body) -> list[int]:
    return [item["id"] for item in body["data"]]


# Commitments


def test_only_published_commitments_are_listed_and_filtered_by_status(api, world):
    body = api.get("/api/v1/commitments").get_json()
    assert _ids(body) == [world["travel"], world["refused"], world["research"]]
    assert body["meta"]["total"] == 3
    refused = api.get("/api/v1/commitments?status=not_retained").get_json()
    assert _ids(refused) == [world["refused"]]
    assert _ids(api.get("/api/v1/commitments?status=done").get_json()) == []
    wrong = api.get("/api/v1/commitments?status=cancelled")
    assert wrong.status_code == 400 and "status" in wrong.get_json()["error"]["message"]
    assert api.get(f"/api/v1/commitments/{world['draft']}").status_code == 404
    assert api.get("/api/v1/commitments/999999").status_code == 404


def test_a_commitment_says_what_it_answers_and_which_calls_take_it_up(api, world):
    body = api.get(f"/api/v1/commitments/{world['travel']}").get_json()
    assert body["status"] == "in_progress" and body["owner"] == "Patient office"
    assert body["answers"] == {"summary_id": world["summary"], "exercise_id": None,
                               "contribution_ids": [world["cited"]], "question_ids": []}
    assert body["call_ids"] == [world["five"]]
    assert body["translations"]["fr"]["title"] == "Rembourser les transports"
    assert body["translations"]["en"]["text"].startswith("We will pay travel costs back")
    assert body["reason"] == {}
    assert body["links"]["html"].endswith(f"/fr/impact/commitments/{world['travel']}")
    assert body["links"]["summary"].endswith(f"/api/v1/summaries/{world['summary']}")
    (update,) = body["updates"]
    assert update["id"] == world["update"] and update["status"] == "in_progress"
    assert update["happened_on"] == "2026-03-03" and update["kind"] == "progress"
    assert update["links"] == [{"url": "https://example.org/study", "label": "The study"}]
    (document,) = update["documents"]
    assert document["title"] == "Study plan" and document["size"] == len(PDF)
    assert document["url"].endswith(f"/impact/documents/{world['document']}")
    with api.get(document["url"].removeprefix("http://localhost")) as downloaded:
        assert downloaded.data == PDF
    research = api.get(f"/api/v1/commitments/{world['research']}?lang=en").get_json()
    assert research["answers"] == {"summary_id": None, "exercise_id": world["exercise"],
                                   "contribution_ids": [], "question_ids": [world["question"]]}
    assert research["links"]["priorities"].endswith(f"/api/v1/priorities/{world['exercise']}")
    assert set(research["translations"]) == {"en"}


def test_a_commitment_not_retained_gives_its_reason_in_each_language(api, world):
    every = api.get(f"/api/v1/commitments/{world['refused']}").get_json()
    assert every["reason"] == {"en": "Too costly.", "fr": "Trop coûteux."}
    assert set(every["translations"]) == {"en"}
    french = api.get(f"/api/v1/commitments/{world['refused']}?lang=fr").get_json()
    assert french["reason"] == {"fr": "Trop coûteux."}
    assert french["translations"]["en"]["title"] == "Open a centre everywhere"  # fallback


# Funded projects


def test_only_published_projects_are_listed_with_the_aggregate_lay_review_fact(api, world):
    body = api.get("/api/v1/projects").get_json()
    assert _ids(body) == [world["small"], world["walking"]]  # first published first
    small, walking = body["data"]
    assert small["lay_review"] == {"took_part": True, "reviewers": None, "fewer_than": 5,
                                   "rounds": 1}
    assert walking["lay_review"] == {"took_part": True, "reviewers": 5, "fewer_than": None,
                                     "rounds": 1}
    assert walking["call_answers"] == {"commitment_ids": [world["travel"]],
                                       "question_ids": [world["question"]]}
    assert small["call_answers"] == {"commitment_ids": [], "question_ids": []}
    assert "updates" not in walking  # in each project's own answer
    by_call = api.get(f"/api/v1/projects?call={world['four']}").get_json()
    assert _ids(by_call) == [world["small"]]
    assert api.get(f"/api/v1/projects/{world['unpublished']}").status_code == 404


def test_a_project_gives_its_updates_and_its_call(api, world):
    body = api.get(f"/api/v1/projects/{world['walking']}?lang=fr").get_json()
    assert body["call_id"] == world["five"]
    assert body["institution"] == "Institut Curie; Hôpital Saint-Louis"
    assert body["translations"] == {"fr": {"title": "Marcher après la chimiothérapie",
                                           "lay_summary": "Nous verrons si la marche aide."}}
    (update,) = body["updates"]
    assert (update["id"], update["kind"], update["happened_on"]) == \
        (world["news"], "started", "2026-03-06")
    assert update["translations"] == {"en": {"text": "The project has started."}}
    assert body["links"]["html"].endswith(f"/fr/impact/projects/{world['walking']}")


def test_nothing_confidential_of_lay_review_is_in_the_projects(api, world):
    answers = [api.get(f"/api/v1/projects/{world[key]}").text
               for key in ("walking", "small")] + [api.get("/api/v1/projects").text]
    for text in answers:
        for secret in build.CONFIDENTIAL.values():
            assert secret not in text
        assert "APP1" not in text and "application" not in text


# The index and the description


def test_the_index_and_the_document_describe_the_record(api, app):
    links = api.get("/api/v1/").get_json()["links"]
    assert links["commitments"].endswith("/api/v1/commitments")
    assert links["projects"].endswith("/api/v1/projects")
    assert links["accountability_figures"].endswith("/api/v1/accountability/figures")
    paths = api.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/commitments", "/commitments/{commitment_id}", "/projects",
                 "/projects/{project_id}", "/accountability/figures"):
        assert set(paths[path]) == {"get"}
    statuses = paths["/commitments"]["get"]["parameters"][0]["schema"]["enum"]
    assert statuses == ["planned", "in_progress", "done", "not_retained"]


# The Atom feed


def _feed(client, language: str):
    response = client.get(f"/{language}/impact/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)  # noqa: S314 - our own feed


def test_the_feed_lists_what_the_network_did_newest_first(client, world):
    feed = _feed(client, "en")
    assert feed.get(XML_LANG) == "en"
    entries = [(entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}id"))
               for entry in feed.iter(f"{ATOM}entry")]
    base = "http://localhost/en/impact"
    assert entries == [
        ("News of the project “Walking after chemotherapy”: Project started",
         f"{base}/projects/{world['walking']}#update-{world['news']}"),
        ("Funded project: Walking after chemotherapy", f"{base}/projects/{world['walking']}"),
        ("Commitment: Fund research on fatigue", f"{base}/commitments/{world['research']}"),
        ("Update of the commitment “Pay travel costs back”",
         f"{base}/commitments/{world['travel']}#update-{world['update']}"),
        ("Commitment: Pay travel costs back", f"{base}/commitments/{world['travel']}"),
        ("Commitment: Open a centre everywhere", f"{base}/commitments/{world['refused']}"),
        ("Funded project: Walking after chemotherapy 1", f"{base}/projects/{world['small']}"),
    ]
    assert feed.findtext(f"{ATOM}updated") == "2026-03-06T12:00:00Z"
    summaries = {entry.findtext(f"{ATOM}id"): entry.findtext(f"{ATOM}summary")
                 for entry in feed.iter(f"{ATOM}entry")}
    assert summaries[f"{base}/commitments/{world['refused']}"] == \
        "Status: Not retained. Carried by: Patient office. Why: Too costly."
    assert summaries[f"{base}/commitments/{world['travel']}#update-{world['update']}"] == \
        "New status: In progress."
    travel = next(entry.findtext(f"{ATOM}content") for entry in feed.iter(f"{ATOM}entry")
                  if entry.findtext(f"{ATOM}id") == f"{base}/commitments/{world['travel']}")
    # Its citations link to the contributions still visible, as in the summaries' feed.
    assert f"/contributions/{world['cited']}\"" in travel
    assert f"[#{world['hidden']}]" in travel and f"/contributions/{world['hidden']}" not in travel


def test_the_feed_is_in_its_language_with_the_other_language_marked(client, world):
    feed = _feed(client, "fr")
    assert feed.get(XML_LANG) == "fr"
    base = "http://localhost/fr/impact"
    contents = {entry.findtext(f"{ATOM}id"): entry.find(f"{ATOM}content")
                for entry in feed.iter(f"{ATOM}entry")}
    travel = contents[f"{base}/commitments/{world['travel']}"]
    assert travel.get(XML_LANG) is None and "Nous rembourserons" in travel.text
    refused = contents[f"{base}/commitments/{world['refused']}"]  # in English only
    assert refused.get(XML_LANG) == "en" and "A centre in every town." in refused.text
    assert "<p>" in travel.text  # HTML, escaped once in the XML
    walking = contents[f"{base}/projects/{world['walking']}"]
    assert "Nous verrons si la marche aide." in walking.text
    assert len(contents) == 7


def test_nothing_unpublished_or_confidential_is_in_the_feed(client, world):
    for language in ("en", "fr"):
        text = client.get(f"/{language}/impact/feed.atom").text
        assert f"/projects/{world['unpublished']}" not in text
        assert f"/commitments/{world['draft']}" not in text
        for secret in build.CONFIDENTIAL.values():
            assert secret not in text
