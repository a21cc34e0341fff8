"""Consultations, their translations, themes, documents and followers."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.clock import local_today
from engage.core.content import TranslatedMixin
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.core.markdown import plain_text
from engage.core.search import normalize
from engage.extensions import Model, db

if TYPE_CHECKING:
    from engage.consultations.models.questionnaire import ConsultationQuestion


class ConsultationStatus(LabelledEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    SUMMARIZED = "summarized"
    ARCHIVED = "archived"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.OPEN: _l("Open to participation"),
            cls.CLOSED: _l("Closed"),
            cls.SUMMARIZED: _l("Summary published"),
            cls.ARCHIVED: _l("Archived"),
        }


# The only moves allowed, and the action that makes each.
ALLOWED_MOVES = {
    ConsultationStatus.DRAFT: ConsultationStatus.OPEN,
    ConsultationStatus.OPEN: ConsultationStatus.CLOSED,
    ConsultationStatus.CLOSED: ConsultationStatus.SUMMARIZED,
    ConsultationStatus.SUMMARIZED: ConsultationStatus.ARCHIVED,
}
MOVE_LABELS = {
    ConsultationStatus.OPEN: _l("Open the consultation"),
    ConsultationStatus.CLOSED: _l("Close the consultation"),
    ConsultationStatus.SUMMARIZED: _l("Mark the summary as published"),
    ConsultationStatus.ARCHIVED: _l("Archive the consultation"),
}
# Statuses in which the questionnaire results are public.
RESULT_STATUSES = (
    ConsultationStatus.CLOSED, ConsultationStatus.SUMMARIZED, ConsultationStatus.ARCHIVED,
)


class Audience(LabelledEnum):
    EVERYONE = "everyone"
    REPRESENTATIVES = "representatives"

    @classmethod
    def labels(cls):
        return {
            cls.EVERYONE: _l("Everyone with an account"),
            cls.REPRESENTATIVES: _l("Patient representatives only"),
        }


class ModerationPolicy(LabelledEnum):
    POST = "post"
    PRE = "pre"

    @classmethod
    def labels(cls):
        return {
            cls.POST: _l("Published at once, checked by the moderators afterwards"),
            cls.PRE: _l("Checked by the moderators before publication"),
        }


class Theme(TranslatedMixin, TimestampMixin, Model):
    """A label grouping consultations and contributions, shared by the whole platform."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    translations: Mapped[list["ThemeTranslation"]] = relationship(
        back_populates="theme", cascade="all, delete-orphan", lazy="selectin",
        order_by="ThemeTranslation.language",
    )

    def label(self, language: str) -> str:
        shown = self.translated(language)
        return shown.label if shown else ""

    def __repr__(self) -> str:
        return f"<Theme {self.id}>"


class ThemeTranslation(Model):
    __tablename__ = "theme_translations"
    __table_args__ = (
        UniqueConstraint("theme_id", "language", name="uq_theme_translations_theme_language"),
        UniqueConstraint("language", "label", name="uq_theme_translations_language_label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(80))

    theme: Mapped[Theme] = relationship(back_populates="translations")


consultation_themes = Table(
    "consultation_themes",
    db.metadata,
    Column("consultation_id", Integer, ForeignKey("consultations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Consultation(TranslatedMixin, TimestampMixin, Model):
    __tablename__ = "consultations"
    __table_args__ = (
        enum_check(ConsultationStatus, "status"),
        enum_check(Audience, "audience"),
        enum_check(ModerationPolicy, "moderation_policy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(12), default=ConsultationStatus.DRAFT, index=True)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.EVERYONE)
    moderation_policy: Mapped[str] = mapped_column(String(10), default=ModerationPolicy.POST)
    # A draft can be announced: shown as "upcoming" so that people can follow it.
    announced: Mapped[bool] = mapped_column(default=False)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    # When each move happened.
    opened_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    summarized_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Notifications sent once (the commands that send them can run again safely).
    closing_reminder_sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    summary_notified_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A random key sent with the creation form: a replayed form creates nothing new.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    translations: Mapped[list["ConsultationTranslation"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", lazy="selectin",
        order_by="ConsultationTranslation.language",
    )
    themes: Mapped[list[Theme]] = relationship(
        secondary=consultation_themes, lazy="selectin", order_by=Theme.id
    )
    documents: Mapped[list["ConsultationDocument"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan",
        order_by="ConsultationDocument.id",
    )
    questions: Mapped[list["ConsultationQuestion"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan",
        order_by="[ConsultationQuestion.position, ConsultationQuestion.id]",
    )

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.status}>"

    def title(self, language: str) -> str:
        shown = self.translated(language)
        return shown.title if shown else ""

    @property
    def status_label(self) -> str:
        return ConsultationStatus(self.status).label

    @property
    def audience_label(self) -> str:
        return Audience(self.audience).label

    @property
    def moderation_policy_label(self) -> str:
        return ModerationPolicy(self.moderation_policy).label

    @property
    def is_public(self) -> bool:
        """Readable by anyone: every status but an unannounced draft."""
        return self.status != ConsultationStatus.DRAFT or self.announced

    @property
    def is_upcoming(self) -> bool:
        return self.status == ConsultationStatus.DRAFT and self.announced

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN

    def is_accepting(self, today: date | None = None) -> bool:
        """Open, and the closing day has not passed."""
        today = today or local_today()
        return self.is_open and (self.closes_on is None or today <= self.closes_on)

    def days_left(self, today: date | None = None) -> int | None:
        if self.closes_on is None:
            return None
        return (self.closes_on - (today or local_today())).days

    @property
    def shows_results(self) -> bool:
        return self.status in RESULT_STATUSES

    @property
    def pre_moderated(self) -> bool:
        return self.moderation_policy == ModerationPolicy.PRE

    @property
    def next_status(self) -> ConsultationStatus | None:
        return ALLOWED_MOVES.get(ConsultationStatus(self.status))

    # State moves: each refuses every other move.

    def _move(self, target: ConsultationStatus) -> None:
        if ALLOWED_MOVES.get(ConsultationStatus(self.status)) != target:
            raise DomainError(
                _l("A consultation cannot go from “%(current)s” to “%(target)s”.",
                   current=ConsultationStatus(self.status).label, target=target.label)
            )
        self.status = target

    def open(self, today: date | None = None) -> None:
        today = today or local_today()
        if self.status == ConsultationStatus.DRAFT:
            if not self.translations:
                raise DomainError(_l("Write the title and summary before opening."))
            if self.closes_on is None or self.closes_on < today:
                raise DomainError(
                    _l("Set a closing date that is not in the past before opening.")
                )
        self._move(ConsultationStatus.OPEN)
        self.opened_at = utcnow()
        self.announced = False
        if self.opens_on is None or self.opens_on > today:
            self.opens_on = today

    def close(self) -> None:
        self._move(ConsultationStatus.CLOSED)
        self.closed_at = utcnow()

    def summarize(self) -> None:
        self._move(ConsultationStatus.SUMMARIZED)
        self.summarized_at = utcnow()

    def archive(self) -> None:
        self._move(ConsultationStatus.ARCHIVED)
        self.archived_at = utcnow()

    def move_to(self, target: str, today: date | None = None) -> None:
        try:
            target = ConsultationStatus(target)
        except ValueError:
            raise DomainError(_l("Please choose a status from the list.")) from None
        if target == ConsultationStatus.OPEN:
            self.open(today)
        elif target == ConsultationStatus.CLOSED:
            self.close()
        elif target == ConsultationStatus.SUMMARIZED:
            self.summarize()
        elif target == ConsultationStatus.ARCHIVED:
            self.archive()
        else:
            self._move(target)  # back to draft: always refused


class ConsultationTranslation(Model):
    """Title, summary and body (Markdown) in one language."""

    __tablename__ = "consultation_translations"
    __table_args__ = (
        UniqueConstraint("consultation_id", "language",
                         name="uq_consultation_translations_consultation_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Folded words of the three texts, indexed by the full-text index (see search.py).
    search_text: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="translations")

    def refresh_search_text(self) -> None:
        self.search_text = normalize(
            " ".join([self.title or "", self.summary or "", plain_text(self.body)])
        )


@event.listens_for(ConsultationTranslation, "before_insert")
@event.listens_for(ConsultationTranslation, "before_update")
def _index_consultation_translation(mapper, connection, target) -> None:
    target.refresh_search_text()


class ConsultationDocument(Model):
    """A PDF attached to a consultation, stored under instance/uploads/."""

    __tablename__ = "consultation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(10))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="documents")

    @property
    def download_name(self) -> str:
        return self.original_name if self.original_name.lower().endswith(".pdf") \
            else f"{self.original_name}.pdf"


class ConsultationFollow(Model):
    """A person asked to be told by email when the consultation opens, closes, is summarised."""

    __tablename__ = "consultation_follows"
    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id", name="uq_consultation_follows_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    user = relationship("User")
