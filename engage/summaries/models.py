"""Summaries of consultations: their texts in each language, revisions and citations.

A summary goes draft → in review → published. A second moderator, who has not written
it, approves it: approval publishes it. Once published, its text is fixed (traceability);
the network's response can be added or updated later.
"""

import json
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.content import TranslatedMixin
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.extensions import Model


class SummaryStatus(LabelledEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.IN_REVIEW: _l("Awaiting a second moderator"),
            cls.PUBLISHED: _l("Published"),
        }


class Summary(TranslatedMixin, TimestampMixin, Model):
    __tablename__ = "summaries"
    __table_args__ = (enum_check(SummaryStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One summary per consultation.
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(10), default=SummaryStatus.DRAFT, index=True)
    # Bumped by every change: a form sent with an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), index=True)
    # Why a reviewer sent it back to draft.
    review_note: Mapped[str] = mapped_column(Text, default="")
    # The network's response: its text is in each translation, its date here.
    response_on: Mapped[date | None] = mapped_column(Date)
    notified_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    consultation = relationship("Consultation")
    translations: Mapped[list["SummaryTranslation"]] = relationship(
        back_populates="summary", cascade="all, delete-orphan", lazy="selectin",
        order_by="SummaryTranslation.language",
    )
    revisions: Mapped[list["SummaryRevision"]] = relationship(
        back_populates="summary", cascade="all, delete-orphan", order_by="SummaryRevision.id",
    )
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    def __repr__(self) -> str:
        return f"<Summary {self.id} {self.status}>"

    @property
    def status_label(self) -> str:
        return SummaryStatus(self.status).label

    @property
    def is_draft(self) -> bool:
        return self.status == SummaryStatus.DRAFT

    @property
    def in_review(self) -> bool:
        return self.status == SummaryStatus.IN_REVIEW

    @property
    def is_published(self) -> bool:
        return self.status == SummaryStatus.PUBLISHED

    @property
    def has_response(self) -> bool:
        return self.response_on is not None

    def body(self, language: str) -> str:
        row = next((t for t in self.translations if t.language == language), None)
        return row.body if row else ""

    def missing_languages(self, languages) -> list[str]:
        return [code for code in languages if not self.body(code).strip()]

    def _bump(self) -> None:
        self.version = (self.version or 0) + 1

    # State moves: each refuses every other move.

    def submit(self, by) -> None:
        if not self.is_draft:
            raise DomainError(_l("Only a draft can be sent for review."))
        self.status = SummaryStatus.IN_REVIEW
        self.submitted_by_id = by.id
        self.submitted_at = utcnow()
        self.review_note = ""
        self._bump()

    def return_to_draft(self, by, note: str) -> None:
        if not self.in_review:
            raise DomainError(_l("Only a summary awaiting review can go back to draft."))
        self.status = SummaryStatus.DRAFT
        self.review_note = note
        self._bump()

    def publish(self, by) -> None:
        if not self.in_review:
            raise DomainError(_l("Only a summary awaiting review can be approved."))
        self.status = SummaryStatus.PUBLISHED
        self.approved_by_id = by.id
        self.published_at = utcnow()
        self._bump()


class SummaryTranslation(Model):
    """The summary and the network's response (Markdown) in one language."""

    __tablename__ = "summary_translations"
    __table_args__ = (
        UniqueConstraint("summary_id", "language", name="uq_summary_translations_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("summaries.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")

    summary: Mapped[Summary] = relationship(back_populates="translations")


class SummaryRevision(Model):
    """Who saved which text, when: the trail of a summary's writing."""

    __tablename__ = "summary_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("summaries.id", ondelete="CASCADE"), index=True
    )
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                     index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    texts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: language -> body

    summary: Mapped[Summary] = relationship(back_populates="revisions")
    edited_by = relationship("User")

    @property
    def texts_data(self) -> dict:
        return json.loads(self.texts or "{}")


class Citation(Model):
    """A contribution cited by a summary (`[#123]`), for "cited in" on the contribution."""

    __tablename__ = "summary_citations"

    summary_id: Mapped[int] = mapped_column(
        ForeignKey("summaries.id", ondelete="CASCADE"), primary_key=True
    )
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_contributions.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    )

    summary: Mapped[Summary] = relationship()
