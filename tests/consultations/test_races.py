"""The same form sent twice at the same moment: the unique constraints decide, no error page.

Each test makes the service's own duplicate check miss, as when two requests run side
by side, so that the database constraint is what stops the duplicate.
"""

import io
import threading

import pytest
from sqlalchemy import select

from engage.consultations import notifications, participation, services
from engage.consultations.models import (
    Consultation,
    ConsultationDocument,
    ConsultationFollow,
    ConsultationResponse,
    Contribution,
    ContributionSupport,
)
from engage.core.moderated import Report
from engage.extensions import db
from engage.moderation.models import AuditEntry
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import Auth, count, count_in, csrf_token, hidden_value, post


def signed_in(app, auth, role="participant"):
    with stored(app):
        person = builders.user(role)
        email = person.email
    auth.sign_in(email)


def test_contribution_sent_twice_at_once(app, client, auth, monkeypatch):
    signed_in(app, auth)
    with stored(app):
        item_id = builders.consultation("open").id
    page = client.get(f"/en/consultations/{item_id}")
    data = {"body": "Only once", "submission_key": hidden_value(page.text, "submission_key")}
    assert post(client, f"/en/consultations/{item_id}/contributions", data).status_code == 302
    monkeypatch.setattr(participation, "existing_submission",
                        _miss_once(participation.existing_submission))
    again = post(client, f"/en/consultations/{item_id}/contributions", data)
    assert again.status_code == 302 and "#contribution-" in again.headers["Location"]
    assert count_in(app, Contribution) == 1


def test_support_clicked_twice_at_once(app, client, auth, monkeypatch):
    signed_in(app, auth)
    with stored(app):
        item = builders.consultation("open")
        ids = item.id, builders.contribution(item, builders.user()).id
    url = f"/en/consultations/{ids[0]}/contributions/{ids[1]}/support"
    post(client, url)
    monkeypatch.setattr(participation, "supports", lambda actor, contribution: False)
    again = post(client, url)
    assert again.status_code == 302
    assert "You already support this contribution." in client.get(again.headers["Location"]).text
    assert count_in(app, ContributionSupport) == 1


def test_follow_clicked_twice_at_once(app, client, auth, monkeypatch):
    signed_in(app, auth)
    with stored(app):
        item_id = builders.consultation("open").id
    post(client, f"/en/consultations/{item_id}/follow")
    monkeypatch.setattr(notifications, "is_following", lambda user, consultation: False)
    assert post(client, f"/en/consultations/{item_id}/follow").status_code == 302
    assert count_in(app, ConsultationFollow) == 1


def test_answers_sent_twice_at_once(app, client, auth, monkeypatch):
    signed_in(app, auth)
    with stored(app):
        item = builders.consultation("open", with_questions=True)
        item_id, scale = item.id, item.questions[2].id
    url = f"/en/consultations/{item_id}/questionnaire"
    post(client, url, {"action": "draft", f"q{scale}": "2"})
    monkeypatch.setattr(participation, "response_of", _miss_once(participation.response_of))
    again = post(client, url, {"action": "draft", f"q{scale}": "5"})
    assert again.status_code == 302
    assert count_in(app, ConsultationResponse) == 1
    with app.app_context():
        response = db.session.scalar(select(ConsultationResponse))
        assert [a.number for a in response.answers] == [5]


def _miss_once(real):
    """`real`, except that its first call finds nothing (the other request is not done)."""
    state = {"missed": False}

    def lookup(*args):
        if not state["missed"]:
            state["missed"] = True
            return None
        return real(*args)

    return lookup


def test_consultation_created_twice_at_once(app, client, auth, monkeypatch):
    signed_in(app, auth, "moderator")
    form = client.get("/en/consultations/new")
    data = {"title_en": "Twice", "audience": "everyone", "moderation_policy": "post",
            "submission_key": hidden_value(form.text, "submission_key")}
    post(client, "/en/consultations/new", data)
    monkeypatch.setattr(services, "find_by_key", _miss_once(services.find_by_key))
    again = post(client, "/en/consultations/new", data)
    assert again.status_code == 302 and again.headers["Location"].endswith("/manage")
    assert count_in(app, Consultation) == 1


def test_upload_sent_twice_at_once_leaves_no_stray_file(app, client, auth, monkeypatch,
                                                       uploads):
    signed_in(app, auth, "moderator")
    with stored(app):
        item_id = builders.consultation("draft").id
    page = client.get(f"/en/consultations/{item_id}/manage")
    key = hidden_value(page.text, "submission_key")

    def send():
        return post(client, f"/en/consultations/{item_id}/documents",
                    {"title": "Note", "submission_key": key,
                     "file": (io.BytesIO(b"%PDF-1.4 x"), "note.pdf")},
                    content_type="multipart/form-data")

    send()
    monkeypatch.setattr(services, "find_by_key", lambda model, key: None)
    assert send().status_code == 302
    assert count_in(app, ConsultationDocument) == 1
    assert len(list(uploads.iterdir())) == 1  # the second copy was removed


# Counters under real concurrency: threads send their requests at the same moment, on
# PostgreSQL (the production database, where requests run side by side).

SUPPORTERS = 6
ROUNDS = 12


def _supporters(app, count: int) -> list:
    """`count` clients, each signed in as a participant of its own, with its CSRF token."""
    clients = []
    for _ in range(count):
        client = app.test_client()
        person = Auth(app, client)
        with stored(app):
            email = builders.user("participant").email
        assert person.sign_in(email).status_code == 302
        clients.append((client, csrf_token(client.get("/en/account/"))))
    return clients


def _at_once(requests) -> list[int]:
    """Run each `request()` in a thread of its own, all released together; their statuses."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    def run(index, request):
        barrier.wait()
        statuses[index] = request().status_code

    threads = [threading.Thread(target=run, args=(index, request))
               for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _support_figures(app, contribution_id: int) -> tuple[int, int]:
    with app.app_context():
        stored_count = db.session.get(Contribution, contribution_id).support_count
        real = count(ContributionSupport, ContributionSupport.contribution_id == contribution_id)
    return stored_count, real


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_support_count_stays_exact_when_people_support_and_withdraw_at_once(app):
    with stored(app):
        consultation = builders.consultation("open")
        ids = consultation.id, builders.contribution(consultation, builders.user()).id
    url = f"/en/consultations/{ids[0]}/contributions/{ids[1]}"
    clients = _supporters(app, SUPPORTERS)
    # Half of them support it first: then, every round, some withdraw while others support.
    supporting = [index % 2 == 0 for index in range(SUPPORTERS)]
    for (client, token), supports_it in zip(clients, supporting, strict=True):
        if supports_it:
            assert client.post(f"{url}/support", data={"csrf_token": token}).status_code == 302
    for round_number in range(ROUNDS):
        requests = []
        for index, (client, token) in enumerate(clients):
            action = "withdraw-support" if supporting[index] else "support"
            requests.append(lambda client=client, token=token, action=action: client.post(
                f"{url}/{action}", data={"csrf_token": token}))
            supporting[index] = not supporting[index]
        assert _at_once(requests) == [302] * SUPPORTERS
        stored_count, real = _support_figures(app, ids[1])
        assert real == sum(supporting), round_number
        assert stored_count == real, f"round {round_number}: {stored_count} stored, {real} real"


REPORTERS = 6


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_open_report_count_stays_exact_when_people_report_at_once(app, monkeypatch):
    # Above the number of reporters: the item stays published, every report is accepted.
    monkeypatch.setitem(app.config, "MODERATION_REPORT_THRESHOLD", 100)
    for round_number in range(ROUNDS // 2):
        with stored(app):
            consultation = builders.consultation("open")
            ids = consultation.id, builders.contribution(consultation, builders.user()).id
        url = f"/en/consultations/{ids[0]}/contributions/{ids[1]}/report"
        requests = [lambda client=client, token=token, url=url: client.post(
            url, data={"csrf_token": token, "reason": "spam"})
            for client, token in _supporters(app, REPORTERS)]
        assert _at_once(requests) == [302] * REPORTERS
        with app.app_context():
            stored_count = db.session.get(Contribution, ids[1]).open_report_count
            real = count(Report, Report.target_id == ids[1], Report.status == "open")
        assert real == REPORTERS
        assert stored_count == real, f"round {round_number}: {stored_count} stored, {real} real"


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_reports_at_once_reach_the_threshold(app, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_REPORT_THRESHOLD", REPORTERS)
    with stored(app):
        consultation = builders.consultation("open")
        ids = consultation.id, builders.contribution(consultation, builders.user()).id
    url = f"/en/consultations/{ids[0]}/contributions/{ids[1]}/report"
    requests = [lambda client=client, token=token: client.post(
        url, data={"csrf_token": token, "reason": "spam"})
        for client, token in _supporters(app, REPORTERS)]
    assert _at_once(requests) == [302] * REPORTERS
    with app.app_context():
        item = db.session.get(Contribution, ids[1])
        assert (item.open_report_count, item.moderation_status) == (REPORTERS, "hidden")
        assert count(AuditEntry, AuditEntry.target_id == ids[1],
                     AuditEntry.action == "auto_hide") == 1
