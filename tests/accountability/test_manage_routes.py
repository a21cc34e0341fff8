"""The network officers' pages through the test client: the index, the entry links, a
response (start, commitments, publish, discard), updates and corrections, what calls answer,
funded projects. Every form refuses bad input on the same page (422, the error summary, the
text kept), and nothing is deleted once published. One world per database (build_world);
each role signs in once, when it is built."""

import io
import re

import pytest
from sqlalchemy import select

from engage.accountability import services
from engage.accountability.models import (
    AccountabilityAuditEntry,
    CallLink,
    Commitment,
    CommitmentUpdate,
    FundedProject,
    ProjectUpdate,
    Response,
)
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion
from engage.reviews.models import CallStatus, Decision
from tests.factories import accountability as build
from tests.factories import stored, summaries
from tests.helpers import Auth, csrf_token, main_part

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ("officer", "admin", "moderator", "participant")
BASE = "/en/manage/impact"


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        people = {role: build.user(role) for role in ROLES}
        officer = people["officer"]
        answer_me, cited = build.published_summary()
        with_draft, draft_cited = _summary("Draft response")
        with_published, _items = _summary("Published response")
        moderator, consultation, items = summaries.closed_consultation(texts=_texts("Unpublished"))
        unpublished = summaries.written(moderator, consultation, items)
        exercise = build.exercise()
        draft = build.response(officer, summary=with_draft, commitments=1, publish=False)
        published, _created = services.start_response(officer, summary=with_published)
        started = services.add_commitment(officer, published, build.commitment_input(
            "Started commitment", starts_on=build.some_day(), due_on=build.some_day(30)))
        services.add_commitment(officer, published, build.commitment_input("Second one"))
        services.publish(officer, published)
        open_call = build.decided_call(0, status=CallStatus.OPEN, title="Open call")
        to_fund = build.decided_call(5, decisions=(Decision.FUNDED, Decision.FUNDED),
                                     title="Call to fund")
        funded = build.decided_call(0, decisions=(Decision.FUNDED, Decision.FUNDED),
                                    title="Funded call")
        projects = services.create_funded_projects(officer, funded)
        services.publish_project(officer, projects[0])
        question = db.session.scalars(select(IndicativeQuestion).where(
            IndicativeQuestion.exercise_id == exercise.id)
            .order_by(IndicativeQuestion.number)).first()
        open_link, _created = services.link_call(officer, open_call, question=question)
        kept_link, _created = services.link_call(officer, funded, question=question)
        world = {
            "emails": {role: person.email for role, person in people.items()},
            "officer": officer.id, "summary": answer_me.id, "cited": [c.id for c in cited],
            "draft_cited": [c.id for c in draft_cited],
            "unpublished": unpublished.id, "exercise": exercise.id,
            "questions": [q.id for q in db.session.scalars(
                select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id)
                .order_by(IndicativeQuestion.number))],
            "draft": draft.id, "draft_commitment": draft.commitments[0].id,
            "published": published.id, "started": started.id,
            "open_call": open_call.id, "to_fund": to_fund.id, "funded": funded.id,
            "published_project": projects[0].id, "draft_project": projects[1].id,
            "open_link": open_link.id, "kept_link": kept_link.id,
        }
    world["sessions"] = {role: _session(app, email) for role, email in world["emails"].items()}
    return world


def _texts(title: str) -> dict:
    from engage.consultations.services import ConsultationText

    return {"fr": ConsultationText(f"{title} (fr)", "", ""),
            "en": ConsultationText(title, "", "")}


def _summary(title: str):
    moderator, consultation, items = summaries.closed_consultation(texts=_texts(title))
    return summaries.published(moderator, consultation, items), items


def _session(app, email: str) -> dict:
    """Signs in once: the session's cookie and a CSRF token of its forms."""
    client = app.test_client()
    assert Auth(app, client).sign_in(email).status_code == 302
    page = client.get("/en/")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return {"cookie": (cookie.key, cookie.value), "token": csrf_token(page)}


class Browser:
    """A test client signed in as a role of the world (or a visitor)."""

    def __init__(self, app, world, role: str | None):
        self.client = app.test_client()
        self.token = ""
        if role is not None:
            key, value = world["sessions"][role]["cookie"]
            self.client.set_cookie(key, value)
            self.token = world["sessions"][role]["token"]

    def get(self, path: str, **kwargs):
        return self.client.get(BASE + path, **kwargs)

    def post(self, path: str, data=None, **kwargs):
        return self.client.post(BASE + path, data={"csrf_token": self.token, **(data or {})},
                                **kwargs)


@pytest.fixture
def officer(app, world):
    return Browser(app, world, "officer")


def _ok_page(response, status=200) -> str:
    assert response.status_code == status, response.text[:3000]
    return main_part(response.text)


def _error_summary(page: str) -> str:
    match = re.search(r'<div class="error-summary" id="error-summary" role="alert" '
                      r'tabindex="-1" autofocus>(.*?)</div>', page, re.S)
    assert match, "no focused error summary"
    return match.group(1)


def _refused(response, message: str) -> str:
    page = _ok_page(response, 422)
    assert message in _error_summary(page), _error_summary(page)
    return page


def _commitment(**fields) -> dict:
    data = {"title_en": "Pay travel back", "text_en": "We will pay travel costs back.",
            "title_fr": "Rembourser les trajets", "text_fr": "", "owner": "Patient office",
            "status": "planned", "reason_en": "", "reason_fr": "", "starts_on": "",
            "due_on": "", "done_on": ""}
    data.update(fields)
    return data


def _update(**fields) -> dict:
    data = {"text_en": "The first meeting took place.", "text_fr": "", "happened_on":
            "2026-04-01", "status": "", "reason_en": "", "reason_fr": "", "due_on": ""}
    data.update(fields)
    return data


def _get(model, object_id):
    return db.session.get(model, object_id)


# Who may


def test_only_officers_and_administrators_reach_the_pages(app, world):
    paths = [
        ("GET", "/"), ("GET", f"/summaries/{world['summary']}/respond"),
        ("POST", f"/summaries/{world['summary']}/respond"),
        ("GET", f"/exercises/{world['exercise']}/respond"),
        ("GET", f"/responses/{world['draft']}"),
        ("POST", f"/responses/{world['draft']}/publish"),
        ("POST", f"/responses/{world['draft']}/discard"),
        ("GET", f"/responses/{world['draft']}/commitments/new"),
        ("POST", f"/commitments/{world['draft_commitment']}/edit"),
        ("POST", f"/commitments/{world['draft_commitment']}/remove"),
        ("GET", f"/commitments/{world['started']}/updates/new"),
        ("POST", f"/commitments/{world['started']}/corrections/new"),
        ("GET", f"/calls/{world['open_call']}"),
        ("POST", f"/calls/{world['open_call']}/links"),
        ("POST", f"/calls/{world['open_call']}/links/{world['open_link']}/withdraw"),
        ("POST", f"/calls/{world['to_fund']}/projects"),
        ("POST", f"/projects/{world['draft_project']}"),
        ("POST", f"/projects/{world['draft_project']}/publish"),
        ("GET", f"/projects/{world['published_project']}/updates/new"),
    ]
    for role, expected in (("participant", 403), ("moderator", 403), (None, 302)):
        browser = Browser(app, world, role)
        if role is None:  # a visitor's session and its token
            browser.token = csrf_token(browser.client.get("/en/account/sign-in"))
        for method, path in paths:
            response = browser.get(path) if method == "GET" else browser.post(path)
            assert response.status_code == expected, (role, method, path)
            if role is None:
                assert "/account/sign-in" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Response)) == 2
        assert _get(Response, world["draft"]).published_at is None
    for role in ("officer", "admin"):
        assert Browser(app, world, role).get("/").status_code == 200


def test_the_menu_shows_the_entry_to_officers_only(app, world):
    entry = f'href="{BASE}/">Network responses</a>'
    for role, shown in (("officer", True), ("admin", True), ("moderator", False),
                        ("participant", False), (None, False)):
        page = Browser(app, world, role).client.get("/en/")
        assert (entry in page.text) is shown, role


# The index and the entry links


def test_the_index_lists_what_to_answer_drafts_responses_calls_and_projects(officer, world):
    page = _ok_page(officer.get("/"))
    to_write = page[page.index('id="to-write"'):page.index('id="drafts"')]
    assert f"{BASE}/summaries/{world['summary']}/respond" in to_write
    assert f"{BASE}/exercises/{world['exercise']}/respond" in to_write
    assert "Unpublished" not in page  # a summary awaiting review is not answered yet
    drafts = page[page.index('id="drafts"'):page.index('id="published"')]
    assert "Draft response</a>" in drafts and "1 commitment" in drafts
    published = page[page.index('id="published"'):page.index('id="calls"')]
    assert "Published response</a>" in published and "2 commitments" in published
    calls = page[page.index('id="calls"'):page.index('id="projects"')]
    for call in ("open_call", "to_fund", "funded"):
        assert f"{BASE}/calls/{world[call]}" in calls
    projects = page[page.index('id="projects"'):]
    assert f"{BASE}/projects/{world['draft_project']}" in projects
    assert "Walking after chemotherapy 1" in projects and "draft" in projects


def test_the_entry_links_show_to_those_who_may_respond(app, world):
    report = f"/en/summaries/{world['summary']}"
    results = f"/en/priorities/{world['exercise']}/results"
    answered = f"/en/summaries/{_summary_of(app, world['published'])}"
    drafted = f"/en/summaries/{_summary_of(app, world['draft'])}"
    for role in ("officer", "admin"):
        client = Browser(app, world, role).client
        assert f'href="{BASE}/summaries/{world["summary"]}/respond">Respond for the network' \
            in client.get(report).text
        assert f'href="{BASE}/exercises/{world["exercise"]}/respond">Respond for the network' \
            in client.get(results).text
        assert f'href="{BASE}/responses/{world["published"]}">The network’s response: ' \
            "commitments and updates" in client.get(answered).text
        assert f'href="{BASE}/responses/{world["draft"]}">Continue the network’s draft ' \
            "response" in client.get(drafted).text
    for role in ("moderator", "participant", None):
        client = Browser(app, world, role).client
        for path in (report, results, answered, drafted):
            page = client.get(path)
            assert page.status_code == 200 and "response-link" not in page.text, (role, path)


def _summary_of(app, response_id: int) -> int:
    with app.app_context():
        return _get(Response, response_id).summary_id


# Starting a response


def test_an_officer_starts_a_response_once(app, world, officer):
    path = f"/summaries/{world['summary']}/respond"
    page = _ok_page(officer.get(path))
    assert "Living after cancer" in page and "Start the response" in page
    started = officer.post(path)
    assert started.status_code == 302
    with app.app_context():
        response = db.session.scalar(select(Response).where(
            Response.summary_id == world["summary"]))
        assert response is not None and response.published_at is None
        assert db.session.scalar(select(AccountabilityAuditEntry.action).where(
            AccountabilityAuditEntry.target_id == response.id,
            AccountabilityAuditEntry.target_type == "response")) == "response_start"
    assert started.headers["Location"] == f"{BASE}/responses/{response.id}"
    # Asked again (a second tab, the back button): the same response opens.
    for again in (officer.get(path), officer.post(path)):
        assert again.status_code == 302
        assert again.headers["Location"] == f"{BASE}/responses/{response.id}"
    page = _ok_page(officer.get(f"/responses/{response.id}"))
    assert "No commitment yet." in page
    assert "Add at least one commitment before publishing the response." in page


def test_nothing_to_respond_to_before_publication_nor_for_a_wrong_address(app, world, officer):
    path = f"/summaries/{world['unpublished']}/respond"
    page = _ok_page(officer.get(path))
    assert "The network responds to a summary once it is published." in page
    assert "Start the response" not in page
    _refused(officer.post(path), "The network responds to a summary once it is published.")
    with app.app_context():
        assert db.session.scalar(select(Response).where(
            Response.summary_id == world["unpublished"])) is None
    for wrong in ("/summaries/999999/respond", "/summaries/abc/respond",
                  "/exercises/999999/respond", "/responses/999999", "/responses/x1",
                  "/commitments/999999/edit", "/calls/999999", "/projects/999999",
                  f"/calls/{world['to_fund']}/links/{world['open_link']}/withdraw"):
        method = officer.post if wrong.endswith("withdraw") else officer.get
        assert method(wrong).status_code == 404, wrong


# Commitments of a draft


def test_a_refused_commitment_shows_why_and_keeps_the_text(app, world, officer):
    path = f"/responses/{world['draft']}/commitments/new"
    page = _ok_page(officer.get(path))
    assert 'action="' + BASE + path + '#error-summary"' in page
    cases = [
        ({"status": "not_retained"}, "Please say why this commitment is not retained.",
         "reason_fr"),
        ({"title_en": "", "title_fr": "", "text_en": ""}, "Please give the commitment a title.",
         "title_fr"),
        ({"title_en": "", "text_en": "A text"}, "Please give a title in each language",
         "title_en"),
        ({"starts_on": "2026-05-01", "due_on": "2026-04-01"},
         "The due date cannot come before the start date.", "due_on"),
        ({"status": "done"}, "Please give the date on which it was done.", "done_on"),
        ({"due_on": "2026-13-45"}, "Please give a date as year-month-day", "due_on"),
        ({"status": "bogus"}, "Please choose a status from the list.", "status"),
        ({"text_en": "We answer [#999999]."}, "[#999999] is not a contribution of this "
         "consultation that everyone can read.", "text_en"),
        ({"owner": "x" * 201}, "the limit is 200", "owner"),
    ]
    for fields, message, field in cases:
        data = _commitment(**fields)
        page = _refused(officer.post(path, data), message)
        assert f'href="#{field}"' in _error_summary(page), (fields, _error_summary(page))
        if data["title_en"]:
            assert f'value="{data["title_en"]}"' in page  # the text is kept
        assert "We will pay travel costs back." in page or "text_en" in fields
    with app.app_context():
        assert len(_get(Response, world["draft"]).commitments) == 1


def test_an_officer_adds_edits_and_removes_a_commitment_of_a_draft(app, world, officer):
    cited = world["draft_cited"][0]
    added = officer.post(f"/responses/{world['draft']}/commitments/new", _commitment(
        text_en=f"We answer [#{cited}].", status="not_retained",
        reason_fr="Le budget ne le permet pas.", starts_on="2026-04-01", due_on="2026-06-30"))
    assert added.status_code == 302
    with app.app_context():
        commitment = _get(Response, world["draft"]).commitments[-1]
        commitment_id = commitment.id
        assert (commitment.status, commitment.reason_fr, commitment.owner) == \
            ("not_retained", "Le budget ne le permet pas.", "Patient office")
        assert [c.contribution_id for c in commitment.citations] == [cited]
        assert {t.language: t.title for t in commitment.translations} == \
            {"en": "Pay travel back", "fr": "Rembourser les trajets"}
    assert added.headers["Location"] == \
        f"{BASE}/responses/{world['draft']}#commitment-{commitment_id}"
    page = _ok_page(officer.get(f"/responses/{world['draft']}"))
    assert "Le budget ne le permet pas." in page and f"[#{cited}]</a>" in page

    form = _ok_page(officer.get(f"/commitments/{commitment_id}/edit"))
    assert 'value="Pay travel back"' in form and "Le budget ne le permet pas." in form
    edited = officer.post(f"/commitments/{commitment_id}/edit", _commitment(
        title_en="Pay all travel back", status="in_progress"))
    assert edited.status_code == 302
    with app.app_context():
        commitment = _get(Commitment, commitment_id)
        assert (commitment.title("en"), commitment.status, commitment.reason_fr) == \
            ("Pay all travel back", "in_progress", "")
        assert commitment.citations == []
    unchanged = officer.post(f"/commitments/{commitment_id}/edit", _commitment(
        title_en="Pay all travel back", status="in_progress"), follow_redirects=True)
    assert "Nothing changed." in unchanged.text

    asked = officer.post(f"/commitments/{commitment_id}/remove")
    assert "Remove the commitment “Pay all travel back”?" in _ok_page(asked)
    with app.app_context():
        assert _get(Commitment, commitment_id) is not None
    removed = officer.post(f"/commitments/{commitment_id}/remove", {"confirmed": "1"})
    assert removed.status_code == 302
    with app.app_context():
        assert _get(Commitment, commitment_id) is None
        actions = list(db.session.scalars(select(AccountabilityAuditEntry.action).where(
            AccountabilityAuditEntry.target_type == "commitment",
            AccountabilityAuditEntry.target_id == commitment_id)
            .order_by(AccountabilityAuditEntry.id)))
        assert actions == ["commitment_add", "commitment_edit", "commitment_remove"]


def test_insert_a_cited_contribution_without_javascript(app, world, officer):
    path = f"/responses/{world['draft']}/commitments/new"
    page = _ok_page(officer.get(path))
    for number in world["draft_cited"]:  # the contributions the summary cites are offered
        assert f'name="insert" value="{number}"' in page
    assert f'name="insert" value="{world["cited"][0]}"' not in page  # another summary's
    cited = world["draft_cited"][1]
    shown = _ok_page(officer.post(path, {**_commitment(text_fr="Nous y répondons."),
                                         "insert": str(cited), "into": "fr"}))
    assert f"Nous y répondons. [#{cited}]</textarea>" in shown
    assert f"[#{cited}] added at the end of the French text." in shown
    assert 'value="Pay travel back"' in shown
    for number in ("999999", str(world["cited"][0]), "x"):  # only the summary's citations
        _ok_page(officer.post(path, {**_commitment(), "insert": number, "into": "fr"}), 422)
    with app.app_context():
        assert len(_get(Response, world["draft"]).commitments) == 1  # nothing was saved


def test_a_response_to_priorities_links_the_top_ten(app, world, officer):
    page = _ok_page(officer.get(f"/exercises/{world['exercise']}/respond"))
    assert "Childhood cancers" in page and "Start the response" in page
    started = officer.post(f"/exercises/{world['exercise']}/respond")
    assert started.status_code == 302
    response_path = started.headers["Location"].removeprefix(BASE)
    new = f"{response_path}/commitments/new"
    page = _ok_page(officer.get(new))
    first, _second, third = world["questions"]
    assert f'value="{first}"' in page and "Q1 – Question 1?" in page
    assert "citation-picker" not in page
    _refused(officer.post(new, {**_commitment(), "question_ids": ["abc"]}),
             "Please choose research priorities from the list.")
    _refused(officer.post(new, {**_commitment(), "question_ids": ["999999"]}),
             "Please choose research priorities from the list.")
    _refused(officer.post(new, _commitment(text_en="See [#1].")),
             "A response to research priorities cites no contribution")
    added = officer.post(new, {**_commitment(), "question_ids": [str(first), str(third)]})
    assert added.status_code == 302
    with app.app_context():
        response = db.session.scalar(select(Response).where(
            Response.exercise_id == world["exercise"]))
        assert [q.id for q in response.commitments[0].questions] == [first, third]
    assert "Q3 – Question 3?" in _ok_page(officer.get(response_path))


# Publishing, and nothing deleted after


def test_publishing_needs_a_commitment(app, world, officer):
    officer.post(f"/summaries/{world['summary']}/respond")
    with app.app_context():
        response_id = db.session.scalar(select(Response.id).where(
            Response.summary_id == world["summary"]))
    for data in ({}, {"confirmed": "1"}):
        _refused(officer.post(f"/responses/{response_id}/publish", data),
                 "Add at least one commitment before publishing the response.")
    with app.app_context():
        assert _get(Response, response_id).published_at is None


def test_publish_after_confirming_then_nothing_is_deleted(app, world, officer):
    draft, commitment = world["draft"], world["draft_commitment"]
    asked = _ok_page(officer.post(f"/responses/{draft}/publish"))
    assert "Publish the network’s response?" in asked and 'name="confirmed" value="1"' in asked
    with app.app_context():
        assert _get(Response, draft).published_at is None
    published = officer.post(f"/responses/{draft}/publish", {"confirmed": "1"})
    assert published.status_code == 302
    with app.app_context():
        assert _get(Response, draft).published_at is not None
    page = _ok_page(officer.get(f"/responses/{draft}"))
    assert "Add an update" in page and "Publish the response" not in page

    refusals = [
        (f"/commitments/{commitment}/remove", {"confirmed": "1"}, "can be deleted"),
        (f"/responses/{draft}/discard", {"confirmed": "1"}, "can be deleted"),
        (f"/responses/{draft}/publish", {"confirmed": "1"}, "already published"),
    ]
    for path, data, message in refusals:
        _refused(officer.post(path, data), message)
    for path in (f"/commitments/{commitment}/edit", f"/responses/{draft}/commitments/new"):
        for answer in (officer.get(path), officer.post(path, _commitment())):
            assert answer.status_code == 302
            assert answer.headers["Location"] == f"{BASE}/responses/{draft}"
    with app.app_context():
        response = _get(Response, draft)
        assert [c.id for c in response.commitments] == [commitment]
        assert response.commitments[0].title("en") == "Commitment 1"


def test_a_draft_is_discarded_after_confirming(app, world, officer):
    draft = world["draft"]
    assert "Discard this draft response?" in _ok_page(
        officer.post(f"/responses/{draft}/discard"))
    discarded = officer.post(f"/responses/{draft}/discard", {"confirmed": "1"})
    assert discarded.status_code == 302 and discarded.headers["Location"] == f"{BASE}/"
    with app.app_context():
        assert _get(Response, draft) is None
        assert _get(Commitment, world["draft_commitment"]) is None


# Updates and corrections


def test_an_update_moves_the_status_with_a_link_and_a_pdf(app, world, officer):
    path = f"/commitments/{world['started']}/updates/new"
    form = _ok_page(officer.get(path))
    assert 'enctype="multipart/form-data"' in form and 'name="happened_on"' in form
    answer = officer.post(path, {
        **_update(status="in_progress", link_url_1="https://example.org/minutes",
                  link_label_1="Minutes", document_title_1="Minutes (PDF)"),
        "document_file_1": (io.BytesIO(PDF), "minutes.pdf")},
        content_type="multipart/form-data")
    assert answer.status_code == 302, answer.text[:2000]
    with app.app_context():
        commitment = _get(Commitment, world["started"])
        update = commitment.updates[-1]
        assert (commitment.status, update.status, update.kind) == \
            ("in_progress", "in_progress", "progress")
        assert update.links == [{"url": "https://example.org/minutes", "label": "Minutes"}]
        assert [d.title for d in update.documents] == ["Minutes (PDF)"]
        assert update.text("en") == "The first meeting took place."
    page = _ok_page(officer.get(f"/responses/{world['published']}"))
    assert 'href="https://example.org/minutes"' in page and "Minutes (PDF)" in page


def test_a_refused_update_shows_why_and_keeps_the_text(app, world, officer):
    path = f"/commitments/{world['started']}/updates/new"
    cases = [
        ({"status": "not_retained"}, "Please say why this commitment is not retained.",
         "reason_fr"),
        ({"text_en": ""}, "Please write what happened, in one language at least.", "text_fr"),
        ({"happened_on": ""}, "Please give the date of the update.", "happened_on"),
        ({"happened_on": "yesterday"}, "Please give a date as year-month-day", "happened_on"),
        ({"due_on": "2026-02-01"}, "The due date cannot come before the start date.",
         "due_on"),
        ({"status": "nope"}, "Please choose a status from the list.", "status"),
        ({"link_url_1": "ftp://example.org"}, "A link must be a web address", "link_url_1"),
        ({"link_label_2": "A label alone"}, "Please give the link’s web address",
         "link_url_2"),
    ]
    for fields, message, field in cases:
        data = _update(**fields)
        page = _refused(officer.post(path, data), message)
        assert f'href="#{field}"' in _error_summary(page), (fields, _error_summary(page))
        if data["text_en"]:
            assert "The first meeting took place.</textarea>" in page
        if field.startswith("link"):
            assert "<details class=\"attachments\" open>" in page
    not_a_pdf = officer.post(path, {**_update(), "document_file_1": (
        io.BytesIO(b"<html>not a pdf</html>"), "report.pdf")},
        content_type="multipart/form-data")
    page = _refused(not_a_pdf, "Only PDF files are accepted.")
    assert 'href="#document_file_1"' in _error_summary(page)
    assert "Please choose the PDF files again" in page
    with app.app_context():
        assert _get(Commitment, world["started"]).updates == []
        assert _get(Commitment, world["started"]).status == "planned"


def test_a_correction_is_an_update_of_its_own_kind(app, world, officer):
    path = f"/commitments/{world['started']}/corrections/new"
    assert "The published text stays as it was" in _ok_page(officer.get(path))
    answer = officer.post(path, _update(text_en="The owner is the research office.",
                                        due_on="2026-09-30"))
    assert answer.status_code == 302
    with app.app_context():
        commitment = _get(Commitment, world["started"])
        assert [u.kind for u in commitment.updates] == ["correction"]
        assert commitment.title("en") == "Started commitment"  # the published text stays
        assert commitment.due_on.isoformat() == "2026-09-30"
        assert db.session.scalar(select(AccountabilityAuditEntry.action).where(
            AccountabilityAuditEntry.target_type == "commitment_update")) == "commitment_correct"


def test_a_draft_commitment_gets_no_update(app, world, officer):
    path = f"/commitments/{world['draft_commitment']}/updates/new"
    for answer in (officer.get(path), officer.post(path, _update())):
        assert answer.status_code == 302
        assert answer.headers["Location"] == f"{BASE}/responses/{world['draft']}"
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(CommitmentUpdate)) == 0


# Calls in the chain


def test_a_call_declares_what_it_answers_and_withdraws_it_until_decided(app, world, officer):
    call = world["open_call"]
    page = _ok_page(officer.get(f"/calls/{call}"))
    assert "Q1 – Question 1?" in page and "Started commitment" in page
    second = world["questions"][1]
    for data, message, field in (
            ({"question_id": "abc"}, "Please choose a research priority from the list.",
             "question_id"),
            ({"question_id": "999999"}, "Please choose a research priority from the list.",
             "question_id"),
            ({"commitment_id": ""}, "Please choose a commitment from the list.",
             "commitment_id"),
            ({}, "Please choose a research priority from the list.", "question_id")):
        refused = _refused(officer.post(f"/calls/{call}/links", data), message)
        assert f'href="#{field}"' in _error_summary(refused)
    declared = officer.post(f"/calls/{call}/links", {"question_id": str(second)})
    assert declared.status_code == 302
    again = officer.post(f"/calls/{call}/links", {"question_id": str(second)},
                         follow_redirects=True)
    assert "The call had already declared it." in again.text
    assert officer.post(f"/calls/{call}/links", {
        "commitment_id": str(world["started"])}).status_code == 302
    with app.app_context():
        links = db.session.scalars(select(CallLink).where(CallLink.call_id == call)).all()
        assert sorted((link.question_id or 0, link.commitment_id or 0) for link in links) == \
            sorted([(world["questions"][0], 0), (second, 0), (0, world["started"])])
    withdrawn = officer.post(f"/calls/{call}/links/{world['open_link']}/withdraw")
    assert withdrawn.status_code == 302
    _refused(officer.post(f"/calls/{world['funded']}/links/{world['kept_link']}/withdraw"),
             "Once the call is decided, what it answers stays on record.")
    with app.app_context():
        assert _get(CallLink, world["open_link"]) is None
        assert _get(CallLink, world["kept_link"]) is not None


def test_funded_projects_are_created_completed_and_published(app, world, officer):
    _refused(officer.post(f"/calls/{world['open_call']}/projects"),
             "Funded projects are created once the call’s decisions are recorded.")
    created = officer.post(f"/calls/{world['to_fund']}/projects", follow_redirects=True)
    assert "2 funded projects are created as drafts" in created.text
    again = officer.post(f"/calls/{world['to_fund']}/projects", follow_redirects=True)
    assert "No new funded project" in again.text
    with app.app_context():
        projects = db.session.scalars(select(FundedProject).where(
            FundedProject.call_id == world["to_fund"]).order_by(FundedProject.id)).all()
        assert [p.lay_reviewer_count for p in projects] == [5, 5]
        project_id = projects[0].id
    page = _ok_page(officer.get(f"/projects/{project_id}"))
    assert 'value="Walking after chemotherapy 1"' in page
    assert "Lay reviewers took part in the selection: 5 people, in 1 round." in page
    assert "Secret" not in page and "Confidential" not in page  # nothing of lay review

    path = f"/projects/{project_id}"
    data = {"title_en": "", "lay_summary_en": "Walking helps.", "title_fr": "",
            "lay_summary_fr": "", "institution": "Institut Curie"}
    refused = _refused(officer.post(path, data), "Please give a title in each language")
    assert "Walking helps.</textarea>" in refused
    data.update(title_en="Walking after chemotherapy", title_fr="Marcher après la chimio",
                lay_summary_fr="La marche aide.")
    assert officer.post(path, data).status_code == 302
    assert "Publish this funded project?" in _ok_page(officer.post(f"{path}/publish"))
    assert officer.post(f"{path}/publish", {"confirmed": "1"}).status_code == 302
    with app.app_context():
        project = _get(FundedProject, project_id)
        assert project.published_at is not None and project.title("fr") == \
            "Marcher après la chimio"
    refused = officer.post(path, data)
    assert refused.status_code == 302  # published: fixed
    _refused(officer.post(f"{path}/publish", {"confirmed": "1"}), "already published")


def test_a_project_without_lay_summary_is_not_published(app, world, officer):
    path = f"/projects/{world['draft_project']}"
    assert officer.post(path, {"title_en": "Untold", "lay_summary_en": "", "title_fr": "",
                               "lay_summary_fr": "", "institution": ""}).status_code == 302
    _refused(officer.post(f"{path}/publish", {"confirmed": "1"}),
             "Please write the project’s lay summary before publishing it.")
    with app.app_context():
        assert _get(FundedProject, world["draft_project"]).published_at is None


def test_a_published_project_gets_updates(app, world, officer):
    path = f"/projects/{world['published_project']}/updates/new"
    form = _ok_page(officer.get(path))
    assert 'enctype="multipart/form-data"' in form and "Project started" in form
    _refused(officer.post(path, {**_update(), "kind": "gossip"}),
             "Please choose what the update is about.")
    answer = officer.post(path, {
        **_update(text_en="The first patients joined."), "kind": "started",
        "link_url_1": "https://example.org/news", "link_label_1": "",
        "document_file_1": (io.BytesIO(PDF), "protocol.pdf")},
        content_type="multipart/form-data")
    assert answer.status_code == 302
    with app.app_context():
        update = db.session.scalars(select(ProjectUpdate)).one()
        assert (update.kind, update.links, [d.original_name for d in update.documents]) == \
            ("started", [{"url": "https://example.org/news",
                          "label": "https://example.org/news"}], ["protocol.pdf"])
    page = _ok_page(officer.get(f"/projects/{world['published_project']}"))
    assert "The first patients joined." in page and "Project started" in page
    draft = f"/projects/{world['draft_project']}/updates/new"
    assert officer.get(draft).status_code == 302
    assert officer.post(draft, {**_update(), "kind": "started"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ProjectUpdate)) == 1


def test_the_pages_speak_french(app, world):
    browser = Browser(app, world, "officer")
    page = browser.client.get("/fr/manage/impact/")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    refused = browser.client.post(
        f"/fr/manage/impact/responses/{world['draft']}/commitments/new",
        data={**_commitment(status="not_retained"), "csrf_token": browser.token})
    assert refused.status_code == 422
    assert "Veuillez indiquer pourquoi cet engagement n’est pas retenu." in refused.text

