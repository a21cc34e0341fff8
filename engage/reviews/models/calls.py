"""Funding calls and their rubric; the enums and helpers of lay review.

A call moves draft → open for review → review closed → decided, and only so.
"""

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.clock import local_timezone
from engage.core.content import TranslatedMixin
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.extensions import Model

if TYPE_CHECKING:
    from engage.reviews.models.reviews import Application

SCORES = (1, 2, 3, 4, 5)
DISAGREEMENT_GAP = 3  # reviewers this far apart on a criterion disagree


def split_list(text: str | None, commas: bool = True) -> list[str]:
    """Items written one per line or separated by semicolons (or commas, if `commas`)."""
    items: list[str] = []
    text = (text or "").replace(";", "\n")
    if commas:
        text = text.replace(",", "\n")
    for line in text.splitlines():
        item = " ".join(line.split())
        if item and item.casefold() not in {i.casefold() for i in items}:
            items.append(item)
    return items


class CallStatus(LabelledEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.OPEN: _l("Open for review"),
            cls.CLOSED: _l("Review closed"),
            cls.DECIDED: _l("Decided"),
        }


class AssignmentStatus(LabelledEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls):
        return {
            cls.ACTIVE: _l("Assigned"),
            cls.WITHDRAWN: _l("Withdrawn: conflict of interest"),
        }


class ReviewStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Draft saved"), cls.SUBMITTED: _l("Submitted")}


class Decision(LabelledEnum):
    FUNDED = "funded"
    WAITING_LIST = "waiting_list"
    NOT_FUNDED = "not_funded"

    @classmethod
    def labels(cls):
        return {
            cls.FUNDED: _l("Funded"),
            cls.WAITING_LIST: _l("On the waiting list"),
            cls.NOT_FUNDED: _l("Not funded"),
        }


class ConflictLink(LabelledEnum):
    APPLICANT = "applicant"
    SAME_INSTITUTION = "same_institution"
    COLLABORATION = "collaboration"
    SUPERVISION = "supervision"
    FAMILY = "family"
    FINANCIAL = "financial"
    ASSOCIATION_FUNDING = "association_funding"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.APPLICANT: _l("I am an applicant or a collaborator on this project."),
            cls.SAME_INSTITUTION: _l(
                "I have worked in the same institution as an applicant in the last 12 months."),
            cls.COLLABORATION: _l("I have worked with an applicant in the last 3 years."),
            cls.SUPERVISION: _l(
                "I have supervised an applicant, or been supervised by one, in the last 5 years."),
            cls.FAMILY: _l("I have a family link with an applicant."),
            cls.FINANCIAL: _l("I have a financial interest in the project or its results."),
            cls.ASSOCIATION_FUNDING: _l(
                "My association receives funding from the applicants’ team or its industrial "
                "partners."),
            cls.OTHER: _l("Another link that could affect my judgement."),
        }


class ReminderKind(LabelledEnum):
    SEVEN_DAYS = "7_days"
    TWO_DAYS = "2_days"

    @classmethod
    def labels(cls):
        return {cls.SEVEN_DAYS: _l("7 days before"), cls.TWO_DAYS: _l("2 days before")}

    @property
    def days(self) -> int:
        return 7 if self is ReminderKind.SEVEN_DAYS else 2


class FundingCall(TranslatedMixin, TimestampMixin, Model):
    __tablename__ = "funding_calls"
    __table_args__ = (
        enum_check(CallStatus, "status"),
        CheckConstraint("reviews_per_application BETWEEN 1 AND 10",
                        name="reviews_per_application_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default=CallStatus.DRAFT, index=True)
    review_opens_on: Mapped[date] = mapped_column(Date)
    review_deadline: Mapped[date] = mapped_column(Date)
    reviews_per_application: Mapped[int] = mapped_column(default=3)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    translations: Mapped[list["FundingCallTranslation"]] = relationship(
        back_populates="call", cascade="all, delete-orphan"
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="call", cascade="all, delete-orphan",
        order_by="(Criterion.position, Criterion.id)",
    )
    applications: Mapped[list["Application"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Application.acronym"
    )

    @property
    def status_label(self) -> str:
        return CallStatus(self.status).label

    @property
    def deadline_at(self) -> datetime:
        """Reviews are accepted until the end of the deadline day, local time."""
        return datetime.combine(self.review_deadline + timedelta(days=1), time.min,
                                tzinfo=local_timezone())

    def deadline_passed(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.deadline_at

    def accepts_reviews(self, now: datetime | None = None) -> bool:
        return self.status == CallStatus.OPEN and not self.deadline_passed(now)

    def title(self, language: str) -> str:
        shown = self.translated(language)
        return shown.title if shown else ""

    def open_for_review(self, today: date) -> None:
        if self.status != CallStatus.DRAFT:
            raise DomainError(_l("Only a draft call can be opened for review."))
        if not self.criteria:
            raise DomainError(_l("Add at least one criterion to the rubric first."))
        if not self.applications:
            raise DomainError(_l("Add at least one application first."))
        if self.review_deadline < today:
            raise DomainError(_l("The review deadline has passed: change it first."))
        self.status = CallStatus.OPEN
        self.opened_at = utcnow()

    def close_review(self) -> None:
        if self.status != CallStatus.OPEN:
            raise DomainError(_l("Only a call open for review can be closed."))
        self.status = CallStatus.CLOSED
        self.closed_at = utcnow()

    def mark_decided(self) -> None:
        if self.status != CallStatus.CLOSED:
            raise DomainError(_l("Close the review before recording the decision."))
        self.status = CallStatus.DECIDED
        self.decided_at = utcnow()


class FundingCallTranslation(Model):
    __tablename__ = "funding_call_translations"
    __table_args__ = (UniqueConstraint("call_id", "language", name="uq_funding_call_translation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("funding_calls.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    call: Mapped[FundingCall] = relationship(back_populates="translations")


class Criterion(TranslatedMixin, Model):
    """One line of the rubric, scored 1–5 with a comment."""

    __tablename__ = "review_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    call: Mapped[FundingCall] = relationship(back_populates="criteria")
    translations: Mapped[list["CriterionTranslation"]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan"
    )

    def label(self, language: str) -> str:
        shown = self.translated(language)
        return shown.label if shown else ""


class CriterionTranslation(Model):
    __tablename__ = "review_criterion_translations"
    __table_args__ = (
        UniqueConstraint("criterion_id", "language", name="uq_review_criterion_translation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("review_criteria.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))
    guidance: Mapped[str] = mapped_column(Text, default="")

    criterion: Mapped[Criterion] = relationship(back_populates="translations")
