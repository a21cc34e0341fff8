"""Notifications are personal data: "download my data" shows them (kinds and ids, never a
text), with how the person receives each kind, the digests sent and their visits; deleting
the account erases them all, and only theirs."""

import json

from sqlalchemy import select

from engage.core.notifications import Notification, NotificationPreference
from engage.extensions import db
from engage.space.digests import send_digests
from engage.space.models import NotificationDigest, SpaceVisit
from tests.conftest import PASSWORD, csrf_token
from tests.helpers import count_in, post
from tests.space import RECORD_KINDS


def _everything(app, client, auth, replied):
    """A person with replies, a daily digest sent, a choice made and a visit to My space;
    and another person with a notification of their own."""
    person = replied(replies=2)
    other = replied(replies=1, email="other@example.org")
    auth.sign_in(person.email)
    page = client.get("/en/my-space/settings")
    assert client.post("/en/my-space/settings", data={
        "delivery-reply": "daily", "delivery-csrf_token": csrf_token(page, "delivery"),
        **{f"delivery-{kind}": value for kind, value in (
            ("moderation", "email"), ("consultation_opened", "email"),
            ("consultation_closing", "email"), ("summary_published", "email"),
            ("cited", "app"), ("priority_results", "app"), ("review_assigned", "email"),
            ("review_due", "email"), *((kind, "email") for kind in RECORD_KINDS))}}
    ).status_code == 302
    assert client.get("/en/my-space/").status_code == 200
    with app.test_request_context("/en/"):
        assert send_digests("daily") == 1
        db.session.commit()
    return person, other


def test_my_data_shows_the_notifications_and_how_they_are_received(app, client, auth,
                                                                  replied):
    person, _other = _everything(app, client, auth, replied)
    data = json.loads(client.get("/en/account/my-data.json").data)
    rows = data["notifications"]
    settings = {row["notification_kind"]: row["delivery"] for row in rows
                if "notification_kind" in row}
    assert settings["reply"] == "daily" and settings["moderation"] == "email"
    assert len(settings) == 9 + len(RECORD_KINDS)
    notifications = [row for row in rows if "notification" in row]
    assert [row["notification"] for row in notifications] == ["reply", "reply"]
    assert {row["about"]["reply_id"] for row in notifications} == set(person.reply_ids)
    assert all(row["in_a_digest_at"] for row in notifications)
    assert [row["digest"] for row in rows if "digest" in row] == ["daily"]
    assert any(row.get("my_space_visit_started_at") for row in rows)
    assert "Reply 0" not in json.dumps(rows)  # ids, never what someone wrote

    # The readable page names the codes, in its language.
    page = client.get("/en/account/my-data").text
    for label in ("A reply to one of my contributions", "In a daily email digest",
                  "By email at once"):
        assert label in page, label
    assert ">daily<" not in page and ">reply<" not in page
    french = client.get("/fr/account/my-data").text
    assert "Dans un e-mail récapitulatif quotidien" in french and ">daily<" not in french


def test_deleting_the_account_erases_the_notifications_and_only_those(app, client, auth,
                                                                      replied):
    person, other = _everything(app, client, auth, replied)
    form = client.get("/en/account/delete")
    response = client.post("/en/account/delete", data={
        "password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)})
    assert response.status_code == 302
    for model in (Notification, NotificationPreference, NotificationDigest):
        assert count_in(app, model, model.user_id == person.user_id) == 0, model
    assert count_in(app, SpaceVisit, SpaceVisit.user_id == person.user_id) == 0
    assert count_in(app, Notification, Notification.user_id == other.user_id) == 1


def test_a_deleted_account_is_no_longer_notified(app, client, auth, replied):
    person, _other = _everything(app, client, auth, replied)
    form = client.get("/en/account/delete")
    client.post("/en/account/delete", data={
        "password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)})
    replier = replied(replies=0, email="replier@example.org")
    auth.sign_in(replier.email)
    response = post(client, f"/en/consultations/{person.consultation_id}/contributions/"
                            f"{person.contribution_id}/replies", {"body": "Still here?"})
    assert response.status_code in (302, 303), response.text[:300]
    with app.app_context():
        assert db.session.scalars(select(Notification).where(
            Notification.user_id == person.user_id)).all() == []
