"""`flask engage purge` applies the retention rules of the privacy notice."""

from datetime import timedelta

from engage.accounts.models import User
from engage.accounts.retention import purge
from engage.core.db import utcnow
from engage.core.outbox import OutboxMessage
from engage.extensions import db


def age(app, user_id, days, field="created_at"):
    with app.app_context():
        user = db.session.get(User, user_id)
        setattr(user, field, utcnow() - timedelta(days=days))
        db.session.commit()


def test_unconfirmed_accounts_go_after_30_days(app, factory, runner):
    old = factory.user(confirmed=False)
    recent = factory.user(confirmed=False)
    age(app, old, 31)
    age(app, recent, 29)
    result = runner.invoke(args=["engage", "purge"])
    assert "Unconfirmed accounts deleted: 1" in result.output
    with app.app_context():
        assert db.session.get(User, old) is None
        assert db.session.get(User, recent) is not None


def test_old_emails_go_after_90_days(app):
    with app.app_context():
        db.session.add_all([
            OutboxMessage(recipient="a@example.org", language="fr", subject="s", body="b",
                          created_at=utcnow() - timedelta(days=91)),
            OutboxMessage(recipient="b@example.org", language="fr", subject="s", body="b"),
        ])
        db.session.commit()
        with app.test_request_context():
            assert purge(utcnow()).outbox_deleted == 1
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1


def test_inactive_accounts_are_warned_then_deleted(app, factory):
    app.config["INACTIVE_ACCOUNT_DAYS"] = 365
    try:
        sleeper = factory.user(email="sleeper@example.org", language="en")
        awake = factory.user()
        age(app, sleeper, 340, "last_sign_in_at")
        age(app, awake, 10, "last_sign_in_at")
        with app.test_request_context():
            report = purge(utcnow())
            db.session.commit()
            assert (report.inactive_warned, report.inactive_deleted) == (1, 0)
            warning = db.session.scalar(db.select(OutboxMessage))
            assert warning.recipient == "sleeper@example.org"
            assert "will be deleted in 30 days" in warning.subject
            # Run again the same day: no second warning.
            assert purge(utcnow()).inactive_warned == 0
            # 30 days later, still inactive: deleted.
            report = purge(utcnow() + timedelta(days=31))
            db.session.commit()
            assert report.inactive_deleted == 1
            assert db.session.get(User, sleeper).deleted_at is not None
            assert db.session.get(User, awake).deleted_at is None
    finally:
        app.config["INACTIVE_ACCOUNT_DAYS"] = 3 * 365


def test_signing_in_after_the_warning_keeps_the_account(app, factory):
    app.config["INACTIVE_ACCOUNT_DAYS"] = 365
    try:
        user_id = factory.user()
        age(app, user_id, 340, "last_sign_in_at")
        with app.test_request_context():
            purge(utcnow())
            db.session.commit()
            db.session.get(User, user_id).last_sign_in_at = utcnow()
            db.session.commit()
            assert purge(utcnow() + timedelta(days=31)).inactive_deleted == 0
    finally:
        app.config["INACTIVE_ACCOUNT_DAYS"] = 3 * 365
