"""Write operations of "My space": visits, reading notifications, choosing how to hear of
them, the instant emails of the kinds no area emails itself, and erasing it all with the
account. Plain functions taking an explicit actor; they flush, never commit."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from engage.core.db import rows_changed, utcnow
from engage.core.errors import DomainError
from engage.core.notifications import (
    DEFAULTS,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from engage.core.outbox import queue_email
from engage.extensions import db
from engage.space import messages, permissions
from engage.space.models import NotificationDigest, SpaceVisit

# Opening My space again within this time (or its next pages) is the same visit: what was
# new at its start stays marked as new.
VISIT_LENGTH = timedelta(minutes=30)
# The kinds that get an email of this area when asked for at once (the others are the
# areas' own emails).
EMAIL_TEMPLATES = {
    NotificationKind.REPLY: "space/reply",
    NotificationKind.CITED: "space/cited",
    NotificationKind.PRIORITY_RESULTS: "space/priority_results",
    NotificationKind.COMMITMENT_RESPONSE: "space/commitment_response",
    NotificationKind.COMMITMENT_STATUS: "space/commitment_status",
    NotificationKind.PRIORITY_TAKEN_UP: "space/priority_taken_up",
    NotificationKind.POSITION_CITED: "space/position_cited",
    NotificationKind.FOLLOWED_UPDATE: "space/followed_update",
}


def record_visit(actor, now: datetime | None = None) -> datetime | None:
    """Note that `actor` opens My space; returns the start of their visit before (None the
    first time). Writes at most once per visit, not on every page."""
    now = now or utcnow()
    visit = db.session.get(SpaceVisit, actor.id)
    if visit is None:
        db.session.add(SpaceVisit(user_id=actor.id, started_at=now))
        db.session.flush()
        return None
    if now - visit.started_at >= VISIT_LENGTH:
        visit.previous_at = visit.started_at
        visit.started_at = now
        db.session.flush()
    return visit.previous_at


def mark_read(actor, notification: Notification) -> bool:
    """False when it was read already."""
    if not permissions.can_read(actor, notification):
        raise DomainError(_l("This notification is not yours."))
    if notification.read_at is not None:
        return False
    notification.read_at = utcnow()
    db.session.flush()
    return True


def mark_all_read(actor) -> int:
    """Mark every unread notification of `actor` read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return rows_changed(result)


def save_preferences(actor, chosen: Mapping[str, str]) -> int:
    """Store how `actor` wants to hear of each kind (a row only where it differs from the
    default); returns the number of kinds whose delivery changed."""
    kinds = {kind.value for kind in NotificationKind}
    deliveries = {delivery.value for delivery in Delivery}
    if set(chosen) - kinds or set(chosen.values()) - deliveries:
        raise DomainError(_l("Please choose from the lists."))
    rows = {row.kind: row for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == actor.id))}
    changed = 0
    for kind, delivery in chosen.items():
        row = rows.get(kind)
        before = row.delivery if row is not None else DEFAULTS[NotificationKind(kind)]
        if delivery == before:
            continue
        changed += 1
        if delivery == DEFAULTS[NotificationKind(kind)]:
            db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=actor.id, kind=kind,
                                                  delivery=delivery))
        else:
            row.delivery = delivery
    db.session.flush()
    return changed


def language_of(user) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else languages[0]


def email_at_once(notification: Notification, user) -> bool:
    """The email of a notification whose kind no area emails (registered in the registry's
    `notification_emails`): its sentence and link in the person's language."""
    template = EMAIL_TEMPLATES.get(NotificationKind(notification.kind))
    if template is None or not user.is_confirmed:
        return False
    language = language_of(user)
    with force_locale(language):
        shown = messages.describe([notification], language, html=False, external=True)[0]
        settings_url = url_for("space.preferences", lang_code=language, _external=True)
    queue_email(user.email, language, template, user=user, message=shown.text,
                url=shown.url or url_for("space.index", lang_code=language, _external=True),
                settings_url=settings_url)
    return True


def erase_account_space(user, delete_content: bool) -> None:
    """Notifications, their settings, digests sent and visits only served the person."""
    for model in (Notification, NotificationPreference):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.execute(delete(NotificationDigest).where(NotificationDigest.user_id == user.id))
    db.session.execute(delete(SpaceVisit).where(SpaceVisit.user_id == user.id))
