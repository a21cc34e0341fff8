"""Emailed links start with the site's address (BASE_URL), never with the request's Host:
a request sent with a forged `Host` cannot make the site email a link to another site
(engage/core/urls.py); scheduled commands, which have no request, link to the site too."""

import re
from datetime import timedelta

import pytest
from flask import url_for

from engage.accounts.models import Role, User
from engage.consultations import notifications
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.extensions import db
from tests.conftest import outbox
from tests.factories import consultations as builders
from tests.factories.moderation import world as moderation_world
from tests.factories.reviews import ReviewWorld
from tests.factories.users import PASSWORD, email_of
from tests.helpers import csrf_token, hidden_value

SITE = "https://engage.example.org/engage"
FORGED = {"Host": "evil.example"}
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def site(app, monkeypatch):
    """The site is served under a path of its own: links keep it."""
    monkeypatch.setitem(app.config, "BASE_URL", SITE)
    return SITE


def links(message) -> list[str]:
    found = LINK.findall(message.body)
    assert found, message.body
    return found


def test_a_password_reset_asked_with_a_forged_host_links_to_the_site(app, client, factory,
                                                                     site):
    factory.user(email="forgetful@example.org", language="en")
    page = client.get("/en/account/password/forgotten", headers=FORGED)
    response = client.post("/en/account/password/forgotten", headers=FORGED, data={
        "email": "forgetful@example.org", "csrf_token": csrf_token(page)})
    assert response.status_code == 200
    [message] = outbox(app, "forgetful@example.org")
    [link] = links(message)
    assert link.startswith(f"{site}/en/account/password/reset/")
    # Its token works (the path prefix is the proxy's: the app sees the path after it).
    assert client.get(link.removeprefix(site)).status_code == 200


def test_a_registration_sent_with_a_forged_host_links_to_the_site(app, client, site):
    page = client.get("/en/account/register", headers=FORGED)
    response = client.post("/en/account/register", headers=FORGED, data={
        "email": "new.person@example.org", "display_name": "Nadia",
        "password": "a long enough password", "confirm_password": "a long enough password",
        "consent": "y", "participant_type": "patient", "departement": "93",
        "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    [message] = outbox(app, "new.person@example.org")
    [link] = links(message)
    assert link.startswith(f"{site}/en/account/confirm/")
    assert client.get(link.removeprefix(site)).status_code == 302  # confirmed


def test_a_moderation_decision_made_through_a_forged_host_links_to_the_site(app, client,
                                                                             factory, site):
    data = moderation_world(app, reports=1)
    item_id = data["reported"][0]
    moderator = email_of(app, factory.user(role=Role.MODERATOR))
    page = client.get("/en/account/sign-in", headers=FORGED)  # cookies go with the host
    assert client.post("/en/account/sign-in", headers=FORGED, data={
        "email": moderator, "password": PASSWORD, "csrf_token": csrf_token(page),
    }).status_code == 302
    page = client.get(f"/en/moderation/items/contribution/{item_id}", headers=FORGED)
    response = client.post(f"/en/moderation/items/contribution/{item_id}/hide",
                           headers=FORGED, data={
                               "hide-csrf_token": csrf_token(page, "hide"),
                               "hide-expected_state": hidden_value(page, "hide-expected_state"),
                               "hide-reason": "offensive", "hide-note": ""})
    assert response.status_code == 302
    [message] = outbox(app, data["author_email"])
    assert links(message) == [
        f"{site}/en/consultations/{data['consultation_id']}/contributions/{item_id}"]


# Scheduled commands: no request at all.


def test_the_closing_reminder_command_links_to_the_site(app, runner, site):
    with app.app_context():
        consultation = builders.consultation("open")
        consultation.closes_on = local_today() + timedelta(days=2)
        notifications.follow(builders.user(language="fr", email="follower@example.org"),
                             consultation)
        db.session.commit()
        consultation_id = consultation.id
    result = runner.invoke(args=["engage", "notify-closing"])
    assert result.exit_code == 0, result.output
    [message] = outbox(app, "follower@example.org")
    assert links(message) == [f"{site}/fr/consultations/{consultation_id}"]


def test_the_inactivity_warning_of_the_purge_command_links_to_the_site(app, runner, factory,
                                                                       site):
    sleeper = factory.user(email="sleeper@example.org", language="en")
    with app.app_context():
        db.session.get(User, sleeper).last_sign_in_at = utcnow() - timedelta(days=3 * 365)
        db.session.commit()
    result = runner.invoke(args=["engage", "purge"])
    assert result.exit_code == 0, result.output
    assert "inactive accounts warned: 1" in result.output
    [message] = outbox(app, "sleeper@example.org")
    assert links(message) == [f"{site}/en/account/sign-in"]


def test_the_review_reminder_command_links_to_the_site(app, runner, factory, site):
    reviews = ReviewWorld(app, factory)
    call_id = reviews.call(deadline_in=2)
    reviews.assign(reviews.application(call_id), reviews.reviewer(email="slow@example.org"))
    result = runner.invoke(args=["engage", "send-review-reminders"])
    assert result.exit_code == 0, result.output
    [message] = outbox(app, "slow@example.org")
    assert f"{site}/en/reviews/assignments" in links(message)


def test_links_built_in_an_application_context_follow_the_setting(app, monkeypatch):
    """A command may set the address for its run after its application context started."""
    with app.app_context():
        monkeypatch.setitem(app.config, "BASE_URL", "https://other.example.org/engage")
        assert url_for("pages.home", lang_code="en") == "https://other.example.org/engage/en/"
