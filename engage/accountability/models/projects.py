"""Funding calls in the chain, and the projects they fund.

A call (lay review's `FundingCall`) declares the research priorities or commitments it
answers (`CallLink`). A project funded by a call's decision becomes a `FundedProject`: its
public title and lay summary, its call and its team's institution, and aggregate facts about
lay review that describe no one. Nothing else of the application, and nothing of its reviews
(scores, comments, who reviewed), is copied here: lay review is confidential, and this area
is what public pages, feeds and the API will read.

The lay review tables are named by their table names only: this module imports nothing of
engage.reviews, so that what reads it never reaches lay review's confidential models.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accountability.models.commitments import Commitment
from engage.accountability.models.records import (
    NOTHING_DELETED,
    TITLE_MAX_LENGTH,
    UpdateDocument,
    UpdateMixin,
    exactly_one,
    require_length,
    updates_are_kept,
)
from engage.core.content import TranslatedMixin
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.core.small_cells import SMALL_CELL, is_small
from engage.extensions import Model
from engage.priorities.models import IndicativeQuestion

LAY_SUMMARY_MAX_LENGTH = 20000  # as lay review accepts it (engage.reviews.importer)


class CallLink(Model):
    """A funding call answers a research priority (an exercise's question) or a commitment."""

    __tablename__ = "accountability_call_links"
    __table_args__ = (
        CheckConstraint(exactly_one("question_id", "commitment_id"), name="one_target"),
        UniqueConstraint("call_id", "question_id", name="uq_accountability_call_links_question"),
        UniqueConstraint("call_id", "commitment_id",
                         name="uq_accountability_call_links_commitment"),
    )
    AUDIT_TARGET = "call_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("funding_calls.id", ondelete="CASCADE"),
                                         index=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_questions.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("accountability_commitments.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    question: Mapped[IndicativeQuestion | None] = relationship()
    commitment: Mapped[Commitment | None] = relationship()


class FundedProject(TranslatedMixin, TimestampMixin, Model):
    """A project funded by a call's decision, as the public may know it.

    `lay_reviewer_count` is published only for 5 people or more (the small-cell rule): for
    1 to 4 it is NULL ("fewer than 5"), 0 when no lay reviewer took part; the database
    refuses any other count."""

    __tablename__ = "accountability_funded_projects"
    __table_args__ = (
        CheckConstraint(f"lay_reviewer_count IS NULL OR lay_reviewer_count = 0 "
                        f"OR lay_reviewer_count >= {SMALL_CELL}",
                        name="lay_reviewers_publishable"),
        CheckConstraint("lay_review_rounds >= 0", name="lay_review_rounds_positive"),
    )
    AUDIT_TARGET = "funded_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("funding_calls.id"), index=True)
    # The decision it comes from: one project per funded application. Never shown.
    application_id: Mapped[int] = mapped_column(ForeignKey("review_applications.id"),
                                                unique=True)
    institution: Mapped[str] = mapped_column(String(300), default="")
    lay_reviewer_count: Mapped[int | None] = mapped_column(Integer)
    lay_review_rounds: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), index=True)

    translations: Mapped[list["FundedProjectTranslation"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", lazy="selectin",
        order_by="FundedProjectTranslation.language")
    updates: Mapped[list["ProjectUpdate"]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="(ProjectUpdate.happened_on, ProjectUpdate.id)")

    def __repr__(self) -> str:
        return f"<FundedProject {self.id}>"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def fewer_lay_reviewers_than_shown(self) -> bool:
        """Lay reviewers took part, fewer than the small-cell minimum: their number is not
        published."""
        return self.lay_reviewer_count is None

    def title(self, language: str) -> str:
        shown = self.translated(language)
        return shown.title if shown else ""

    def set_lay_review(self, reviewers: int, rounds: int) -> None:
        """The facts about lay review that may be published: the number of lay reviewers
        only from 5 people on, and the number of rounds."""
        if reviewers < 0 or rounds < 0:
            raise DomainError(_l("These figures cannot be negative."))
        self.lay_reviewer_count = None if is_small(reviewers) else reviewers
        self.lay_review_rounds = rounds

    def ensure_draft(self) -> None:
        if self.is_published:
            raise DomainError(_l("This project is published: it can no longer be changed. "
                                 "Add an update instead."))

    def set_texts(self, texts: dict[str, tuple[str, str]]) -> None:
        """`texts`: language -> (title, lay summary), already cleaned; a language left
        blank has no row (its reader sees the other language)."""
        self.ensure_draft()
        for title, summary in texts.values():
            require_length(title, TITLE_MAX_LENGTH, _l(
                "A title can have at most %(max)d characters.", max=TITLE_MAX_LENGTH))
            require_length(summary, LAY_SUMMARY_MAX_LENGTH, _l(
                "A lay summary can have at most %(max)d characters.",
                max=LAY_SUMMARY_MAX_LENGTH))
            if summary and not title:
                raise DomainError(_l("Please give a title in each language you write in."))
        if not any(title for title, _summary in texts.values()):
            raise DomainError(_l("Please give the project a title."))
        rows = {t.language: t for t in self.translations}
        for code, (title, summary) in texts.items():
            row = rows.get(code)
            if not title:
                if row is not None:
                    self.translations.remove(row)
                continue
            if row is None:
                row = FundedProjectTranslation(language=code)
                self.translations.append(row)
            row.title, row.lay_summary = title, summary

    def publish(self) -> None:
        if self.is_published:
            raise DomainError(_l("This project is already published."))
        if not any(t.lay_summary.strip() for t in self.translations):
            raise DomainError(_l("Please write the project's lay summary before publishing it."))
        self.published_at = utcnow()

    def record(self, update: "ProjectUpdate") -> None:
        if not self.is_published:
            raise DomainError(_l("Updates are added once the project is published."))
        self.updates.append(update)


class FundedProjectTranslation(Model):
    __tablename__ = "accountability_funded_project_translations"
    __table_args__ = (
        UniqueConstraint("project_id", "language",
                         name="uq_accountability_funded_project_translations_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_funded_projects.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    lay_summary: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[FundedProject] = relationship(back_populates="translations")


class ProjectUpdateKind(LabelledEnum):
    STARTED = "started"
    PROGRESS = "progress"
    RESULTS = "results"
    PUBLICATION = "publication"
    CORRECTION = "correction"

    @classmethod
    def labels(cls):
        return {
            cls.STARTED: _l("Project started"),
            cls.PROGRESS: _l("Progress"),
            cls.RESULTS: _l("Results"),
            cls.PUBLICATION: _l("Publication"),
            cls.CORRECTION: _l("Correction"),
        }


class ProjectUpdate(UpdateMixin, Model):
    """News of a funded project: started, results, publications, or a correction."""

    __tablename__ = "accountability_project_updates"
    __table_args__ = (enum_check(ProjectUpdateKind, "kind"),)
    AUDIT_TARGET = "project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_funded_projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=ProjectUpdateKind.PROGRESS)

    project: Mapped[FundedProject] = relationship(back_populates="updates")
    translations: Mapped[list["ProjectUpdateTranslation"]] = relationship(
        back_populates="update", cascade="all, delete-orphan", lazy="selectin")
    documents: Mapped[list[UpdateDocument]] = relationship(
        cascade="all, delete-orphan", order_by=UpdateDocument.id)

    @property
    def kind_label(self) -> str:
        return ProjectUpdateKind(self.kind).label


class ProjectUpdateTranslation(Model):
    __tablename__ = "accountability_project_update_translations"
    __table_args__ = (
        UniqueConstraint("update_id", "language",
                         name="uq_accountability_project_update_translations_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_project_updates.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)  # Markdown

    update: Mapped[ProjectUpdate] = relationship(back_populates="translations")


@event.listens_for(FundedProject, "before_delete")
def _keep_published_project(mapper, connection, target) -> None:
    if connection.scalar(select(FundedProject.published_at).where(
            FundedProject.id == target.id)) is not None:
        raise DomainError(NOTHING_DELETED)


updates_are_kept(ProjectUpdate)
updates_are_kept(ProjectUpdateTranslation)
