"""The questionnaire of a consultation: questions, their options, responses and answers."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.content import TranslatedMixin
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check
from engage.extensions import Model

FREE_TEXT_MAX_LENGTH = 2000
SCALE_VALUES = (1, 2, 3, 4, 5)
MAX_OPTIONS = 15


class QuestionKind(LabelledEnum):
    FREE_TEXT = "free_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    RANKING = "ranking"

    @classmethod
    def labels(cls):
        return {
            cls.FREE_TEXT: _l("Free text"),
            cls.SINGLE_CHOICE: _l("Single choice"),
            cls.MULTIPLE_CHOICE: _l("Multiple choice"),
            cls.SCALE: _l("Scale from 1 to 5"),
            cls.RANKING: _l("Ranking of options"),
        }

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE,
                        QuestionKind.RANKING)


class ConsultationQuestion(TranslatedMixin, Model):
    __tablename__ = "consultation_questions"
    __table_args__ = (enum_check(QuestionKind, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=False)
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    consultation = relationship("Consultation", back_populates="questions")
    translations: Mapped[list["ConsultationQuestionTranslation"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", lazy="selectin",
        order_by="ConsultationQuestionTranslation.language",
    )
    options: Mapped[list["ConsultationQuestionOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", lazy="selectin",
        order_by="[ConsultationQuestionOption.position, ConsultationQuestionOption.id]",
    )

    @property
    def kind_enum(self) -> QuestionKind:
        return QuestionKind(self.kind)

    @property
    def kind_label(self) -> str:
        return self.kind_enum.label

    @property
    def is_closed_question(self) -> bool:
        """Answers can be counted (everything but free text)."""
        return self.kind != QuestionKind.FREE_TEXT

    def option_by_id(self, option_id: int) -> "ConsultationQuestionOption | None":
        return next((o for o in self.options if o.id == option_id), None)


class ConsultationQuestionTranslation(Model):
    __tablename__ = "consultation_question_translations"
    __table_args__ = (
        UniqueConstraint("question_id", "language",
                         name="uq_consultation_question_translations_question_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(500))
    hint: Mapped[str] = mapped_column(String(500), default="")
    # Scale questions: what 1 and 5 mean.
    scale_min_label: Mapped[str] = mapped_column(String(80), default="")
    scale_max_label: Mapped[str] = mapped_column(String(80), default="")

    question: Mapped[ConsultationQuestion] = relationship(back_populates="translations")


class ConsultationQuestionOption(TranslatedMixin, Model):
    __tablename__ = "consultation_question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    question: Mapped[ConsultationQuestion] = relationship(back_populates="options")
    translations: Mapped[list["ConsultationQuestionOptionTranslation"]] = relationship(
        back_populates="option", cascade="all, delete-orphan", lazy="selectin",
        order_by="ConsultationQuestionOptionTranslation.language",
    )

    def label(self, language: str) -> str:
        shown = self.translated(language)
        return shown.label if shown else ""


class ConsultationQuestionOptionTranslation(Model):
    __tablename__ = "consultation_question_option_translations"
    __table_args__ = (
        UniqueConstraint("option_id", "language",
                         name="uq_consultation_question_option_translations_option_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question_options.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))

    option: Mapped[ConsultationQuestionOption] = relationship(back_populates="translations")


class ConsultationResponse(TimestampMixin, Model):
    """One participant's answers to one questionnaire: a draft until submitted."""

    __tablename__ = "consultation_responses"
    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id",
                         name="uq_consultation_responses_consultation_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    answers: Mapped[list["ConsultationAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ConsultationAnswer(Model):
    """One answer row: the text, the chosen option, the scale value, or an option's rank."""

    __tablename__ = "consultation_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE"), index=True
    )
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_question_options.id", ondelete="CASCADE")
    )
    number: Mapped[int | None] = mapped_column(Integer)  # scale value, or rank (1 = first)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[ConsultationResponse] = relationship(back_populates="answers")
