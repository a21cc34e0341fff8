"""GDPR self-service: what we hold about a person, and erasing it."""

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engage.accounts.models import User
from engage.core.db import utcnow
from engage.core.registry import PersonalDataSection, Registry
from engage.core.registry import of as registry_of
from engage.core.sessions import SignInSession, end_all_sessions
from engage.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def _profile(user: User) -> list[dict]:
    return [{
        "email": user.email,
        "display_name": user.display_name,
        "pseudonym": user.pseudonym,
        "publish_under_pseudonym": user.use_pseudonym,
        "language": user.language,
        "participant_type": user.participant_type,
        "departement": user.departement,
        "lay_reviewer": user.lay_reviewer,
        "role": user.role,
        "registered_at": _iso(user.created_at),
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "last_sign_in_at": _iso(user.last_sign_in_at),
    }]


def _consents(user: User) -> list[dict]:
    return [{
        "consent": "privacy notice and processing of health information",
        "given_at": _iso(user.privacy_consent_at),
        "withdrawn_at": _iso(user.consent_withdrawn_at),
    }]


def _memberships(user: User) -> list[dict]:
    return [{
        "association": m.association.name,
        "status": m.status,
        "message": m.message,
        "asked_at": _iso(m.created_at),
        "decided_at": _iso(m.decided_at),
    } for m in user.memberships]


def _sign_in_sessions(user: User) -> list[dict]:
    # Their keys are left out: whoever holds the file must not be able to sign in with it.
    started = db.session.scalars(select(SignInSession.created_at).where(
        SignInSession.user_id == user.id).order_by(SignInSession.created_at))
    return [{"signed_in_at": _iso(moment)} for moment in started]


def register(registry: Registry) -> None:
    """What this area adds to "download my data" and to account deletion."""
    registry.personal_data.extend([
        PersonalDataSection("profile", _l("Profile"), _profile),
        PersonalDataSection("consents", _l("Consents"), _consents),
        PersonalDataSection("associations", _l("Associations you asked to represent"),
                            _memberships),
        PersonalDataSection("sign_in_sessions",
                            _l("Sign-in sessions open on your devices"), _sign_in_sessions),
    ])


def collect_personal_data(user: User) -> dict:
    """Everything every area holds about `user`, section by section."""
    return {section.key: section.collect(user) for section in registry_of().personal_data}


def erase_account(user: User, delete_content: bool) -> None:
    """Delete the account: identifying data goes, a pseudonymous row stays."""
    for eraser in registry_of().account_erasers:
        eraser(user, delete_content)
    user.memberships.clear()
    user.email = f"deleted-{user.id}@invalid"
    user.pending_email = None
    user.display_name = ""
    user.pseudonym = None
    user.use_pseudonym = False
    user.participant_type = None
    user.departement = None
    user.lay_reviewer = False
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    user.deleted_at = utcnow()
    end_all_sessions(user.id)
    user.session_version += 1
