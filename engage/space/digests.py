"""Digest emails: one per person and period, listing the notifications they have not read,
of the kinds they asked to receive that way, since their last digest; in their language,
then the same list in the other language (one bilingual email).

`send_digests` is run by `flask engage send-digests --period daily|weekly`. A digest is
recorded per person, period and day (or week, from its Monday): running the command again
that day, or twice at once, sends nothing more; and a notification listed once
(`digested_at`) is never listed again.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.i18n import language_label
from engage.core.notifications import Delivery, Notification, NotificationPreference
from engage.core.outbox import queue_email
from engage.extensions import db
from engage.space import messages
from engage.space.models import DigestPeriod, NotificationDigest
from engage.space.services import language_of

LENGTHS = {DigestPeriod.DAILY: timedelta(days=1), DigestPeriod.WEEKLY: timedelta(days=7)}
BATCH = 500  # people handled per round of queries


def period_start(period: DigestPeriod, today: date) -> date:
    return today if period == DigestPeriod.DAILY else today - timedelta(days=today.weekday())


def _other_languages(language: str) -> list[str]:
    return [code for code in current_app.config["LANGUAGES"] if code != language]


def _part(notifications: list[Notification], language: str) -> dict:
    """The list and its sentences in one language (the current locale is switched to it)."""
    with force_locale(language):
        lines = messages.describe(notifications, language, html=False, external=True)
        return {
            "language": language,
            "heading": gettext("In %(language)s", language=language_label(language)),
            "intro": ngettext("%(num)d notification you have not read yet:",
                              "%(num)d notifications you have not read yet:", len(lines)),
            "lines": [{"text": line.text, "url": line.url or url_for(
                "space.notifications", lang_code=language, _external=True)} for line in lines],
            "settings": gettext("To choose what you receive and how often: %(url)s",
                                url=url_for("space.preferences", lang_code=language,
                                            _external=True)),
        }


def _send(user: User, period: DigestPeriod, start: date, notifications: list[Notification],
          now: datetime) -> bool:
    """Record the digest (refused if one exists for this period), then queue it."""
    try:
        with db.session.begin_nested():
            db.session.add(NotificationDigest(user_id=user.id, period=period,
                                              period_start=start, sent_at=now,
                                              count=len(notifications)))
    except IntegrityError:  # another run sent it in the meantime
        return False
    language = language_of(user)
    main = _part(notifications, language)
    others = [_part(notifications, code) for code in _other_languages(language)]
    queue_email(user.email, language, "space/digest", user=user, weekly=period ==
                DigestPeriod.WEEKLY, count=len(notifications), lines=main["lines"],
                settings_url=url_for("space.preferences", lang_code=language, _external=True),
                others=others)
    for notification in notifications:
        notification.digested_at = now
    return True


def _kinds_by_user(period: DigestPeriod) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for user_id, kind in db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.kind)
            .where(NotificationPreference.delivery == Delivery(period.value))
            .order_by(NotificationPreference.user_id)):
        found[user_id].add(kind)
    return found


def _round(period: DigestPeriod, start: date, kinds: dict[int, set[str]],
           now: datetime) -> int:
    ids = sorted(kinds)
    done = set(db.session.scalars(select(NotificationDigest.user_id).where(
        NotificationDigest.user_id.in_(ids), NotificationDigest.period == period,
        NotificationDigest.period_start == start)))
    last = dict(db.session.execute(
        select(NotificationDigest.user_id, func.max(NotificationDigest.sent_at))
        .where(NotificationDigest.user_id.in_(ids), NotificationDigest.period == period)
        .group_by(NotificationDigest.user_id)).all())
    users = {user.id: user for user in db.session.scalars(select(User).where(
        User.id.in_([i for i in ids if i not in done]), User.email_confirmed_at.is_not(None),
        User.blocked_at.is_(None), User.deleted_at.is_(None),
        User.deactivated_at.is_(None)))}
    waiting: dict[int, list[Notification]] = defaultdict(list)
    # Since the person's last digest of this period, or one period back for the first.
    first = now - LENGTHS[period]
    for notification in db.session.scalars(
            select(Notification).where(
                Notification.user_id.in_(list(users)), Notification.read_at.is_(None),
                Notification.digested_at.is_(None),
                Notification.created_at > min([first, *last.values()]))
            .order_by(Notification.user_id, Notification.created_at, Notification.id)):
        since = last.get(notification.user_id, first)
        if notification.kind in kinds[notification.user_id] and notification.created_at > since:
            waiting[notification.user_id].append(notification)
    return sum(_send(users[user_id], period, start, found, now)
               for user_id, found in waiting.items())


def send_digests(period: str, today: date | None = None, now: datetime | None = None) -> int:
    """Queue the digests of `period` ("daily" or "weekly") due now; returns how many.
    Flushes; the command commits."""
    chosen = DigestPeriod(period)
    now = now or utcnow()
    start = period_start(chosen, today or local_today())
    kinds = _kinds_by_user(chosen)
    ids = sorted(kinds)
    sent = 0
    for first in range(0, len(ids), BATCH):
        batch = {user_id: kinds[user_id] for user_id in ids[first:first + BATCH]}
        sent += _round(chosen, start, batch, now)
    db.session.flush()
    return sent
