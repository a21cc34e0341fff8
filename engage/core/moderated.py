"""What every piece of user writing shares: a moderation state and reports.

Areas mix `ModeratedMixin` into the models people write (contributions, comments)
and give each a `MODERATION_TARGET` name; a report points at its target by
(target_type, target_id), so that `moderation` can act on any area without the
areas importing each other.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from engage.core import registry
from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.extensions import Model, db


class ModerationStatus(LabelledEnum):
    PENDING = "pending"  # waiting for approval (pre-moderation)
    PUBLISHED = "published"
    HIDDEN = "hidden"

    @classmethod
    def labels(cls):
        return {
            cls.PENDING: _l("Awaiting moderation"),
            cls.PUBLISHED: _l("Published"),
            cls.HIDDEN: _l("Hidden by moderation"),
        }


class ReportReason(LabelledEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    HEALTH_DATA = "health_data"
    MISINFORMATION = "misinformation"
    OFF_TOPIC = "off_topic"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.SPAM: _l("Spam or advertising"),
            cls.OFFENSIVE: _l("Offensive or abusive"),
            cls.HEALTH_DATA: _l("Discloses personal health information"),
            cls.MISINFORMATION: _l("Medical misinformation"),
            cls.OFF_TOPIC: _l("Off-topic"),
            cls.OTHER: _l("Other reason"),
        }


class ReportStatus(LabelledEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    UPHELD = "upheld"

    @classmethod
    def labels(cls):
        return {
            cls.OPEN: _l("Open"),
            cls.DISMISSED: _l("Dismissed"),
            cls.UPHELD: _l("Upheld"),
        }


# An item hidden automatically once this many distinct people have open reports on it.
DEFAULT_REPORT_THRESHOLD = 3
# `hidden_reason` of an item hidden by the threshold, until a moderator reviews it.
AUTO_HIDE_REASON = "reports_threshold"


def report_threshold() -> int:
    """`MODERATION_REPORT_THRESHOLD` (default 3): distinct open reports that hide an item."""
    if has_app_context():
        return max(1, current_app.config["MODERATION_REPORT_THRESHOLD"])
    return DEFAULT_REPORT_THRESHOLD


class ModeratedMixin:
    """Columns and state rules of anything people write and moderators curate."""

    MODERATION_TARGET: str  # the target_type of reports on this model

    moderation_status: Mapped[str] = mapped_column(
        String(10), default=ModerationStatus.PUBLISHED, index=True
    )
    hidden_reason: Mapped[str | None] = mapped_column(String(40))
    moderation_note: Mapped[str | None] = mapped_column(Text)
    moderated_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Open reports, kept on the row so that lists and the queue need no extra query.
    open_report_count: Mapped[int] = mapped_column(Integer, default=0)

    @declared_attr
    def moderated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_visible(self) -> bool:
        return self.moderation_status == ModerationStatus.PUBLISHED

    def _moderate(self, status: ModerationStatus, by, reason=None, note=None) -> None:
        self.moderation_status = status
        self.hidden_reason = reason
        self.moderation_note = note
        self.moderated_at = utcnow()
        self.moderated_by_id = by.id if by is not None else None

    def approve(self, by) -> None:
        if self.moderation_status != ModerationStatus.PENDING:
            raise DomainError(_l("This item is not awaiting moderation any more."))
        self._moderate(ModerationStatus.PUBLISHED, by)

    def hide(self, by, reason: str, note: str | None = None) -> None:
        if self.moderation_status == ModerationStatus.HIDDEN:
            raise DomainError(_l("This item is already hidden."))
        self._moderate(ModerationStatus.HIDDEN, by, reason, note)

    def restore(self, by) -> None:
        if self.moderation_status != ModerationStatus.HIDDEN:
            raise DomainError(_l("This item is not hidden."))
        self._moderate(ModerationStatus.PUBLISHED, by)


class Report(TimestampMixin, Model):
    """A signed-in user asks the moderators to look at something."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "reporter_id", name="uq_reports_once"),
        Index("ix_reports_target", "target_type", "target_id"),
        enum_check(ReportReason, "reason"),
        enum_check(ReportStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column()
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=ReportStatus.OPEN, index=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    @property
    def reason_label(self) -> str:
        return ReportReason(self.reason).label


# Columns a moderator's action or the report threshold change, read afresh under the lock.
_MODERATION_STATE = ("moderation_status", "hidden_reason", "moderation_note", "moderated_at",
                     "moderated_by_id")


def recount_open_reports(target) -> int:
    """Store the number of open reports on `target`, counted by the database; returns it.

    Two people may report the same item at once, or a moderator close its reports while
    someone reports it. The row is locked first, by a statement of its own, and its
    moderation state read afresh; the UPDATE that follows starts once the lock is held, so
    its count sees every report committed before, and writes it in the same statement
    (never a figure the session loaded before the lock)."""
    model = type(target)
    db.session.flush()
    db.session.execute(select(model.id).where(model.id == target.id)
                       .with_for_update(key_share=True))
    db.session.refresh(target, attribute_names=list(_MODERATION_STATE))
    counted = (select(func.count(Report.id))
               .where(Report.target_type == target.MODERATION_TARGET,
                      Report.target_id == target.id, Report.status == ReportStatus.OPEN)
               .scalar_subquery())
    open_reports: int = db.session.execute(
        update(model).where(model.id == target.id).values(open_report_count=counted)
        .returning(model.open_report_count).execution_options(synchronize_session=False)
    ).scalar_one()
    # The loaded object takes the stored figure as its own (not a change to write back).
    set_committed_value(target, "open_report_count", open_reports)
    return open_reports


def file_report(actor, target, reason: str, details: str = "") -> Report:
    """Record `actor`'s report on `target` (a ModeratedMixin model). Once per person."""
    if reason not in ReportReason.__members__.values():
        raise DomainError(_l("Please choose a reason from the list."))
    if reason == ReportReason.OTHER and not details.strip():
        raise DomainError(_l("Please say why you are reporting this."))
    existing = db.session.scalar(
        select(Report.id).where(
            Report.target_type == target.MODERATION_TARGET,
            Report.target_id == target.id,
            Report.reporter_id == actor.id,
        )
    )
    if existing is not None:
        raise DomainError(_l("You have already reported this. The moderators will look at it."))
    report = Report(
        target_type=target.MODERATION_TARGET,
        target_id=target.id,
        reporter_id=actor.id,
        reason=reason,
        details=details.strip(),
    )
    db.session.add(report)
    recount_open_reports(target)
    if (target.moderation_status == ModerationStatus.PUBLISHED
            and target.open_report_count >= report_threshold()):
        # Hidden pending review; the moderation area records it and tells the moderators.
        target._moderate(ModerationStatus.HIDDEN, None, AUTO_HIDE_REASON)
        db.session.flush()
        for listener in registry.of().auto_hide_listeners:
            listener(target)
    db.session.flush()
    return report


# The registry of what can be moderated, filled by the moderation area (which imports the
# other areas' models), so that its queue covers every area without them importing it.


@dataclass(frozen=True)
class ModeratedTarget:
    """How the moderation queue finds, shows and links one kind of moderated item.

    - `queue_rows()`: a select of the columns the queue unions across targets:
      target_type, target_id, container_kind, container_id, moderation_status,
      open_report_count, created_at (see engage/moderation/targets.py);
    - `load_options()`: loader options so that a page of items is loaded in a fixed
      number of queries;
    - `container_of(item)`: the id of the item's consultation or exercise;
    - `place(item, language, external=False)`: a `Place` (the consultation or exercise,
      its title, the item's public URL, in `language`);
    - `redact_related(item, replace)`: apply `replace(text) -> text` to the copies
      kept elsewhere (e.g. previous versions of a contribution), or None;
    - `author_attribute`: the column naming the account that wrote the item (what
      account deletion looks for).
    """

    name: str
    model: type[Any]  # a mapped model with ModeratedMixin (core cannot name the areas' models)
    label: Any  # a lazy string: "Contribution", "Priority question"
    text_attribute: str  # the attribute holding what the author wrote
    container_kind: str  # "consultation", "exercise"
    queue_rows: Callable
    container_of: Callable
    place: Callable
    load_options: Callable = lambda: ()
    redact_related: Callable | None = None
    author_attribute: str = "author_id"


@dataclass(frozen=True)
class Place:
    container_kind: str
    container_id: int
    container_title: str
    container_url: str
    url: str  # where the item is shown to the public
    language: str = ""  # the language of `container_title`


MODERATED_TARGETS: dict[str, ModeratedTarget] = {}


def register_target(target: ModeratedTarget) -> None:
    MODERATED_TARGETS[target.name] = target
