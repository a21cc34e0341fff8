"""Notifications: what happened that concerns a person, kept for their "My space".

Areas call `notify(recipient, kind, actor=..., **ids)` (or `notify_each`) where something
happens: a reply to a contribution, a moderation decision, a consultation opening... A
notification stores its kind and the ids it is about, never a text: the "My space" area
words it in the reader's language when it is shown or mailed, so that it reads right after
a language switch and never keeps a copy of what someone wrote. Nobody is notified of their
own action, and a blocked or deleted account gets nothing.

Each person chooses, kind by kind, how they hear of it (`Delivery`): in the app only, an
email at once, or a daily or weekly digest (`flask engage send-digests`). The kinds that
areas emailed before notifications existed (`EMAILED_BY_AREAS`) keep their area's email,
which the area now sends only when `wants_email_now(user, kind)` (or to `email_now_ids`);
for the other kinds, the instant email is written by whoever the application registered in
`registry.notification_emails` (the "My space" area). Core imports no area.

The kinds of the network's record (`TOLD_BACK`: a commitment answers your words or your
association's position, it changes status, a call takes up a priority you ranked, news of
what you follow) are emailed at once by default: they are rare, and they are the point of
having asked people.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, select, text
from sqlalchemy.orm import Mapped, mapped_column

from engage.core import registry
from engage.core.db import AwareDateTime, LabelledEnum, enum_check, utcnow
from engage.extensions import Model, db


class NotificationKind(LabelledEnum):
    REPLY = "reply"  # a reply to my contribution
    MODERATION = "moderation"  # a moderation decision about what I wrote
    CONSULTATION_OPENED = "consultation_opened"  # a consultation I follow opens
    CONSULTATION_CLOSING = "consultation_closing"  # ... closes in a few days
    SUMMARY_PUBLISHED = "summary_published"  # ... publishes its summary
    CITED = "cited"  # my contribution is cited in a published summary
    PRIORITY_RESULTS = "priority_results"  # an exercise I took part in publishes its results
    REVIEW_ASSIGNED = "review_assigned"  # lay review: applications to review
    REVIEW_DUE = "review_due"  # lay review: the deadline is near
    # What the network did with what people said (engage.accountability.notifications).
    COMMITMENT_RESPONSE = "commitment_response"  # a commitment answers my cited words
    COMMITMENT_STATUS = "commitment_status"  # ... or one I follow, changes status
    PRIORITY_TAKEN_UP = "priority_taken_up"  # a priority I ranked is taken up by a call
    POSITION_CITED = "position_cited"  # a commitment answers my association's position
    FOLLOWED_UPDATE = "followed_update"  # news of a commitment or project I follow

    @classmethod
    def labels(cls):
        return {
            cls.REPLY: _l("A reply to one of my contributions"),
            cls.MODERATION: _l("A moderation decision about what I wrote"),
            cls.CONSULTATION_OPENED: _l("A consultation I follow opens"),
            cls.CONSULTATION_CLOSING: _l("A consultation I follow closes soon"),
            cls.SUMMARY_PUBLISHED: _l("The summary of a consultation I follow or took part "
                                      "in is published"),
            cls.CITED: _l("My words are used in a published summary"),
            cls.PRIORITY_RESULTS: _l("The results of research priorities I took part in are "
                                     "published"),
            cls.REVIEW_ASSIGNED: _l("Applications are given to me for lay review"),
            cls.REVIEW_DUE: _l("The deadline of my lay reviews is near"),
            cls.COMMITMENT_RESPONSE: _l("The network responds to what I said with a "
                                        "commitment"),
            cls.COMMITMENT_STATUS: _l("A commitment that answers my words, or that I follow, "
                                      "changes status"),
            cls.PRIORITY_TAKEN_UP: _l("A funding call takes up a research priority I ranked"),
            cls.POSITION_CITED: _l("The network responds to a position of an association I "
                                   "represent"),
            cls.FOLLOWED_UPDATE: _l("News of a commitment or a funded project I follow"),
        }


class Delivery(LabelledEnum):
    APP = "app"
    EMAIL = "email"
    DAILY = "daily"
    WEEKLY = "weekly"

    @classmethod
    def labels(cls):
        return {
            cls.APP: _l("In My space only"),
            cls.EMAIL: _l("By email at once"),
            cls.DAILY: _l("In a daily email digest"),
            cls.WEEKLY: _l("In a weekly email digest"),
        }


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)
# Kinds whose email the area itself sends (as it did before notifications): by default,
# people keep receiving it at once. The others are shown in the app unless asked otherwise.
EMAILED_BY_AREAS = frozenset({
    NotificationKind.MODERATION, NotificationKind.CONSULTATION_OPENED,
    NotificationKind.CONSULTATION_CLOSING, NotificationKind.SUMMARY_PUBLISHED,
    NotificationKind.REVIEW_ASSIGNED, NotificationKind.REVIEW_DUE,
})
# What the network did with what people said: rare news that closes the loop, emailed at
# once by default (by My space, like the kinds below) so that people who gave their time
# hear of it without having to look.
TOLD_BACK = frozenset({
    NotificationKind.COMMITMENT_RESPONSE, NotificationKind.COMMITMENT_STATUS,
    NotificationKind.PRIORITY_TAKEN_UP, NotificationKind.POSITION_CITED,
    NotificationKind.FOLLOWED_UPDATE,
})
DEFAULTS = {kind: Delivery.EMAIL if kind in EMAILED_BY_AREAS | TOLD_BACK else Delivery.APP
            for kind in NotificationKind}
UNREAD = "read_at IS NULL"


class Notification(Model):
    """One event for one person: its kind and the ids it is about (`params`), no text."""

    __tablename__ = "notifications"
    __table_args__ = (
        enum_check(NotificationKind, "kind"),
        # A person's list, newest first (paginated).
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        # The unread count in the header, on every page a signed-in person opens.
        Index("ix_notifications_unread", "user_id", postgresql_where=text(UNREAD),
              sqlite_where=text(UNREAD)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    # Ids and codes only (a consultation id, a reason code): the text is worded when shown.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Listed in a digest email: never listed in another.
    digested_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return NotificationKind(self.kind).label


class NotificationPreference(Model):
    """How a person wants to hear of one kind; no row means the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_kind"),
        enum_check(NotificationKind, "kind"),
        enum_check(Delivery, "delivery"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    delivery: Mapped[str] = mapped_column(String(10))


def _reachable(user) -> bool:
    return (user is not None and getattr(user, "deleted_at", None) is None
            and getattr(user, "blocked_at", None) is None
            and getattr(user, "deactivated_at", None) is None)


def notify(recipient, kind: NotificationKind, *, actor=None, **params) -> Notification | None:
    """Tell `recipient` (a user) that `kind` happened, about the ids in `params`. Nothing
    for the actor themself, nor for a blocked or deleted account. Flushes."""
    made = notify_each([recipient], kind, actor=actor, **params)
    return made[0] if made else None


def notify_each(recipients: Iterable, kind: NotificationKind, *, actor=None,
                **params) -> list[Notification]:
    """`notify` for several people at once (each once), with a fixed number of queries."""
    actor_id = getattr(actor, "id", None)
    chosen: dict[int, Any] = {}
    for user in recipients:
        if _reachable(user) and user.id != actor_id:
            chosen.setdefault(user.id, user)
    if not chosen:
        return []
    made = [Notification(user_id=user_id, kind=kind, params=dict(params))
            for user_id in chosen]
    db.session.add_all(made)
    db.session.flush()
    if kind not in EMAILED_BY_AREAS:
        wanting = email_now_ids(chosen.values(), kind)
        for notification in made:
            if notification.user_id in wanting:
                for send in registry.of().notification_emails:
                    send(notification, chosen[notification.user_id])
    return made


def deliveries_of(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """How each of these people wants to hear of `kind` (their choice or the default)."""
    ids = sorted(set(user_ids))
    chosen: dict[int, str] = {}
    if ids:
        chosen = dict(db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.user_id.in_(ids), NotificationPreference.kind == kind)
        ).all())
    return {user_id: chosen.get(user_id, DEFAULTS[NotificationKind(kind)]) for user_id in ids}


def delivery_of(user, kind: str) -> str:
    return deliveries_of([user.id], kind)[user.id]


def wants_email_now(user, kind: str) -> bool:
    """Whether `user` wants an email as soon as `kind` happens (the area then sends it)."""
    return delivery_of(user, kind) == Delivery.EMAIL


def email_now_ids(users: Iterable, kind: str) -> set[int]:
    """The ids of those of `users` who want an email at once for `kind`: one query."""
    deliveries = deliveries_of((user.id for user in users), kind)
    return {user_id for user_id, delivery in deliveries.items() if delivery == Delivery.EMAIL}
