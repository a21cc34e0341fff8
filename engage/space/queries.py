"""Read models of "My space": the unread count of the header, pages of notifications with
their sentences, the person's choices of delivery, the areas' sections, and the section of
associations and representation requests (the accounts area has no section of its own)."""

from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from engage.accounts.models import Membership
from engage.core import aggregate_cache, registry, versions
from engage.core.notifications import (
    DEFAULTS,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from engage.core.pagination import ListPage, paginate
from engage.extensions import db
from engage.space import messages, permissions
from engage.space.models import DigestPeriod, NotificationDigest, SpaceVisit

PER_PAGE = 20
LATEST = 5  # notifications shown at the top of My space


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def header_unread_count() -> int:
    """The signed-in person's unread notifications, for the header of every page: once per
    request, kept between requests while nothing is written (engage.core.aggregate_cache)."""
    if not permissions.can_use_space(current_user):
        return 0
    if "space_unread_count" not in g:
        user_id = current_user.id
        g.space_unread_count = aggregate_cache.remember(("space-unread", user_id),
                                                        lambda: unread_count(user_id),
                                                        [versions.user(user_id)])
    return g.space_unread_count


def _newest_first(user_id: int):
    return (select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def notifications_page(user, language: str) -> ListPage:
    """A page of the person's notifications, newest first, each with its sentence and link."""
    page = paginate(_newest_first(user.id), per_page=PER_PAGE)
    return ListPage(messages.describe(list(page.items), language), page.page, PER_PAGE,
                    page.total or 0)


def latest(user, language: str) -> list[messages.Shown]:
    return messages.describe(list(db.session.scalars(_newest_first(user.id).limit(LATEST))),
                             language)


def notification_of(user, notification_id: int) -> Notification | None:
    """The person's own notification with this id; None for anyone else's."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or not permissions.can_read(user, notification):
        return None
    return notification


def deliveries(user) -> dict[str, str]:
    """How the person hears of each kind: their choice, else the default."""
    chosen = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.delivery)
        .where(NotificationPreference.user_id == user.id)).all())
    return {kind.value: chosen.get(kind.value, DEFAULTS[kind]) for kind in NotificationKind}


def sections(user, since) -> list[tuple[registry.SpaceSection, dict]]:
    """The areas' sections of My space that have something to show, in their order."""
    shown = []
    for section in sorted(registry.of().personal_space_sections, key=lambda s: s.order):
        context = section.load(user, since)
        if context is not None:
            shown.append((section, context))
    return shown


def associations_section(user, since) -> dict:
    """The associations the person asked to represent, and what was decided."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id)
        .options(joinedload(Membership.association))
        .order_by(Membership.created_at.desc(), Membership.id.desc())).all()
    return {"memberships": memberships, "since": since}


# "My data"

PERSONAL_DATA_TITLE = _l("Your notifications, how you receive them and your visits to My space")
# The codes of those rows, named on the readable page.
PERSONAL_DATA_CODES = {"notification_kind": NotificationKind.labels(),
                       "notification": NotificationKind.labels(),
                       "delivery": Delivery.labels(), "digest": DigestPeriod.labels()}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user) -> list[dict]:
    """How the person hears of each kind, then each notification (its kind and the ids it is
    about), the digests sent and their visits to My space."""
    rows: list[dict] = [{"notification_kind": kind, "delivery": delivery}
                        for kind, delivery in deliveries(user).items()]
    for notification in db.session.scalars(
            select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at, Notification.id)):
        rows.append({"notification": notification.kind, "about": notification.params,
                     "at": _iso(notification.created_at), "read_at": _iso(notification.read_at),
                     "in_a_digest_at": _iso(notification.digested_at)})
    for digest in db.session.scalars(
            select(NotificationDigest).where(NotificationDigest.user_id == user.id)
            .order_by(NotificationDigest.sent_at, NotificationDigest.id)):
        rows.append({"digest": digest.period, "for": _iso(digest.period_start),
                     "sent_at": _iso(digest.sent_at), "notifications": digest.count})
    visit = db.session.get(SpaceVisit, user.id)
    if visit is not None:
        rows.append({"my_space_visit_started_at": _iso(visit.started_at),
                     "previous_visit_started_at": _iso(visit.previous_at)})
    return rows
