"""The same form sent twice at the same moment: the unique constraints decide, no error page.

Each test makes the service's own duplicate check miss, as when two requests run side
by side, so that the database constraint is what stops the duplicate.
"""

import io

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
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import count_in, hidden_value, post


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
