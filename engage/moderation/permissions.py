"""Who may moderate what: pure functions, used by views, services and templates.

`user` may be anonymous: every rule checks `is_authenticated` first. Items are any
model with `ModeratedMixin`.
"""

from engage.accounts.models import Role
from engage.core.moderated import AUTO_HIDE_REASON, ModerationStatus


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_moderate(user) -> bool:
    """See the queue and act on items: moderators and administrators."""
    return _signed_in(user) and user.has_role(Role.MODERATOR)


def can_read_audit(user) -> bool:
    return _signed_in(user) and user.has_role(Role.ADMIN)


def _is_deleted(item) -> bool:
    return getattr(item, "deleted_at", None) is not None


def is_auto_hidden(item) -> bool:
    return (item.moderation_status == ModerationStatus.HIDDEN
            and item.hidden_reason == AUTO_HIDE_REASON)


def can_approve(user, item) -> bool:
    return can_moderate(user) and item.moderation_status == ModerationStatus.PENDING


def can_hide(user, item) -> bool:
    """Hide a pending or published item; confirm (with a reason) one hidden after reports."""
    return can_moderate(user) and not _is_deleted(item) and (
        item.moderation_status != ModerationStatus.HIDDEN or is_auto_hidden(item)
    )


def can_restore(user, item) -> bool:
    return can_moderate(user) and item.moderation_status == ModerationStatus.HIDDEN


def can_redact(user, item, text_attribute: str = "body") -> bool:
    return can_moderate(user) and not _is_deleted(item) and bool(
        (getattr(item, text_attribute, "") or "").strip()
    )


def can_dismiss_reports(user, item) -> bool:
    return can_moderate(user) and (item.open_report_count or 0) > 0


def can_block(user, author) -> bool:
    """Moderators block participants and representatives; administrators also moderators."""
    if not can_moderate(user) or author is None or author.id == user.id:
        return False
    if author.is_blocked or author.deleted_at is not None:
        return False
    limit = Role.ADMIN if user.has_role(Role.ADMIN) else Role.MODERATOR
    return Role(author.role).rank < limit.rank


def can_unblock(user, author) -> bool:
    if not can_moderate(user) or author is None or not author.is_blocked:
        return False
    limit = Role.ADMIN if user.has_role(Role.ADMIN) else Role.MODERATOR
    return Role(author.role).rank < limit.rank


def can_tag(user, contribution) -> bool:
    return can_moderate(user) and not _is_deleted(contribution)


def can_manage_themes(user) -> bool:
    """Merge themes, accept or ignore suggestions."""
    return can_moderate(user)
