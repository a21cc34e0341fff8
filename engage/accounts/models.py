"""Users, roles, associations and representation requests."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.event import listens_for
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import ColumnElement, and_, not_
from werkzeug.security import check_password_hash

from engage.accounts.passwords import hash_password
from engage.core.clock import local_today
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.core.sessions import session_id
from engage.extensions import Model


class Role(LabelledEnum):
    """Ranked in the order of declaration: a role may do what every role before it may
    (`User.has_role`). A network officer records the network's response to what people said
    (engage.accountability) and can moderate; an administrator can do what officers do."""

    PARTICIPANT = "participant"
    REPRESENTATIVE = "representative"
    MODERATOR = "moderator"
    OFFICER = "officer"
    ADMIN = "admin"

    @classmethod
    def labels(cls):
        return {
            cls.PARTICIPANT: _l("Participant"),
            cls.REPRESENTATIVE: _l("Patient representative"),
            cls.MODERATOR: _l("Moderator"),
            cls.OFFICER: _l("Network officer"),
            cls.ADMIN: _l("Administrator"),
        }

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    @classmethod
    def at_least(cls, role: "Role") -> list["Role"]:
        """`role` and every role above it: the roles of the people `has_role(role)` admits."""
        return [member for member in cls if member.rank >= role.rank]


class ParticipantType(LabelledEnum):
    PATIENT = "patient"
    CARER = "carer"
    CITIZEN = "citizen"
    ASSOCIATION = "association"
    HEALTH_PROFESSIONAL = "health_professional"
    RESEARCHER = "researcher"

    @classmethod
    def labels(cls):
        return {
            cls.PATIENT: _l("Patient"),
            cls.CARER: _l("Carer"),
            cls.CITIZEN: _l("Citizen"),
            cls.ASSOCIATION: _l("Patient association representative"),
            cls.HEALTH_PROFESSIONAL: _l("Health professional"),
            cls.RESEARCHER: _l("Researcher"),
        }


class Departement(LabelledEnum):
    PARIS = "75"
    SEINE_ET_MARNE = "77"
    YVELINES = "78"
    ESSONNE = "91"
    HAUTS_DE_SEINE = "92"
    SEINE_SAINT_DENIS = "93"
    VAL_DE_MARNE = "94"
    VAL_D_OISE = "95"
    OUTSIDE = "outside"

    @classmethod
    def labels(cls):
        return {
            cls.PARIS: "75 – Paris",
            cls.SEINE_ET_MARNE: "77 – Seine-et-Marne",
            cls.YVELINES: "78 – Yvelines",
            cls.ESSONNE: "91 – Essonne",
            cls.HAUTS_DE_SEINE: "92 – Hauts-de-Seine",
            cls.SEINE_SAINT_DENIS: "93 – Seine-Saint-Denis",
            cls.VAL_DE_MARNE: "94 – Val-de-Marne",
            cls.VAL_D_OISE: "95 – Val-d'Oise",
            cls.OUTSIDE: _l("Outside Île-de-France"),
        }


class Accreditation(LabelledEnum):
    NATIONAL = "national"
    REGIONAL = "regional"
    NONE = "none"

    @classmethod
    def labels(cls):
        return {
            cls.NATIONAL: _l("Nationally accredited"),
            cls.REGIONAL: _l("Regionally accredited"),
            cls.NONE: _l("Not accredited"),
        }


# The accreditation of associations of health-system users (Code de la santé publique,
# L1114-1) began with the law of 4 March 2002: an earlier date is a typing mistake.
FIRST_ACCREDITATION_DAY = date(2002, 3, 4)
ACCREDITATION_NUMBER_MAX_LENGTH = 50


class InvalidAccreditation(DomainError):
    """The accreditation cannot be recorded as given: `problems` maps fields to messages."""

    def __init__(self, problems: dict[str, object]):
        super().__init__(next(iter(problems.values())))
        self.problems = problems


def accreditation_problems(level: str, number: str | None, accredited_on: date | None,
                           today: date) -> dict[str, object]:
    """What prevents recording an accreditation, by field. An accredited association needs
    the number and the date of its approval, a date that has come; "not accredited" needs
    nothing (its number and date are cleared)."""
    if Accreditation(level) == Accreditation.NONE:
        return {}
    problems: dict[str, object] = {}
    number = (number or "").strip()
    if not number:
        problems["accreditation_number"] = _l("Please enter the accreditation number.")
    elif len(number) > ACCREDITATION_NUMBER_MAX_LENGTH:
        problems["accreditation_number"] = _l(
            "The accreditation number can have at most %(max)d characters.",
            max=ACCREDITATION_NUMBER_MAX_LENGTH)
    if accredited_on is None:
        problems["accredited_on"] = _l("Please enter the date of the accreditation.")
    elif accredited_on > today:
        problems["accredited_on"] = _l("The date of the accreditation cannot be in the future.")
    elif accredited_on < FIRST_ACCREDITATION_DAY:
        problems["accredited_on"] = _l("Please check the date: the accreditation of patient "
                                       "associations began on 4 March 2002.")
    return problems


ALREADY_DECIDED = _l("This request has already been decided.")
DECLINE_NEEDS_A_MESSAGE = _l("Please tell the person why their request is declined.")


class MembershipStatus(LabelledEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"

    @classmethod
    def labels(cls):
        return {
            cls.REQUESTED: _l("Awaiting approval"),
            cls.APPROVED: _l("Approved"),
            cls.REJECTED: _l("Declined"),
        }


class AccountState(LabelledEnum):
    """Where an account stands, as administrators see it."""

    ACTIVE = "active"
    UNCONFIRMED = "unconfirmed"
    INVITED = "invited"
    DEACTIVATED = "deactivated"
    BLOCKED = "blocked"
    DELETED = "deleted"

    @classmethod
    def labels(cls):
        return {
            cls.ACTIVE: _l("Active"),
            cls.UNCONFIRMED: _l("Email address not confirmed"),
            cls.INVITED: _l("Invited, has not accepted yet"),
            cls.DEACTIVATED: _l("Deactivated"),
            cls.BLOCKED: _l("Blocked by the moderators"),
            cls.DELETED: _l("Deleted"),
        }


class User(UserMixin, TimestampMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        enum_check(Role, "role"),
        enum_check(ParticipantType, "participant_type"),
        enum_check(Departement, "departement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    pseudonym: Mapped[str | None] = mapped_column(String(80))
    use_pseudonym: Mapped[bool] = mapped_column(default=False)
    lay_reviewer: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(20), default=Role.PARTICIPANT)
    language: Mapped[str] = mapped_column(String(10), default="fr")
    participant_type: Mapped[ParticipantType | None] = mapped_column(String(20))
    departement: Mapped[Departement | None] = mapped_column(String(10))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # A new address waits here until its owner follows the confirmation link.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # None only while an invitation waits: the person gives their consent on accepting it.
    privacy_consent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # A deleted account keeps its row, stripped of identifying data, so that what it
    # wrote can stay as "former participant" and the audit log keeps a pseudonymous id.
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    inactivity_warning_sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Blocked authors can read, not write (set by moderators).
    blocked_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    # Bumped whenever every session of the user ends (the page cache keys pages by it); the
    # sessions themselves are rows of sign_in_sessions (engage.core.sessions).
    session_version: Mapped[int] = mapped_column(default=1)
    # Invited by an administrator: the account waits, with a password nobody knows and
    # without consent, until its owner follows the invitation link (engage.accounts.tokens).
    invited_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Deactivated by an administrator: cannot sign in; what they published stays, under
    # their public name. Not the moderators' blocking (blocked people can read, not write).
    deactivated_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    deactivated_reason: Mapped[str | None] = mapped_column(Text)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="Membership.user_id"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    # Flask-Login keeps get_id() in the session and the "remember me" cookie: it names the
    # sign-in session too, so that both die when that session ends.
    def get_id(self) -> str:
        return session_id(self.id, self.sign_in_session_key)

    @property
    def sign_in_session_key(self) -> str | None:
        """The sign-in session this object was loaded for or started with; not a column."""
        return self.__dict__.get("_sign_in_session_key")

    @sign_in_session_key.setter
    def sign_in_session_key(self, key: str | None) -> None:
        self.__dict__["_sign_in_session_key"] = key

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @property
    def has_consent(self) -> bool:
        return self.consent_withdrawn_at is None and self.deleted_at is None

    @property
    def can_write(self) -> bool:
        """May contribute, comment, answer, support, report: confirmed, consenting, not
        blocked."""
        return self.is_confirmed and self.has_consent and not self.is_blocked

    @property
    def public_name(self) -> str:
        """The name shown next to what the user writes."""
        if self.deleted_at is not None:
            return str(_l("Former participant"))
        if self.use_pseudonym and self.pseudonym:
            return self.pseudonym
        return self.display_name

    @property
    def is_invited(self) -> bool:
        """Invited, and has not accepted yet."""
        return self.invited_at is not None and self.privacy_consent_at is None

    @property
    def is_deactivated(self) -> bool:
        return self.deactivated_at is not None

    @property
    def account_state(self) -> "AccountState":
        """One state: the first that applies, in the order of `in_state`."""
        if self.deleted_at is not None:
            return AccountState.DELETED
        if self.is_deactivated:
            return AccountState.DEACTIVATED
        if self.is_invited:
            return AccountState.INVITED
        if self.is_blocked:
            return AccountState.BLOCKED
        if not self.is_confirmed:
            return AccountState.UNCONFIRMED
        return AccountState.ACTIVE

    @classmethod
    def in_state(cls, state: "AccountState") -> ColumnElement[bool]:
        """The SQL condition of `account_state == state`."""
        ordered = [
            (AccountState.DELETED, cls.deleted_at.is_not(None)),
            (AccountState.DEACTIVATED, cls.deactivated_at.is_not(None)),
            (AccountState.INVITED,
             and_(cls.invited_at.is_not(None), cls.privacy_consent_at.is_(None))),
            (AccountState.BLOCKED, cls.blocked_at.is_not(None)),
            (AccountState.UNCONFIRMED, cls.email_confirmed_at.is_(None)),
        ]
        earlier: list[ColumnElement[bool]] = []
        for candidate, condition in ordered:
            if candidate == state:
                return and_(condition, *(not_(e) for e in earlier))
            earlier.append(condition)
        return and_(*(not_(e) for e in earlier))

    def deactivate(self, reason: str) -> None:
        if self.deleted_at is not None:
            raise DomainError(_l("This account has been deleted."))
        if self.is_deactivated:
            raise DomainError(_l("This account is already deactivated."))
        self.deactivated_at = utcnow()
        self.deactivated_reason = reason

    def reactivate(self) -> None:
        if not self.is_deactivated:
            raise DomainError(_l("This account is not deactivated."))
        self.deactivated_at = None
        self.deactivated_reason = None

    def accept_invitation(self, password: str) -> None:
        """The invited person chose a password and gave their consent; the link they
        followed proves their address."""
        if not self.is_invited or self.is_deactivated:
            raise DomainError(_l("This invitation is no longer valid."))
        self.set_password(password)
        now = utcnow()
        self.privacy_consent_at = now
        if self.email_confirmed_at is None:
            self.email_confirmed_at = now

    def has_role(self, role: Role) -> bool:
        """True for this role or any above it (an admin can moderate)."""
        return Role(self.role).rank >= role.rank

    @property
    def is_moderator(self) -> bool:
        return self.has_role(Role.MODERATOR)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    def represented_associations(self) -> list["Association"]:
        return [m.association for m in self.memberships if m.status == MembershipStatus.APPROVED]


class Association(TimestampMixin, Model):
    __tablename__ = "associations"
    __table_args__ = (enum_check(Accreditation, "accreditation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    accreditation: Mapped[Accreditation] = mapped_column(String(10), default=Accreditation.NONE)
    # The approval (an order of the minister or of the regional health agency, for 5 years):
    # its number and date, public in France. Both empty for "not accredited".
    accreditation_number: Mapped[str | None] = mapped_column(
        String(ACCREDITATION_NUMBER_MAX_LENGTH))
    accredited_on: Mapped[date | None] = mapped_column(Date)
    # Who recorded the accreditation last, and when: a staff action, kept like a moderator's
    # decision when the account is deleted (the row stays, without a name).
    accreditation_set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    accreditation_set_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="association", cascade="all, delete-orphan"
    )
    accreditation_set_by: Mapped[User | None] = relationship(
        foreign_keys=[accreditation_set_by_id])

    @property
    def accreditation_label(self) -> str:
        return Accreditation(self.accreditation).label

    @property
    def is_accredited(self) -> bool:
        return Accreditation(self.accreditation) != Accreditation.NONE

    @property
    def accreditation_recorder(self) -> str | None:
        """Who recorded the accreditation, as staff pages name them (None if unknown)."""
        by = self.accreditation_set_by
        if by is None:
            return None
        return by.public_name if by.deleted_at is not None else by.display_name

    def record_accreditation(self, level: str, number: str | None, accredited_on: date | None,
                             by: User) -> bool:
        """Set the level, number and date (cleared for "not accredited"), noting who and
        when if anything changed; raise InvalidAccreditation on what cannot be recorded.
        True if anything changed."""
        level = Accreditation(level)
        number = (number or "").strip() or None
        if level == Accreditation.NONE:
            number, accredited_on = None, None
        problems = accreditation_problems(level, number, accredited_on, local_today())
        if problems:
            raise InvalidAccreditation(problems)
        recorded = (self.accreditation, self.accreditation_number, self.accredited_on)
        if self.accreditation_set_at is not None and recorded == (level, number, accredited_on):
            return False
        self.accreditation = level
        self.accreditation_number = number
        self.accredited_on = accredited_on
        self.accreditation_set_by = by
        self.accreditation_set_at = utcnow()
        return True

    def description(self, language: str) -> tuple[str, str]:
        """The description in `language`, else the other one: (text, language shown)."""
        preferred = getattr(self, f"description_{language}", "") or ""
        if preferred.strip():
            return preferred, language
        for code in ("fr", "en"):
            text = getattr(self, f"description_{code}", "") or ""
            if text.strip():
                return text, code
        return "", language

    def representatives(self) -> list[User]:
        return [m.user for m in self.memberships if m.status == MembershipStatus.APPROVED]


class Membership(TimestampMixin, Model):
    """A user's request to represent an association, and its outcome."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "association_id", name="uq_memberships_user_association"),
        enum_check(MembershipStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[MembershipStatus] = mapped_column(String(10), default=MembershipStatus.REQUESTED)
    message: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # What the moderator told the person with the decision (required to decline).
    decision_message: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    association: Mapped[Association] = relationship(back_populates="memberships")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self) -> str:
        return MembershipStatus(self.status).label

    def decide(self, approve: bool, by: User, message: str = "") -> None:
        """Approve or decline, with a message to the person: a refusal must give one."""
        if self.status != MembershipStatus.REQUESTED:
            raise DomainError(ALREADY_DECIDED)
        message = message.strip()
        if not approve and not message:
            raise DomainError(DECLINE_NEEDS_A_MESSAGE)
        self.status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
        self.decided_by = by
        self.decided_at = utcnow()
        self.decision_message = message

    def reopen(self, message: str) -> None:
        """Ask again after a refusal: the earlier decision and its message are cleared."""
        if self.status != MembershipStatus.REJECTED:
            raise DomainError(_l("You have already asked to represent this association."))
        self.status = MembershipStatus.REQUESTED
        self.message = message.strip()
        self.decided_at = None
        self.decided_by = None
        self.decision_message = ""


# The administrators' decisions about accounts (people management)


class AccountAction(LabelledEnum):
    INVITE = "invite"
    RESEND_INVITATION = "resend_invitation"
    ACCEPT_INVITATION = "accept_invitation"
    CHANGE_ROLE = "change_role"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    RESEND_CONFIRMATION = "resend_confirmation"

    @classmethod
    def labels(cls):
        return {
            cls.INVITE: _l("Invited"),
            cls.RESEND_INVITATION: _l("Invitation sent again"),
            cls.ACCEPT_INVITATION: _l("Invitation accepted"),
            cls.CHANGE_ROLE: _l("Role changed"),
            cls.DEACTIVATE: _l("Account deactivated"),
            cls.REACTIVATE: _l("Account reactivated"),
            cls.RESEND_CONFIRMATION: _l("Confirmation email sent again"),
        }


class AccountAuditEntry(Model):
    """One decision about an account: who took it, when, what, why (a role change and a
    deactivation need a reason), and the role before and after.

    The accounts' own audit log: the moderation audit log is out of reach of accounts and
    admin (the import contracts in pyproject.toml). Entries are only ever added; account
    deletion empties the reasons given about the person (a bulk UPDATE, the one change
    allowed: see `erase_account_reasons` in engage.accounts.services).
    """

    __tablename__ = "account_audit_log"
    __table_args__ = (enum_check(AccountAction, "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    # Who decided (the person themselves for an accepted invitation).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Whose account: the entries go with the row if it is ever removed (an invitation never
    # accepted, purged after 30 days).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action: Mapped[AccountAction] = mapped_column(String(30))
    role_before: Mapped[str | None] = mapped_column(String(20))
    role_after: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    @property
    def action_label(self) -> str:
        return AccountAction(self.action).label

    @property
    def role_before_label(self) -> str | None:
        return Role(self.role_before).label if self.role_before else None

    @property
    def role_after_label(self) -> str | None:
        return Role(self.role_after).label if self.role_after else None


@listens_for(AccountAuditEntry, "before_update")
def _refuse_audit_update(mapper, connection, target) -> None:
    raise DomainError(_l("Audit log entries cannot be changed."))


@listens_for(AccountAuditEntry, "before_delete")
def _refuse_audit_delete(mapper, connection, target) -> None:
    raise DomainError(_l("Audit log entries cannot be deleted."))
