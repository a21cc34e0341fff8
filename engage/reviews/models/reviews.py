"""Applications, reviewers' assignments and declarations, reviews and reminders.

Reviewers see an application once assigned to it, with a conflict-of-interest
declaration ("no link") and the confidentiality agreement on record.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.core.db import AwareDateTime, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.extensions import Model
from engage.reviews.models.calls import (
    AssignmentStatus,
    CallStatus,
    ConflictLink,
    Decision,
    FundingCall,
    ReminderKind,
    ReviewStatus,
    split_list,
)


class Application(TimestampMixin, Model):
    """One project submitted to a call."""

    __tablename__ = "review_applications"
    __table_args__ = (
        UniqueConstraint("call_id", "acronym", name="uq_review_applications_acronym"),
        CheckConstraint("decision IN ('funded', 'waiting_list', 'not_funded')",
                        name="decision_allowed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE"), index=True
    )
    acronym: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    lay_summary: Mapped[str] = mapped_column(Text)
    summary_language: Mapped[str] = mapped_column(String(10), default="fr")
    team: Mapped[str] = mapped_column(Text, default="")
    institutions: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    pdf_filename: Mapped[str | None] = mapped_column(String(64))
    pdf_original_name: Mapped[str | None] = mapped_column(String(255))
    pdf_size: Mapped[int | None] = mapped_column()
    # Set when a reviewer withdraws for a conflict, cleared by a new assignment.
    needs_reassignment: Mapped[bool] = mapped_column(default=False)
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    call: Mapped[FundingCall] = relationship(back_populates="applications")
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Assignment.id"
    )

    @property
    def institution_list(self) -> list[str]:
        return split_list(self.institutions, commas=False)

    @property
    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)

    @property
    def decision_label(self) -> str:
        return Decision(self.decision).label if self.decision else ""

    def active_assignments(self) -> list["Assignment"]:
        return [a for a in self.assignments if a.status == AssignmentStatus.ACTIVE]

    def record_decision(self, decision: str, note: str, by: User) -> None:
        if self.call.status != CallStatus.DECIDED:
            raise DomainError(_l("Decisions are recorded once the call is marked as decided."))
        self.decision = Decision(decision)
        self.decision_note = note
        self.decided_at = utcnow()
        self.decided_by_id = by.id


class ReviewerProfile(TimestampMixin, Model):
    """What a lay reviewer cares about, and where they work (to avoid conflicts)."""

    __tablename__ = "reviewer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    themes: Mapped[str] = mapped_column(Text, default="")
    institutions: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()

    @property
    def theme_list(self) -> list[str]:
        return split_list(self.themes)

    @property
    def institution_list(self) -> list[str]:
        return split_list(self.institutions, commas=False)


class Assignment(TimestampMixin, Model):
    """A reviewer asked to review one application."""

    __tablename__ = "review_assignments"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id", name="uq_review_assignments_pair"),
        enum_check(AssignmentStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("review_applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=AssignmentStatus.ACTIVE)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    no_conflict_declared_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    confidentiality_accepted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    application: Mapped[Application] = relationship(back_populates="assignments")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    review: Mapped["Review | None"] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", uselist=False
    )
    declarations: Mapped[list["ConflictDeclaration"]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan",
        order_by="ConflictDeclaration.id",
    )
    reminders: Mapped[list["ReviewReminder"]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.status == AssignmentStatus.ACTIVE

    @property
    def is_cleared(self) -> bool:
        """No conflict declared and confidentiality accepted: the application may be read."""
        return (self.is_active and self.no_conflict_declared_at is not None
                and self.confidentiality_accepted_at is not None)

    @property
    def is_submitted(self) -> bool:
        return self.review is not None and self.review.status == ReviewStatus.SUBMITTED

    @property
    def status_label(self) -> str:
        return AssignmentStatus(self.status).label

    def clear(self) -> None:
        if not self.is_active:
            raise DomainError(_l("This assignment has been withdrawn."))
        now = utcnow()
        self.no_conflict_declared_at = now
        self.confidentiality_accepted_at = now

    def withdraw_for_conflict(self) -> None:
        if not self.is_active:
            raise DomainError(_l("This assignment has already been withdrawn."))
        self.status = AssignmentStatus.WITHDRAWN
        self.withdrawn_at = utcnow()
        self.application.needs_reassignment = True


class ConflictDeclaration(TimestampMixin, Model):
    """Kept for the record: what a reviewer declared, and when."""

    __tablename__ = "review_conflict_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE"), index=True
    )
    links: Mapped[list] = mapped_column(JSON, default=list)
    details: Mapped[str] = mapped_column(Text, default="")
    has_conflict: Mapped[bool] = mapped_column(default=False)
    confidentiality_accepted: Mapped[bool] = mapped_column(default=False)

    assignment: Mapped[Assignment] = relationship(back_populates="declarations")

    @property
    def link_labels(self) -> list[str]:
        return [ConflictLink(link).label for link in self.links]


class Review(TimestampMixin, Model):
    __tablename__ = "reviews"
    __table_args__ = (
        enum_check(ReviewStatus, "status"),
        CheckConstraint("overall_score BETWEEN 1 AND 5", name="overall_score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.DRAFT)
    overall_score: Mapped[int | None] = mapped_column()
    overall_applicant_comment: Mapped[str] = mapped_column(Text, default="")
    overall_committee_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    assignment: Mapped[Assignment] = relationship(back_populates="review")
    scores: Mapped[list["ReviewScore"]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    def score_for(self, criterion_id: int) -> "ReviewScore | None":
        return next((s for s in self.scores if s.criterion_id == criterion_id), None)

    def ensure_editable(self, call: FundingCall, now: datetime | None = None) -> None:
        if self.is_submitted:
            raise DomainError(_l("You have already submitted this review: it can no longer "
                                 "be changed."))
        if call.status != CallStatus.OPEN:
            raise DomainError(_l("The review of this call is closed: your draft is kept but "
                                 "can no longer be changed."))
        if call.deadline_passed(now):
            raise DomainError(_l("The deadline has passed: your draft is kept but can no "
                                 "longer be changed or submitted."))

    def submit(self, call: FundingCall, now: datetime | None = None) -> None:
        self.ensure_editable(call, now)
        self.status = ReviewStatus.SUBMITTED
        self.submitted_at = now or utcnow()


class ReviewScore(Model):
    __tablename__ = "review_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id", name="uq_review_scores_criterion"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("review_criteria.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int | None] = mapped_column()
    applicant_comment: Mapped[str] = mapped_column(Text, default="")
    committee_comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")


class ReviewReminder(TimestampMixin, Model):
    """A reminder sent, so that running the command twice sends nothing twice."""

    __tablename__ = "review_reminders"
    __table_args__ = (
        UniqueConstraint("assignment_id", "kind", name="uq_review_reminders_kind"),
        enum_check(ReminderKind, "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(10))

    assignment: Mapped[Assignment] = relationship(back_populates="reminders")
