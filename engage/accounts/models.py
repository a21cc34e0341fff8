"""Users, roles, associations and representation requests."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from engage.accounts.passwords import hash_password
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.core.sessions import session_id
from engage.extensions import Model


class Role(LabelledEnum):
    PARTICIPANT = "participant"
    REPRESENTATIVE = "representative"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @classmethod
    def labels(cls):
        return {
            cls.PARTICIPANT: _l("Participant"),
            cls.REPRESENTATIVE: _l("Patient representative"),
            cls.MODERATOR: _l("Moderator"),
            cls.ADMIN: _l("Administrator"),
        }

    @property
    def rank(self) -> int:
        return list(Role).index(self)


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
    privacy_consent_at: Mapped[datetime] = mapped_column(AwareDateTime())
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
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="association", cascade="all, delete-orphan"
    )

    @property
    def accreditation_label(self) -> str:
        return Accreditation(self.accreditation).label

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

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    association: Mapped[Association] = relationship(back_populates="memberships")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self) -> str:
        return MembershipStatus(self.status).label

    def decide(self, approve: bool, by: User) -> None:
        if self.status != MembershipStatus.REQUESTED:
            raise DomainError(_l("This request has already been decided."))
        self.status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
        self.decided_by = by
        self.decided_at = utcnow()
