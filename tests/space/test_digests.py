"""Digest emails (one per person and period, bilingual, idempotent) and the instant emails of
the kinds no area emailed before."""

from datetime import date, timedelta

from sqlalchemy import select

from engage.consultations import participation
from engage.consultations.models import Contribution
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.notifications import (
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    notify,
)
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.space.cli import send_digests_command
from engage.space.digests import send_digests
from engage.space.models import NotificationDigest
from tests.factories import consultations as builders
from tests.factories.users import user

Kind = NotificationKind


def emails_to(person) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == person.email).order_by(OutboxMessage.id)))


def choose(person, kind, delivery) -> None:
    db.session.add(NotificationPreference(user_id=person.id, kind=kind, delivery=delivery))
    db.session.flush()


def replies_to(person, count: int, consultation=None) -> Contribution:
    consultation = consultation or builders.consultation("open")
    contribution = builders.contribution(consultation, person, "Fatigue lasts.")
    for number in range(count):
        participation.post_reply(user(display_name=f"Replier {number}"), contribution,
                                 f"Reply {number}")
    return contribution


def test_a_digest_lists_what_was_not_read_of_its_kinds_in_both_languages(app_context):
    person = user(language="en")
    choose(person, Kind.REPLY, Delivery.DAILY)
    choose(person, Kind.MODERATION, Delivery.WEEKLY)
    contribution = replies_to(person, 3)
    first = db.session.scalars(select(Notification).where(
        Notification.user_id == person.id).order_by(Notification.id)).first()
    first.read_at = utcnow()  # read already: not listed
    notify(person, Kind.MODERATION, target_type="contribution", target_id=contribution.id,
           decision="approved")  # a weekly kind
    notify(person, Kind.CONSULTATION_OPENED, consultation_id=contribution.consultation_id)
    assert send_digests("daily") == 1
    [message] = emails_to(person)
    assert message.subject == "Your notifications of the day on Engage"
    assert message.language == "en"
    english, _, french = message.body.partition("-----")
    assert "2 notifications you have not read yet:" in english
    assert "Replier 1 replied to your contribution in “Living after cancer”." in english
    assert "Replier 2 replied" in english and "Replier 0" not in english
    assert "moderators" not in english and "is open" not in english
    assert f"/en/consultations/{contribution.consultation_id}/contributions/" in english
    assert "/en/my-space/settings" in english
    assert "En français" in french
    assert "Replier 1 a répondu à votre contribution dans «\u00a0Vivre après un cancer\u00a0»." \
        in french
    assert f"/fr/consultations/{contribution.consultation_id}/contributions/" in french
    digested = db.session.scalars(select(Notification).where(
        Notification.digested_at.is_not(None))).all()
    assert sorted(n.params["reply_id"] for n in digested) == sorted(
        n.params["reply_id"] for n in db.session.scalars(select(Notification).where(
            Notification.kind == Kind.REPLY, Notification.read_at.is_(None))))


def test_one_digest_a_day_whatever_the_runs(app_context):
    person = user(language="fr")
    choose(person, Kind.REPLY, Delivery.DAILY)
    contribution = replies_to(person, 1)
    assert send_digests("daily") == 1
    assert send_digests("daily") == 0  # run again: nothing more
    participation.post_reply(user(display_name="Later"), contribution, "Later that day.")
    assert send_digests("daily") == 0  # one a day
    tomorrow = utcnow() + timedelta(days=1)
    assert send_digests("daily", today=local_today() + timedelta(days=1), now=tomorrow) == 1
    first, second = emails_to(person)
    assert first.language == "fr" and "Replier 0" in first.body
    assert "Later" in second.body and "Replier 0" not in second.body
    assert db.session.scalar(select(db.func.count(NotificationDigest.id))) == 2


def test_a_weekly_digest_is_sent_once_a_week(app_context):
    person = user()
    choose(person, Kind.REPLY, Delivery.WEEKLY)
    replies_to(person, 1)
    monday = date(2026, 11, 30)
    assert send_digests("weekly", today=monday + timedelta(days=2)) == 1
    assert send_digests("weekly", today=monday + timedelta(days=6)) == 0
    digest = db.session.scalar(select(NotificationDigest))
    assert digest.period_start == monday and digest.count == 1
    assert send_digests("daily") == 0  # nobody asked for a daily one


def test_no_digest_for_those_who_did_not_ask_nor_for_a_blocked_or_deactivated_account(
        app_context):
    by_default, blocked, deactivated = user(), user(), user()
    for person in (blocked, deactivated):
        choose(person, Kind.REPLY, Delivery.DAILY)
    for person in (by_default, blocked, deactivated):
        replies_to(person, 1)
    blocked.blocked_at = utcnow()  # blocked after the replies
    deactivated.deactivated_at = utcnow()
    assert send_digests("daily") == 0
    assert emails_to(by_default) == [] and emails_to(blocked) == []
    assert emails_to(deactivated) == []


def test_the_command_sends_and_can_run_again(app, runner):
    with app.test_request_context("/en/"):
        person = user()
        choose(person, Kind.REPLY, Delivery.DAILY)
        replies_to(person, 2)
        db.session.commit()
        email = person.email
    result = runner.invoke(send_digests_command, ["--period", "daily"])
    assert result.exit_code == 0, result.output
    assert "1 digest(s) sent." in result.output
    again = runner.invoke(send_digests_command, ["--period", "daily"])
    assert "0 digest(s) sent." in again.output
    refused = runner.invoke(send_digests_command, ["--period", "hourly"])
    assert refused.exit_code == 2
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == email)).all()
        assert message.status in ("logged", "sent")


def test_an_email_at_once_for_a_reply_when_asked(app_context):
    asked, by_default = user(), user()
    choose(asked, Kind.REPLY, Delivery.EMAIL)
    contribution = replies_to(asked, 1)
    replies_to(by_default, 1)
    [message] = emails_to(asked)
    assert message.subject == "Someone replied to your contribution"
    assert "Replier 0 replied to your contribution in “Living after cancer”." in message.body
    assert f"/en/consultations/{contribution.consultation_id}/contributions/" \
           f"{contribution.id}#contribution-" in message.body
    assert "/en/my-space/settings" in message.body
    assert emails_to(by_default) == []


def test_a_notification_is_never_in_two_digests(app_context):
    person = user()
    choose(person, Kind.REPLY, Delivery.DAILY)
    replies_to(person, 1)
    assert send_digests("daily") == 1
    preference = db.session.scalar(select(NotificationPreference))
    preference.delivery = Delivery.WEEKLY  # the person now wants it weekly
    assert send_digests("weekly") == 0
    assert len(emails_to(person)) == 1
