"""Retention: what is deleted, and when (the privacy notice promises these delays)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_login.config import COOKIE_DURATION
from sqlalchemy import delete, func, or_, select

from engage.accounts.models import User
from engage.accounts.personal_data import erase_account
from engage.core.db import rows_changed
from engage.core.outbox import OutboxMessage, queue_email
from engage.core.sessions import delete_sessions_started_before
from engage.extensions import db

log = logging.getLogger(__name__)

UNCONFIRMED_DAYS = 30
OUTBOX_DAYS = 90
WARNING_DAYS = 30


@dataclass
class PurgeReport:
    unconfirmed_deleted: int = 0
    outbox_deleted: int = 0
    inactive_warned: int = 0
    inactive_deleted: int = 0
    sessions_deleted: int = 0


def _longest_cookie() -> timedelta:
    """How long a "remember me" cookie lasts (Flask-Login's setting, a year by default):
    a sign-in session older than that can no longer be used."""
    duration = current_app.config.get("REMEMBER_COOKIE_DURATION", COOKIE_DURATION)
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def purge(now: datetime) -> PurgeReport:
    report = PurgeReport()
    unconfirmed = db.session.scalars(
        select(User).where(
            User.email_confirmed_at.is_(None),
            User.deleted_at.is_(None),
            User.created_at < now - timedelta(days=UNCONFIRMED_DAYS),
        )
    ).all()
    for user in unconfirmed:
        # Nothing was ever written by an unconfirmed account: the row itself goes.
        db.session.delete(user)
    report.unconfirmed_deleted = len(unconfirmed)

    report.outbox_deleted = rows_changed(db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.created_at < now - timedelta(days=OUTBOX_DAYS))
    ))
    report.sessions_deleted = delete_sessions_started_before(now - _longest_cookie())

    inactive_days = current_app.config["INACTIVE_ACCOUNT_DAYS"]
    last_activity = func.coalesce(User.last_sign_in_at, User.created_at)
    active = User.deleted_at.is_(None) & User.email_confirmed_at.is_not(None)
    to_warn = db.session.scalars(
        select(User).where(
            active,
            last_activity < now - timedelta(days=inactive_days - WARNING_DAYS),
            or_(User.inactivity_warning_sent_at.is_(None),
                User.inactivity_warning_sent_at < last_activity),
        )
    ).all()
    for user in to_warn:
        user.inactivity_warning_sent_at = now
        queue_email(
            user.email, user.language, "accounts/inactivity_warning", user=user,
            days=WARNING_DAYS,
            sign_in_url=url_for("accounts.sign_in", lang_code=user.language, _external=True),
        )
    report.inactive_warned = len(to_warn)

    to_delete = db.session.scalars(
        select(User).where(
            active,
            last_activity < now - timedelta(days=inactive_days),
            User.inactivity_warning_sent_at.is_not(None),
            User.inactivity_warning_sent_at <= now - timedelta(days=WARNING_DAYS),
            User.inactivity_warning_sent_at >= last_activity,
        )
    ).all()
    for user in to_delete:
        erase_account(user, delete_content=False)
    report.inactive_deleted = len(to_delete)
    db.session.flush()
    log.info("Retention purge: %s", report)
    return report
