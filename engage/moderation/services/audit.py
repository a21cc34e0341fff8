"""The audit log: one entry per moderation action, with what it changed."""

import json
from collections.abc import Collection

from sqlalchemy import update

from engage.core.moderated import MODERATED_TARGETS, ModeratedTarget
from engage.extensions import db
from engage.moderation.models import ERASED, AuditAction, AuditEntry


def record(actor, action: AuditAction, *, target_type: str, target_id: int | None = None,
           container: tuple[str | None, int | None] = (None, None), reason: str | None = None,
           note: str = "", before: dict | None = None, after: dict | None = None) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        container_kind=container[0],
        container_id=container[1],
        reason=reason,
        note=note or "",
        before=json.dumps(before or {}, ensure_ascii=False, sort_keys=True),
        after=json.dumps(after or {}, ensure_ascii=False, sort_keys=True),
    )
    db.session.add(entry)
    return entry


def target_of(item) -> ModeratedTarget:
    return MODERATED_TARGETS[item.MODERATION_TARGET]


def _record_item(actor, action: AuditAction, item, **kwargs) -> AuditEntry:
    target = target_of(item)
    return record(actor, action, target_type=target.name, target_id=item.id,
                  container=(target.container_kind, target.container_of(item)), **kwargs)


def erase_texts(target_type: str, target_ids: Collection[int]) -> None:
    """Account deletion: the entries about these items (or this account) forget what they
    quoted (a redacted passage, a note to the author, a reason for blocking). A bulk UPDATE:
    the model refuses changes made through the session, and this is the only one allowed."""
    if not target_ids:
        return
    erased = json.dumps(ERASED)
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.target_type == target_type, AuditEntry.target_id.in_(target_ids))
        .values(note="", before=erased, after=erased)
        .execution_options(synchronize_session="fetch")
    )
