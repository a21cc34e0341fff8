"""Following a consultation, and what its followers are told.

Each follower gets a notification (engage.core.notifications), and the email below when
they want one at once (the default), through the outbox in their language:
- when the consultation opens (`notify_opened`, called when the status moves);
- when it closes in 3 days or less (`send_closing_reminders`, run daily by the
  `notify-closing` command; sent once, recorded on the consultation);
- when its summary is published (`notify_summary_published`, called by the
  summaries area; sent once).
The author of a contribution is notified of each published reply (`notify_of_reply`).
"""

from datetime import date

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.accounts.models import User
from engage.consultations import permissions
from engage.consultations.models import (
    Consultation,
    ConsultationFollow,
    ConsultationStatus,
    Contribution,
)
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.errors import DomainError
from engage.core.notifications import NotificationKind, email_now_ids, notify, notify_each
from engage.core.outbox import queue_email
from engage.extensions import db

REMINDER_DAYS = 3
KINDS = {
    "opened": NotificationKind.CONSULTATION_OPENED,
    "closing": NotificationKind.CONSULTATION_CLOSING,
    "summary_published": NotificationKind.SUMMARY_PUBLISHED,
}


def is_following(user, consultation: Consultation) -> bool:
    if not user.is_authenticated:
        return False
    return db.session.scalar(
        select(ConsultationFollow.id).where(
            ConsultationFollow.consultation_id == consultation.id,
            ConsultationFollow.user_id == user.id,
        )
    ) is not None


def follow(actor, consultation: Consultation) -> bool:
    """Opt in to the emails; False if already following."""
    if not permissions.can_follow(actor, consultation):
        raise DomainError(_l("You cannot follow this consultation."))
    if is_following(actor, consultation):
        return False
    db.session.add(ConsultationFollow(consultation_id=consultation.id, user_id=actor.id))
    db.session.flush()
    return True


def unfollow(actor, consultation: Consultation) -> bool:
    row = db.session.scalar(
        select(ConsultationFollow).where(
            ConsultationFollow.consultation_id == consultation.id,
            ConsultationFollow.user_id == actor.id,
        )
    )
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def _followers(consultation: Consultation) -> list[User]:
    users = db.session.scalars(
        select(User)
        .join(ConsultationFollow, ConsultationFollow.user_id == User.id)
        .where(ConsultationFollow.consultation_id == consultation.id)
        .order_by(User.id)
    ).all()
    return [u for u in users if u.is_confirmed and getattr(u, "deleted_at", None) is None]


def _email_followers(consultation: Consultation, template: str, about: dict | None = None,
                     **context) -> int:
    """Notify the followers, and email those who want it at once; returns the emails."""
    languages = current_app.config["LANGUAGES"]
    followers = _followers(consultation)
    kind = KINDS[template]
    notify_each(followers, kind, consultation_id=consultation.id, **(about or {}))
    emailed = email_now_ids(followers, kind)
    sent = 0
    for user in followers:
        if user.id not in emailed:
            continue
        language = user.language if user.language in languages else languages[0]
        shown = consultation.translated(language)
        queue_email(
            user.email,
            language,
            f"consultations/{template}",
            user=user,
            consultation=consultation,
            title=shown.title if shown else "",
            url=url_for("consultations.detail", lang_code=language,
                        consultation_id=consultation.id, _external=True),
            **context,
        )
        sent += 1
    return sent


def notify_opened(consultation: Consultation) -> int:
    return _email_followers(consultation, "opened")


def send_closing_reminders(today: date | None = None) -> int:
    """Tell followers of consultations closing within 3 days; once per consultation.

    Returns the number of consultations reminded. Safe to run again.
    """
    today = today or local_today()
    due = db.session.scalars(
        select(Consultation).where(
            Consultation.status == ConsultationStatus.OPEN,
            Consultation.closing_reminder_sent_at.is_(None),
            Consultation.closes_on.is_not(None),
            Consultation.closes_on >= today,
            Consultation.closes_on <= date.fromordinal(today.toordinal() + REMINDER_DAYS),
        ).order_by(Consultation.id)
    ).all()
    for consultation in due:
        _email_followers(consultation, "closing",
                         about={"closes_on": str(consultation.closes_on)},
                         days_left=consultation.days_left(today))
        consultation.closing_reminder_sent_at = utcnow()
    db.session.flush()
    return len(due)


def notify_summary_published(consultation: Consultation, summary_url: str | None = None) -> int:
    """Called by the summaries area once the summary is public; sends once.

    Returns the number of emails queued (0 when already sent).
    """
    if consultation.summary_notified_at is not None:
        return 0
    sent = _email_followers(consultation, "summary_published", summary_url=summary_url)
    consultation.summary_notified_at = utcnow()
    db.session.flush()
    return sent


def notify_of_reply(reply: Contribution, parent: Contribution) -> None:
    """Tell the author of `parent` that `reply` is published under it (called when the
    reply is posted, or approved under pre-moderation)."""
    if parent.author_id is not None and not parent.is_deleted:
        notify(parent.author, NotificationKind.REPLY, actor=reply.author,
               reply_id=reply.id, contribution_id=parent.id)
