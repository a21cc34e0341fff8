"""What the moderation area tells people: a notification to the author of each decision
(engage.core.notifications), and its email in the author's language, through the outbox,
when the author wants one at once (the default)."""


from flask import current_app, url_for
from sqlalchemy import select

from engage.accounts.models import Role, User
from engage.consultations.notifications import notify_of_reply
from engage.core.i18n import translated
from engage.core.moderated import MODERATED_TARGETS, ModerationStatus, ReportReason
from engage.core.notifications import NotificationKind, notify, wants_email_now
from engage.core.outbox import queue_email
from engage.extensions import db


def language_of(user) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else languages[0]


def reachable(user) -> bool:
    return user is not None and user.is_confirmed and user.deleted_at is None


def _reason_code(reason) -> str | None:
    """The code of a reason given by its label (the services pass the label to the email)."""
    if reason is None:
        return None
    shown = translated(reason)
    return next((code.value for code, label in ReportReason.labels().items()
                 if translated(label) == shown), None)


def tell_author(item, template: str, **context) -> bool:
    """Tell the author of `item` what the moderators did (`template`: approved, hidden,
    restored, redacted): a notification, and the email in the author's language when they
    want it at once. True when the email is queued."""
    author = getattr(item, "author", None)
    notify(author, NotificationKind.MODERATION, target_type=item.MODERATION_TARGET,
           target_id=item.id, decision=template, reason=_reason_code(context.get("reason")))
    parent = getattr(item, "parent", None)
    if template == "approved" and parent is not None:
        # A reply held for pre-moderation: its contribution's author hears of it now.
        notify_of_reply(item, parent)
    if author is None or not reachable(author) or not wants_email_now(
            author, NotificationKind.MODERATION):
        return False
    target = MODERATED_TARGETS[item.MODERATION_TARGET]
    language = language_of(author)
    place = target.place(item, language, external=True)
    queue_email(author.email, language, f"moderation/{template}", user=author,
                kind=target.label, title=place.container_title, url=place.url, **context)
    return True


def redaction_visibility(item, republished: bool = False) -> str:
    """What a passage's removal left of the text, as its author's email says it: still
    "published", "published_again" (it was hidden after reports until a moderator reviewed
    it), still "pending" (awaiting moderation: not published), or still "hidden"."""
    status = ModerationStatus(item.moderation_status)
    if status == ModerationStatus.PUBLISHED:
        return "published_again" if republished else "published"
    return status.value


def tell_author_of_redaction(item, *, count: int, reason, note: str = "",
                             republished: bool = False) -> bool:
    """The author hears that `count` passages were removed, and what became of the rest of
    the text, which depends on the item's state (never "it stays published" when it is not)."""
    return tell_author(item, "redacted", reason=reason, note=note, count=count,
                       visibility=redaction_visibility(item, republished))


def tell_user(user, template: str, **context) -> bool:
    if not reachable(user):
        return False
    language = language_of(user)
    queue_email(user.email, language, f"moderation/{template}", user=user, **context)
    return True


def moderators() -> list[User]:
    users = db.session.scalars(
        select(User).where(User.role.in_(Role.at_least(Role.MODERATOR)),
                           User.blocked_at.is_(None), User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    return [user for user in users if reachable(user)]


def tell_moderators_auto_hidden(item) -> int:
    target = MODERATED_TARGETS[item.MODERATION_TARGET]
    sent = 0
    for moderator in moderators():
        language = language_of(moderator)
        place = target.place(item, language, external=True)
        queue_email(
            moderator.email, language, "moderation/auto_hidden", user=moderator,
            kind=target.label, title=place.container_title, count=item.open_report_count,
            url=url_for("moderation.item", lang_code=language, target_type=target.name,
                        target_id=item.id, _external=True),
        )
        sent += 1
    return sent
