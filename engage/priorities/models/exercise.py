"""A priority-setting exercise: its texts, stakeholder groups and stage history."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.content import TranslatedMixin
from engage.core.db import AwareDateTime, TimestampMixin, enum_check, utcnow
from engage.core.errors import DomainError
from engage.extensions import Model
from engage.priorities.models.stages import (
    DEFAULT_WORKSHOP_SIZE,
    GROUP_FOR_PARTICIPANT_TYPE,
    GroupCode,
    Stage,
)


class Exercise(TranslatedMixin, TimestampMixin, Model):
    __tablename__ = "priority_exercises"
    __table_args__ = (
        enum_check(Stage, "stage"),
        CheckConstraint("workshop_size BETWEEN 1 AND 100", name="workshop_size_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), default=Stage.DRAFT, index=True)
    stage_changed_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    # Planned dates, shown to participants (stages still move only when a moderator says so).
    gathering_ends_on: Mapped[date | None] = mapped_column(Date)
    ranking_ends_on: Mapped[date | None] = mapped_column(Date)
    workshop_on: Mapped[date | None] = mapped_column(Date)
    # How many questions of the interim ranking go to the final workshop.
    workshop_size: Mapped[int] = mapped_column(Integer, default=DEFAULT_WORKSHOP_SIZE)
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    translations: Mapped[list["ExerciseTranslation"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", lazy="selectin"
    )
    groups: Mapped[list["StakeholderGroup"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", lazy="selectin",
        order_by="StakeholderGroup.position",
    )
    stage_changes: Mapped[list["StageChange"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan",
        order_by="StageChange.changed_at",
    )

    def __repr__(self) -> str:
        return f"<Exercise {self.id} {self.stage}>"

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def stage_label(self) -> str:
        return self.stage_enum.label

    @property
    def next_stage(self) -> Stage | None:
        return self.stage_enum.next

    def at(self, *stages: Stage) -> bool:
        return self.stage_enum in stages

    def reached(self, stage: Stage) -> bool:
        """True at `stage` or any later stage."""
        return self.stage_enum.step >= stage.step

    def stage_started_at(self, stage: Stage) -> datetime | None:
        """When the exercise entered `stage` (needs `stage_changes` loaded)."""
        for change in self.stage_changes:
            if change.to_stage == stage:
                return change.changed_at
        return self.created_at if stage == Stage.DRAFT else None

    def move_to(self, target: str, by) -> "StageChange":
        """Go to the next stage: never backwards, never skipping one."""
        try:
            target = Stage(target)
        except ValueError:
            raise DomainError(_l("This stage does not exist.")) from None
        current = self.stage_enum
        if target == current:
            raise DomainError(_l("The exercise is already at this stage."))
        if target.step < current.step:
            raise DomainError(_l("An exercise cannot go back to an earlier stage."))
        if target.step > current.step + 1:
            assert current.next is not None  # a stage lies beyond: current is not the last
            raise DomainError(
                _l("Stages cannot be skipped: the next stage is “%(stage)s”.",
                   stage=current.next.label)
            )
        now = utcnow()
        change = StageChange(
            from_stage=current, to_stage=target, changed_at=now,
            changed_by_id=by.id if by is not None else None,
        )
        self.stage_changes.append(change)
        self.stage = target
        self.stage_changed_at = now
        if target == Stage.PUBLISHED:
            self.published_at = now
        return change

    def group_for(self, participant_type: str | None) -> "StakeholderGroup | None":
        code = GROUP_FOR_PARTICIPANT_TYPE.get(participant_type or "")
        return next((g for g in self.groups if code and g.code == code), None)


class ExerciseTranslation(Model):
    __tablename__ = "priority_exercise_translations"
    __table_args__ = (
        UniqueConstraint("exercise_id", "language", name="uq_priority_exercise_translations_lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("priority_exercises.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")

    exercise: Mapped[Exercise] = relationship(back_populates="translations")


class StageChange(Model):
    """The history of an exercise's stages: when each began, and who moved it."""

    __tablename__ = "priority_stage_changes"
    __table_args__ = (enum_check(Stage, "from_stage"), enum_check(Stage, "to_stage"))

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("priority_exercises.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    exercise: Mapped[Exercise] = relationship(back_populates="stage_changes")
    changed_by = relationship("User")

    @property
    def to_label(self) -> str:
        return Stage(self.to_stage).label


class StakeholderGroup(TranslatedMixin, Model):
    __tablename__ = "priority_groups"
    __table_args__ = (
        UniqueConstraint("exercise_id", "position", name="uq_priority_groups_position"),
        enum_check(GroupCode, "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("priority_exercises.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(30))

    exercise: Mapped[Exercise] = relationship(back_populates="groups")
    translations: Mapped[list["GroupTranslation"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", lazy="selectin"
    )

    def label(self, language: str) -> str:
        shown = self.translated(language)
        return shown.label if shown else ""


class GroupTranslation(Model):
    __tablename__ = "priority_group_translations"
    __table_args__ = (
        UniqueConstraint("group_id", "language", name="uq_priority_group_translations_lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("priority_groups.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(120))

    group: Mapped[StakeholderGroup] = relationship(back_populates="translations")
