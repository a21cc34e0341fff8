"""Accounts: users of every role, associations, and the `factory` and `auth` fixtures."""

import pytest
from flask_login import AnonymousUserMixin

from engage.accounts.models import Association, Membership, MembershipStatus, Role, User
from engage.core.db import utcnow
from engage.extensions import db

PASSWORD = "correct horse battery"

# Role names as the tests meet them ("anonymous": Flask-Login's anonymous user).
ROLE_NAMES = {"representative": Role.REPRESENTATIVE, "moderator": Role.MODERATOR,
              "officer": Role.OFFICER, "admin": Role.ADMIN}

_counter = {"n": 0}


def user(role: str = "participant", *, language: str = "en", email: str | None = None,
         **fields):
    """A stored user for a role name ("anonymous", "unconfirmed", "blocked", "participant",
    "representative", "moderator", "officer", "admin"); flushed, inside an application
    context."""
    if role == "anonymous":
        return AnonymousUserMixin()
    _counter["n"] += 1
    person = User(
        email=email or f"{role}{_counter['n']}@example.org",
        display_name=fields.pop("display_name", f"{role.title()} {_counter['n']}"),
        role=ROLE_NAMES.get(role, Role.PARTICIPANT),
        language=language,
        email_confirmed_at=None if role == "unconfirmed" else utcnow(),
        privacy_consent_at=utcnow(),
        blocked_at=utcnow() if role == "blocked" else None,
        **fields,
    )
    person.set_password(PASSWORD)
    db.session.add(person)
    db.session.flush()
    return person


def moderator() -> User:
    return user("moderator")


def association(name: str = "Association test", representative: User | None = None):
    item = Association(name=name)
    db.session.add(item)
    if representative is not None:
        db.session.add(Membership(user=representative, association=item,
                                  status=MembershipStatus.APPROVED))
    db.session.flush()
    return item


def email_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


class Factory:
    """Builds users straight in the database, each in its own committed transaction."""

    def __init__(self, app):
        self.app = app
        self.counter = 0

    def user(self, role=Role.PARTICIPANT, confirmed=True, language="fr", **fields) -> int:
        self.counter += 1
        with self.app.app_context():
            person = User(
                email=fields.pop("email", f"user{self.counter}@example.org"),
                display_name=fields.pop("display_name", f"User {self.counter}"),
                role=role,
                language=language,
                email_confirmed_at=utcnow() if confirmed else None,
                privacy_consent_at=utcnow(),
                **fields,
            )
            person.set_password(PASSWORD)
            db.session.add(person)
            db.session.commit()
            return person.id


@pytest.fixture
def factory(app):
    return Factory(app)


@pytest.fixture
def auth(app, client, factory):
    from tests.helpers import Auth

    return Auth(app, client, factory)


def accredited_association(name: str = "Association agréée", *, level: str = "national",
                           number: str = "N2021RN0147", accredited_on=None,
                           set_by: User | None = None) -> Association:
    """A stored association whose accreditation `set_by` recorded (level, number and date:
    8 November 2021 unless told)."""
    from datetime import date

    item = Association(name=name)
    item.record_accreditation(level, number, accredited_on or date(2021, 11, 8),
                              by=set_by or user("admin"))
    db.session.add(item)
    db.session.flush()
    return item


# People management: accounts in each state an administrator sees.

ACCOUNT_STATES = ("active", "unconfirmed", "invited", "deactivated", "blocked", "deleted")


def person_in_state(state: str, role: str = "participant", **fields) -> User:
    """A stored user in an account state of ACCOUNT_STATES (as `User.account_state` names
    them), of a role name; flushed, inside an application context."""
    assert state in ACCOUNT_STATES, state
    person = user("unconfirmed" if state in ("unconfirmed", "invited") else role, **fields)
    person.role = ROLE_NAMES.get(role, Role.PARTICIPANT)
    if state == "invited":
        person.invited_at = utcnow()
        person.privacy_consent_at = None
    elif state == "deactivated":
        person.deactivated_at = utcnow()
        person.deactivated_reason = fields.get("deactivated_reason") or "Left the network"
    elif state == "blocked":
        person.blocked_at = utcnow()
        person.blocked_reason = "Spam"
    elif state == "deleted":
        person.deleted_at = utcnow()
        person.email = f"deleted-{person.id}@invalid"
        person.display_name = ""
    db.session.flush()
    return person
