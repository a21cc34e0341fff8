"""The network's response to a published summary or to a priority exercise's results: its
commitments, what each answers, and their dated updates.

A response is a draft until it is published; from then on nothing of it is deleted nor
rewritten: a commitment's status changes, and its corrections are told, through updates.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accountability.models.records import (
    NOTHING_DELETED,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
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
from engage.extensions import Model, db
from engage.priorities.models import Exercise, IndicativeQuestion, Stage
from engage.summaries.models import Summary

# The reason a commitment is not retained is kept in one column per language, so that the
# database itself refuses a "not retained" without a reason (a CHECK cannot read rows of a
# translation table). These are the network's two languages.
REASON_LANGUAGES = ("fr", "en")
REASON_GIVEN = ("status <> 'not_retained' OR "
                + " OR ".join(f"length(trim(reason_{code})) > 0" for code in REASON_LANGUAGES))

PUBLISHED_IS_FIXED = _l("This response is published: it can no longer be changed. Add an "
                        "update to a commitment instead.")


class CommitmentStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_RETAINED = "not_retained"

    @classmethod
    def labels(cls):
        return {
            cls.PLANNED: _l("Planned"),
            cls.IN_PROGRESS: _l("In progress"),
            cls.DONE: _l("Done"),
            cls.NOT_RETAINED: _l("Not retained"),
        }


class CommitmentUpdateKind(LabelledEnum):
    PROGRESS = "progress"
    CORRECTION = "correction"

    @classmethod
    def labels(cls):
        return {cls.PROGRESS: _l("Progress"), cls.CORRECTION: _l("Correction")}


class Response(TimestampMixin, Model):
    """The network's response to one published summary, or to one exercise's results."""

    __tablename__ = "accountability_responses"
    __table_args__ = (
        CheckConstraint(exactly_one("summary_id", "exercise_id"), name="one_target"),
    )
    AUDIT_TARGET = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int | None] = mapped_column(ForeignKey("summaries.id"), unique=True)
    exercise_id: Mapped[int | None] = mapped_column(ForeignKey("priority_exercises.id"),
                                                    unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), index=True)

    summary: Mapped[Summary | None] = relationship()
    exercise: Mapped[Exercise | None] = relationship()
    commitments: Mapped[list["Commitment"]] = relationship(
        back_populates="response", cascade="all, delete-orphan",
        order_by="(Commitment.position, Commitment.id)")

    def __repr__(self) -> str:
        return f"<Response {self.id} {'published' if self.is_published else 'draft'}>"

    @classmethod
    def to(cls, *, summary: Summary | None = None, exercise: Exercise | None = None,
           by=None) -> "Response":
        """A new draft response to a published summary or to published priority results."""
        if (summary is None) == (exercise is None):
            raise DomainError(_l("A response answers one summary or one priority exercise."))
        if summary is not None and not summary.is_published:
            raise DomainError(_l("The network responds to a summary once it is published."))
        if exercise is not None and not exercise.at(Stage.PUBLISHED):
            raise DomainError(_l("The network responds to research priorities once their "
                                 "results are published."))
        return cls(summary_id=summary.id if summary is not None else None,
                   exercise_id=exercise.id if exercise is not None else None,
                   created_by_id=by.id if by is not None else None)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def consultation_id(self) -> int | None:
        """The consultation whose summary it answers (its contributions can be cited)."""
        return self.summary.consultation_id if self.summary is not None else None

    def ensure_draft(self) -> None:
        if self.is_published:
            raise DomainError(PUBLISHED_IS_FIXED)

    def ensure_deletable(self) -> None:
        if self.is_published:
            raise DomainError(NOTHING_DELETED)

    def publish(self) -> None:
        if self.is_published:
            raise DomainError(_l("This response is already published."))
        if not self.commitments:
            raise DomainError(_l("A response lists at least one commitment."))
        self.published_at = utcnow()


commitment_questions = Table(
    "accountability_commitment_questions",
    db.metadata,
    Column("commitment_id", ForeignKey("accountability_commitments.id", ondelete="CASCADE"),
           primary_key=True),
    Column("question_id", ForeignKey("priority_questions.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Commitment(TranslatedMixin, TimestampMixin, Model):
    """What the network undertakes to do: who carries it (`owner`, a team or an institution
    of the network), its status and dates, and the points it answers (contributions cited as
    `[#123]` in its texts, research priorities linked)."""

    __tablename__ = "accountability_commitments"
    __table_args__ = (
        enum_check(CommitmentStatus, "status"),
        CheckConstraint(REASON_GIVEN, name="reason_when_not_retained"),
        CheckConstraint("status <> 'done' OR done_on IS NOT NULL", name="done_on_when_done"),
        CheckConstraint("starts_on IS NULL OR due_on IS NULL OR due_on >= starts_on",
                        name="dates_in_order"),
    )
    AUDIT_TARGET = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_responses.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=CommitmentStatus.PLANNED, index=True)
    reason_fr: Mapped[str] = mapped_column(Text, default="")
    reason_en: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    response: Mapped[Response] = relationship(back_populates="commitments")
    translations: Mapped[list["CommitmentTranslation"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", lazy="selectin",
        order_by="CommitmentTranslation.language")
    citations: Mapped[list["CommitmentCitation"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan",
        order_by="CommitmentCitation.contribution_id")
    questions: Mapped[list[IndicativeQuestion]] = relationship(
        secondary=commitment_questions, order_by=IndicativeQuestion.number)
    updates: Mapped[list["CommitmentUpdate"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan",
        order_by="(CommitmentUpdate.happened_on, CommitmentUpdate.id)")

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.status}>"

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label

    @property
    def is_published(self) -> bool:
        return self.response is not None and self.response.is_published

    def title(self, language: str) -> str:
        shown = self.translated(language)
        return shown.title if shown else ""

    def reason(self, language: str) -> str:
        """Why it is not retained, in `language`, else in the other language."""
        order = [language, *(code for code in REASON_LANGUAGES if code != language)]
        return next((text for code in order
                     if code in REASON_LANGUAGES and (text := getattr(self, f"reason_{code}"))),
                    "")

    def cited_text(self) -> str:
        """Every text of the commitment, where its citations are read."""
        return "\n".join(f"{t.title}\n{t.text}" for t in self.translations)

    # Changes while the response is a draft.

    def ensure_editable(self) -> None:
        if self.is_published:
            raise DomainError(PUBLISHED_IS_FIXED)

    def set_texts(self, texts: dict[str, tuple[str, str]]) -> None:
        """`texts`: language -> (title, text), already cleaned. A title in one language at
        least; a language left blank has no row (its reader sees the other language)."""
        self.ensure_editable()
        for title, text in texts.values():
            require_length(title, TITLE_MAX_LENGTH, _l(
                "A title can have at most %(max)d characters.", max=TITLE_MAX_LENGTH))
            require_length(text, TEXT_MAX_LENGTH, _l(
                "A text can have at most %(max)d characters.", max=TEXT_MAX_LENGTH))
            if text and not title:
                raise DomainError(_l("Please give a title in each language you write in."))
        if not any(title for title, _text in texts.values()):
            raise DomainError(_l("Please give the commitment a title."))
        rows = {t.language: t for t in self.translations}
        for code, (title, text) in texts.items():
            row = rows.get(code)
            if not title:
                if row is not None:
                    self.translations.remove(row)
                continue
            if row is None:
                row = CommitmentTranslation(language=code)
                self.translations.append(row)
            row.title, row.text = title, text

    def set_dates(self, starts_on: date | None, due_on: date | None) -> None:
        self.ensure_editable()
        _check_dates(starts_on, due_on)
        self.starts_on, self.due_on = starts_on, due_on

    def set_status(self, status: str, *, reasons: dict[str, str] | None = None,
                   done_on: date | None = None) -> None:
        """The status of a commitment of a draft response. Once the response is published,
        the status changes only through an update (`record`)."""
        if self.is_published:
            raise DomainError(_l("Once the response is published, a commitment's status "
                                 "changes through an update."))
        self._move(status, reasons, done_on)

    # Changes once published: through updates only.

    def record(self, update: "CommitmentUpdate", *, reasons: dict[str, str] | None = None,
               done_on: date | None = None) -> None:
        """Add an update: it may set the status (done on `done_on`, by default the update's
        date; not retained with `reasons`) and a new due date."""
        if not self.is_published:
            raise DomainError(_l("Updates are added once the response is published."))
        if update.status is not None:
            self._move(update.status, reasons, done_on or update.happened_on)
        if update.due_on is not None:
            _check_dates(self.starts_on, update.due_on)
            self.due_on = update.due_on
        self.updates.append(update)

    def _move(self, status: str, reasons: dict[str, str] | None, done_on: date | None) -> None:
        try:
            status = CommitmentStatus(status)
        except ValueError:
            raise DomainError(_l("Please choose a status from the list.")) from None
        reasons = {code: (reasons or {}).get(code, "").strip() for code in REASON_LANGUAGES}
        for reason in reasons.values():
            require_length(reason, REASON_MAX_LENGTH, _l(
                "The reason can have at most %(max)d characters.", max=REASON_MAX_LENGTH))
        if status == CommitmentStatus.NOT_RETAINED and not any(reasons.values()):
            raise DomainError(_l("Please say why this commitment is not retained."))
        if status == CommitmentStatus.DONE:
            if done_on is None:
                raise DomainError(_l("Please give the date on which it was done."))
            if self.starts_on is not None and done_on < self.starts_on:
                raise DomainError(_l("It cannot have been done before it started."))
        self.status = status
        self.done_on = done_on if status == CommitmentStatus.DONE else None
        for code, reason in reasons.items():
            setattr(self, f"reason_{code}",
                    reason if status == CommitmentStatus.NOT_RETAINED else "")


def _check_dates(starts_on: date | None, due_on: date | None) -> None:
    if starts_on is not None and due_on is not None and due_on < starts_on:
        raise DomainError(_l("The due date cannot come before the start date."))


class CommitmentTranslation(Model):
    __tablename__ = "accountability_commitment_translations"
    __table_args__ = (
        UniqueConstraint("commitment_id", "language",
                         name="uq_accountability_commitment_translations_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_commitments.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    text: Mapped[str] = mapped_column(Text, default="")  # Markdown

    commitment: Mapped[Commitment] = relationship(back_populates="translations")


class CommitmentCitation(Model):
    """A contribution a commitment answers, cited as `[#123]` in one of its texts."""

    __tablename__ = "accountability_commitment_citations"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_commitments.id", ondelete="CASCADE"), primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_contributions.id", ondelete="CASCADE"), primary_key=True,
        index=True)

    commitment: Mapped[Commitment] = relationship(back_populates="citations")


class CommitmentUpdate(UpdateMixin, Model):
    """A dated note on a published commitment's progress, or a correction of what was
    published; it may set the commitment's status and due date (kept here, for the trail)."""

    __tablename__ = "accountability_commitment_updates"
    __table_args__ = (
        enum_check(CommitmentUpdateKind, "kind"),
        enum_check(CommitmentStatus, "status"),
    )
    AUDIT_TARGET = "commitment_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_commitments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=CommitmentUpdateKind.PROGRESS)
    status: Mapped[str | None] = mapped_column(String(20))  # the status it set, if any
    due_on: Mapped[date | None] = mapped_column(Date)  # the new due date it set, if any

    commitment: Mapped[Commitment] = relationship(back_populates="updates")
    translations: Mapped[list["CommitmentUpdateTranslation"]] = relationship(
        back_populates="update", cascade="all, delete-orphan", lazy="selectin")
    documents: Mapped[list[UpdateDocument]] = relationship(
        cascade="all, delete-orphan", order_by=UpdateDocument.id)

    @property
    def kind_label(self) -> str:
        return CommitmentUpdateKind(self.kind).label

    @property
    def status_label(self) -> str | None:
        return CommitmentStatus(self.status).label if self.status else None


class CommitmentUpdateTranslation(Model):
    __tablename__ = "accountability_commitment_update_translations"
    __table_args__ = (
        UniqueConstraint("update_id", "language",
                         name="uq_accountability_commitment_update_translations_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_commitment_updates.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)  # Markdown

    update: Mapped[CommitmentUpdate] = relationship(back_populates="translations")


# Deletion guards: nothing of a published response goes, whatever path the deletion takes
# (the services refuse first, with the same message).


def _published(connection, response_id) -> bool:
    return connection.scalar(select(Response.published_at).where(
        Response.id == response_id)) is not None


def _response_of_commitment(commitment_id):
    return select(Commitment.response_id).where(Commitment.id == commitment_id) \
        .scalar_subquery()


@event.listens_for(Response, "before_delete")
def _keep_published_response(mapper, connection, target) -> None:
    if _published(connection, target.id):
        raise DomainError(NOTHING_DELETED)


@event.listens_for(Commitment, "before_delete")
def _keep_published_commitment(mapper, connection, target) -> None:
    if _published(connection, target.response_id):
        raise DomainError(NOTHING_DELETED)


@event.listens_for(CommitmentTranslation, "before_delete")
@event.listens_for(CommitmentCitation, "before_delete")
def _keep_published_parts(mapper, connection, target) -> None:
    if _published(connection, _response_of_commitment(target.commitment_id)):
        raise DomainError(NOTHING_DELETED)


updates_are_kept(CommitmentUpdate)
updates_are_kept(CommitmentUpdateTranslation)
