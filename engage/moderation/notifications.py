"""Emails of the moderation area, each in its recipient's language, through the outbox."""


from flask import current_app, url_for
from sqlalchemy import select

from engage.accounts.models import Role, User
from engage.core.moderated import MODERATED_TARGETS
from engage.core.outbox import queue_email
from engage.extensions import db


def language_of(user) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else languages[0]


def reachable(user) -> bool:
    return user is not None and user.is_confirmed and user.deleted_at is None


def tell_author(item, template: str, **context) -> bool:
    """Tell the author of `item` what the moderators did, in the author's language."""
    author = getattr(item, "author", None)
    if author is None or not reachable(author):
        return False
    target = MODERATED_TARGETS[item.MODERATION_TARGET]
    language = language_of(author)
    place = target.place(item, language, external=True)
    queue_email(author.email, language, f"moderation/{template}", user=author,
                kind=target.label, title=place.container_title, url=place.url, **context)
    return True


def tell_user(user, template: str, **context) -> bool:
    if not reachable(user):
        return False
    language = language_of(user)
    queue_email(user.email, language, f"moderation/{template}", user=user, **context)
    return True


def moderators() -> list[User]:
    users = db.session.scalars(
        select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN]),
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
