"""The administrators' decisions about an account in "download my data", and what account
deletion does to them.

They belong with the accounts' personal data (engage/accounts/personal_data.py); they are
registered here, by the area that takes those decisions, until that module takes them in.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.accounts.models import AccountAuditEntry, Role
from engage.accounts.services import erase_account_reasons
from engage.core.registry import PersonalDataSection, Registry
from engage.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def _decisions_about(user) -> list[dict]:
    rows = db.session.scalars(
        select(AccountAuditEntry).where(AccountAuditEntry.user_id == user.id)
        .order_by(AccountAuditEntry.id)).all()
    return [{
        "decision": str(entry.action_label),
        "role": str(Role(entry.role_after).label) if entry.role_after else None,
        "reason_given": entry.reason or None,
        "on": _iso(entry.created_at),
    } for entry in rows]


def erase(user, delete_content: bool) -> None:
    """On account deletion: the reasons given about the person go (see
    `erase_account_reasons`)."""
    erase_account_reasons(user)


def register(registry: Registry) -> None:
    registry.personal_data.append(PersonalDataSection(
        "account_decisions", _l("Decisions of the administrators about your account"),
        _decisions_about))
    registry.account_erasers.append(erase)
