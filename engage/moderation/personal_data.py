"""What moderation holds about a person ("download my data"), and what happens to it when
the account is deleted. Registered by engage.moderation.init_app.

- The reports a person made (in every area: they share the `reports` table).
- The moderation decisions about the person themselves (blocked, unblocked), with the reason
  they were given; not who took them.
- For moderators and administrators, the moderation actions they took (the audit log).

On deletion the audit log is left as it is (its entries cannot be changed): it keeps the
account's id, which then points to a pseudonymized account. Reports stay for the
moderators; with "delete what I wrote", their free-text details are removed.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from engage.core.moderated import MODERATED_TARGETS, Report
from engage.core.registry import PersonalDataSection, Registry
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry


def _iso(value):
    return value.isoformat() if value else None


def _kind(target_type: str) -> str:
    target = MODERATED_TARGETS.get(target_type)
    return str(target.label) if target else target_type


def _reports(user) -> list[dict]:
    rows = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)).all()
    return [{
        "reported": _kind(r.target_type),
        "item_number": r.target_id,
        "reason": str(r.reason_label),
        "details": r.details or None,
        "status": r.status,
        "reported_at": _iso(r.created_at),
    } for r in rows]


def _decisions_about(user) -> list[dict]:
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "user",
                                 AuditEntry.target_id == user.id)
        .order_by(AuditEntry.id)).all()
    return [{"decision": str(e.action_label), "reason_given": e.note or None,
             "on": _iso(e.created_at)} for e in rows]


def _actions(user) -> list[dict]:
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id)).all()
    return [{
        "action": str(AuditAction(e.action).label),
        "item": f"{e.target_type} {e.target_id}" if e.target_id is not None else e.target_type,
        "reason": e.reason,
        "note": e.note or None,
        "on": _iso(e.created_at),
    } for e in rows]


def erase(user, delete_content: bool) -> None:
    if delete_content:
        db.session.execute(update(Report).where(Report.reporter_id == user.id)
                           .values(details=""))
    db.session.flush()


def register(registry: Registry) -> None:
    """What this area adds to "download my data" and to account deletion."""
    registry.personal_data.extend([
        PersonalDataSection("reports_made", _l("Your reports to the moderators"), _reports),
        PersonalDataSection("moderation_decisions", _l("Moderation decisions about you"),
                            _decisions_about),
        PersonalDataSection("moderation_actions", _l("Moderation actions you took"), _actions),
    ])
    registry.account_erasers.append(erase)
