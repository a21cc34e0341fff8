"""What people wrote (submissions, comments) and the indicative questions formed from it."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.content import TranslatedMixin
from engage.core.db import TimestampMixin, enum_check
from engage.core.errors import DomainError
from engage.core.moderated import ModeratedMixin
from engage.extensions import Model, db
from engage.priorities.models.exercise import Exercise, StakeholderGroup
from engage.priorities.models.stages import MAX_EVIDENCE, QuestionStatus

# Rows the moderation queue lists (engage.moderation.queries): a partial index holds them.
IN_QUEUE = "moderation_status = 'pending' OR open_report_count > 0"

question_submissions = Table(
    "priority_question_submissions",
    db.metadata,
    Column("question_id", ForeignKey("priority_questions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("submission_id", ForeignKey("priority_submissions.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Submission(ModeratedMixin, TimestampMixin, Model):
    """A question as a participant wrote it, in their own words."""

    __tablename__ = "priority_submissions"
    __table_args__ = (
        # The same words twice from the same person (a double click) are one submission.
        UniqueConstraint("exercise_id", "author_id", "text_hash",
                         name="uq_priority_submissions_once"),
        # What the moderation queue lists: awaiting approval or reported.
        Index("ix_priority_submissions_queue", "open_report_count", "created_at",
              postgresql_where=text(IN_QUEUE), sqlite_where=text(IN_QUEUE)),
    )
    MODERATION_TARGET = "priority_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("priority_exercises.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("priority_groups.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(10))

    exercise: Mapped[Exercise] = relationship()
    group: Mapped[StakeholderGroup] = relationship()
    author = relationship("User", foreign_keys=[author_id])
    questions: Mapped[list["IndicativeQuestion"]] = relationship(
        secondary=question_submissions, back_populates="submissions",
        order_by="IndicativeQuestion.number",
    )


class IndicativeQuestion(TranslatedMixin, TimestampMixin, Model):
    """A research question formed by the moderators from grouped submissions."""

    __tablename__ = "priority_questions"
    __table_args__ = (
        UniqueConstraint("exercise_id", "number", name="uq_priority_questions_number"),
        UniqueConstraint("exercise_id", "final_rank", name="uq_priority_questions_final_rank"),
        enum_check(QuestionStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("priority_exercises.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # shown as "Q12", per exercise
    status: Mapped[str] = mapped_column(String(20), default=QuestionStatus.KEPT, index=True)
    # Why it was set aside is written per language (QuestionTranslation.reason).
    answered_reference: Mapped[str] = mapped_column(Text, default="")
    # Frozen when the interim ranking closes (see services.move_stage).
    interim_rank: Mapped[int | None] = mapped_column(Integer)
    interim_score: Mapped[float | None] = mapped_column(Float)
    # The order agreed at the final workshop.
    final_rank: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    exercise: Mapped[Exercise] = relationship()
    translations: Mapped[list["QuestionTranslation"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", lazy="selectin"
    )
    evidence: Mapped[list["EvidenceReference"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", lazy="selectin",
        order_by="EvidenceReference.position",
    )
    submissions: Mapped[list[Submission]] = relationship(
        secondary=question_submissions, back_populates="questions", order_by=Submission.id
    )

    @property
    def status_label(self) -> str:
        return QuestionStatus(self.status).label

    @property
    def is_kept(self) -> bool:
        return self.status == QuestionStatus.KEPT

    @property
    def shortlisted(self) -> bool:
        return self.interim_rank is not None and self.interim_rank <= self.exercise.workshop_size

    def text(self, language: str) -> str:
        shown = self.translated(language)
        return shown.text if shown else ""

    def set_status(self, status: str, *, has_reason: bool = False, reference: str = "") -> None:
        """Keep the question, or set it aside with its reason (nothing is deleted).

        `has_reason`: a reason is written in at least one language (out of scope needs one).
        """
        try:
            status = QuestionStatus(status)
        except ValueError:
            raise DomainError(_l("Please choose a status from the list.")) from None
        reference = (reference or "").strip()
        if status == QuestionStatus.OUT_OF_SCOPE and not has_reason:
            raise DomainError(_l("Please say why this question is out of scope."))
        if status == QuestionStatus.ALREADY_ANSWERED and not reference:
            raise DomainError(_l("Please give the reference of the research that answers it."))
        self.status = status
        self.answered_reference = reference if status == QuestionStatus.ALREADY_ANSWERED else ""


class QuestionTranslation(Model):
    __tablename__ = "priority_question_translations"
    __table_args__ = (
        UniqueConstraint("question_id", "language", name="uq_priority_question_translations_lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("priority_questions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")  # in plain language
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was set aside
    # PICO, all optional.
    population: Mapped[str] = mapped_column(String(300), default="")
    intervention: Mapped[str] = mapped_column(String(300), default="")
    comparison: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[str] = mapped_column(String(300), default="")

    question: Mapped[IndicativeQuestion] = relationship(back_populates="translations")

    @property
    def has_pico(self) -> bool:
        return any((self.population, self.intervention, self.comparison, self.outcome))


class EvidenceReference(Model):
    __tablename__ = "priority_evidence"
    __table_args__ = (
        UniqueConstraint("question_id", "position", name="uq_priority_evidence_position"),
        CheckConstraint(f"position BETWEEN 1 AND {MAX_EVIDENCE}", name="position_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("priority_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(500))

    question: Mapped[IndicativeQuestion] = relationship(back_populates="evidence")

    @property
    def is_link(self) -> bool:
        return self.reference.startswith(("https://", "http://")) and " " not in self.reference


class Comment(ModeratedMixin, TimestampMixin, Model):
    """A message in the discussion thread of an indicative question."""

    __tablename__ = "priority_comments"
    __table_args__ = (
        UniqueConstraint("question_id", "author_id", "body_hash", name="uq_priority_comments_once"),
        Index("ix_priority_comments_queue", "open_report_count", "created_at",
              postgresql_where=text(IN_QUEUE), sqlite_where=text(IN_QUEUE)),
    )
    MODERATION_TARGET = "priority_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("priority_questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    body_hash: Mapped[str] = mapped_column(String(64))

    question: Mapped[IndicativeQuestion] = relationship()
    author = relationship("User", foreign_keys=[author_id])
