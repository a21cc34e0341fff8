"""Authors: blocked people can read, not write."""

from flask_babel import lazy_gettext as _l

from engage.core.db import utcnow
from engage.extensions import db
from engage.moderation import notifications, permissions
from engage.moderation.models import AuditAction
from engage.moderation.services.audit import record
from engage.moderation.services.checks import NOTE_MAX_LENGTH, StaleItem, _require, lock


def block(actor, author, reason: str) -> None:
    """Blocked people can read, not write."""
    reason = (reason or "").strip()
    _require(bool(reason), _l("Please say why this person is blocked."))
    _require(len(reason) <= NOTE_MAX_LENGTH,
             _l("Please keep the note under %(max)d characters.", max=NOTE_MAX_LENGTH))
    lock(author)
    if author.is_blocked:
        raise StaleItem(_l("This person is already blocked."))
    _require(permissions.can_block(actor, author), _l("You cannot block this person."))
    author.blocked_at = utcnow()
    author.blocked_reason = reason
    db.session.flush()
    record(actor, AuditAction.BLOCK, target_type="user", target_id=author.id, note=reason,
           before={"blocked": False}, after={"blocked": True})
    notifications.tell_user(author, "blocked", reason=reason)


def unblock(actor, author) -> None:
    lock(author)
    if not author.is_blocked:
        raise StaleItem(_l("This person is not blocked any more."))
    _require(permissions.can_unblock(actor, author), _l("You cannot unblock this person."))
    previous = author.blocked_reason or ""
    author.blocked_at = None
    author.blocked_reason = None
    db.session.flush()
    record(actor, AuditAction.UNBLOCK, target_type="user", target_id=author.id,
           before={"blocked": True, "reason": previous}, after={"blocked": False})
    notifications.tell_user(author, "unblocked")
