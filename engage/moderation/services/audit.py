"""The audit log: one entry per moderation action, with what it changed."""

import json

from engage.core.moderated import MODERATED_TARGETS, ModeratedTarget
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry


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
