"""What moderation holds about a person ("download my data"), and what happens to it when
the account is deleted. Registered by engage.moderation.init_app.

- The reports a person made (in every area: they share the `reports` table).
- The moderation decisions about the person themselves (blocked, unblocked), with the reason
  they were given; not who took them.
- For moderators and administrators, the moderation actions they took (the audit log).

On deletion, whatever moderation kept about the person's writing and account forgets the
words: the audit entries about their items and their account keep the action, who took it,
when, the item's number and the reason, not the texts they quoted (a redacted passage, a
note, a reason for blocking; see AuditEntry); reports on their items lose their details
(which quote them), their items the moderators' note. Reports the person made stay for the
moderators; with "delete what I wrote", their details are removed. The emails addressed to
the person, or naming their address, leave the outbox: it would otherwise keep their
address and the greeting with their name.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from engage.core.moderated import MODERATED_TARGETS, Report
from engage.core.outbox import OutboxMessage
from engage.core.registry import PersonalDataSection, Registry
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry
from engage.moderation.services import erase_texts


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


def _forget_items_of(user) -> None:
    """What moderation kept about the person's items, in every area."""
    for target in MODERATED_TARGETS.values():
        model = target.model
        author = getattr(model, target.author_attribute)
        ids: list[int] = list(db.session.scalars(select(model.id).where(author == user.id)))
        if not ids:
            continue
        erase_texts(target.name, ids)
        db.session.execute(update(Report).where(
            Report.target_type == target.name, Report.target_id.in_(ids), Report.details != ""
        ).values(details=""))
        db.session.execute(
            update(model).where(model.id.in_(ids), model.moderation_note.is_not(None))
            .values(moderation_note=None).execution_options(synchronize_session="fetch"))


def _forget_emails_to(user) -> None:
    """The emails sent or waiting for the person, and any naming their address (such as the
    notice of an address change, sent to the previous one)."""
    addresses = {address.lower() for address in (user.email, user.pending_email) if address}
    db.session.execute(delete(OutboxMessage).where(or_(
        func.lower(OutboxMessage.recipient).in_(addresses),
        *(func.lower(OutboxMessage.body).contains(address, autoescape=True)
          for address in addresses),
    )).execution_options(synchronize_session="fetch"))


def erase(user, delete_content: bool) -> None:
    """Account deletion (see the module's docstring). Runs before the areas' erasers, which
    delete some of the items whose audit entries it looks for."""
    _forget_items_of(user)
    erase_texts("user", [user.id])
    if delete_content:
        db.session.execute(update(Report).where(Report.reporter_id == user.id)
                           .values(details=""))
    _forget_emails_to(user)
    db.session.flush()


def register(registry: Registry) -> None:
    """What this area adds to "download my data" and to account deletion."""
    registry.personal_data.extend([
        PersonalDataSection("reports_made", _l("Your reports to the moderators"), _reports),
        PersonalDataSection("moderation_decisions", _l("Moderation decisions about you"),
                            _decisions_about),
        PersonalDataSection("moderation_actions", _l("Moderation actions you took"), _actions),
    ])
    # First: the areas' erasers that come after it delete some of the person's items.
    registry.account_erasers.insert(0, erase)
