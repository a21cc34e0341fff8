"""Following a consultation, and the emails: opening, closing soon, summary published."""

from datetime import timedelta

import pytest

from engage.consultations import notifications, services
from engage.consultations.cli import notify_closing_command
from engage.consultations.models import Consultation
from engage.core.clock import local_today
from engage.core.errors import DomainError
from engage.extensions import db
from tests.conftest import outbox
from tests.factories import consultations as builders


def test_follow_and_unfollow(app_context):
    item = builders.consultation("open")
    person = builders.user()
    assert notifications.follow(person, item)
    assert not notifications.follow(person, item)  # a second click changes nothing
    assert notifications.is_following(person, item)
    assert notifications.unfollow(person, item)
    assert not notifications.unfollow(person, item)
    assert not notifications.is_following(person, item)


@pytest.mark.parametrize("status", ["draft", "summarized", "archived"])
def test_some_consultations_cannot_be_followed(app_context, status):
    item = builders.consultation(status)
    with pytest.raises(DomainError):
        notifications.follow(builders.user(), item)


def test_unconfirmed_accounts_cannot_follow(app_context):
    with pytest.raises(DomainError):
        notifications.follow(builders.user("unconfirmed"), builders.consultation("open"))


def _closing_in(app, days: int, *followers: str) -> int:
    with app.app_context():
        item = builders.consultation("open")
        item.closes_on = local_today() + timedelta(days=days)
        for email in followers:
            notifications.follow(builders.user(language="fr", email=email), item)
        db.session.commit()
        return item.id


def test_closing_reminder_is_sent_once(app, runner):
    reminded = _closing_in(app, 3, "a@example.org", "b@example.org")
    later = _closing_in(app, 4, "c@example.org")
    result = runner.invoke(notify_closing_command)
    assert result.exit_code == 0, result.output
    assert "1 consultation(s) reminded" in result.output
    [message] = outbox(app, "a@example.org")
    assert "Vivre après un cancer" in message.subject and message.language == "fr"
    assert "3" in message.body and f"/fr/consultations/{reminded}" in message.body
    assert len(outbox(app, "b@example.org")) == 1
    assert outbox(app, "c@example.org") == []
    again = runner.invoke(notify_closing_command)
    assert "0 consultation(s) reminded" in again.output
    assert len(outbox(app, "a@example.org")) == 1
    # The next day, the other one is due; a missed day still catches up.
    tomorrow = (local_today() + timedelta(days=2)).isoformat()
    runner.invoke(notify_closing_command, ["--date", tomorrow])
    assert len(outbox(app, "c@example.org")) == 1
    with app.app_context():
        assert db.session.get(Consultation, later).closing_reminder_sent_at is not None


def test_no_reminder_for_closed_or_past_consultations(app, runner):
    with app.app_context():
        closed = builders.consultation("open")
        closed.closes_on = local_today() + timedelta(days=1)
        notifications.follow(builders.user(email="closed@example.org"), closed)
        closed.close()
        past = builders.consultation("past_closing")
        notifications.follow(builders.user(email="past@example.org"), past)
        db.session.commit()
    result = runner.invoke(notify_closing_command)
    assert "0 consultation(s) reminded" in result.output
    assert outbox(app) == []


def test_summary_published_is_told_once(app, app_context):
    item = builders.consultation("closed")
    english = builders.user(language="en", email="en@example.org")
    notifications.follow(english, item)
    item.summarize()
    assert notifications.notify_summary_published(item, "https://example.org/summary") == 1
    assert notifications.notify_summary_published(item) == 0
    db.session.commit()
    [message] = outbox(app, "en@example.org")
    assert message.subject == "The summary of “Living after cancer” is published"
    assert "https://example.org/summary" in message.body


def test_opening_tells_only_followers(app, app_context):
    item = builders.consultation("upcoming")
    follower = builders.user(email="follower@example.org")
    notifications.follow(follower, item)
    builders.user(email="not-following@example.org")
    services.change_status(builders.moderator(), item, "open")
    db.session.commit()
    [message] = outbox(app, "follower@example.org")
    assert message.subject == "The consultation “Living after cancer” is open"
    assert "You can take part until" in message.body


def test_the_command_is_under_flask_engage(app, runner):
    _closing_in(app, 1, "soon@example.org")
    result = runner.invoke(args=["engage", "notify-closing"])
    assert result.exit_code == 0, result.output
    assert "1 consultation(s) reminded" in result.output
    assert len(outbox(app, "soon@example.org")) == 1
