"""Interim rankings: one per account, up to 10 kept questions in order."""

from sqlalchemy import CheckConstraint, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db import TimestampMixin
from engage.extensions import Model
from engage.priorities.models.exercise import Exercise, StakeholderGroup
from engage.priorities.models.questions import IndicativeQuestion
from engage.priorities.models.stages import MAX_RANKED


class Ranking(TimestampMixin, Model):
    """One participant's interim ranking: up to 10 kept questions, in order."""

    __tablename__ = "priority_rankings"
    __table_args__ = (
        UniqueConstraint("exercise_id", "user_id", name="uq_priority_rankings_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("priority_exercises.id", ondelete="CASCADE"), index=True
    )
    # Kept (anonymous) if the account goes, so that a closed tally never changes.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    group_id: Mapped[int] = mapped_column(ForeignKey("priority_groups.id"), index=True)

    exercise: Mapped[Exercise] = relationship()
    group: Mapped[StakeholderGroup] = relationship()
    entries: Mapped[list["RankingEntry"]] = relationship(
        back_populates="ranking", cascade="all, delete-orphan", lazy="selectin",
        order_by="RankingEntry.position",
    )

    @property
    def question_ids(self) -> list[int]:
        return [entry.question_id for entry in self.entries]


class RankingEntry(Model):
    __tablename__ = "priority_ranking_entries"
    __table_args__ = (
        UniqueConstraint("ranking_id", "position", name="uq_priority_ranking_entries_position"),
        UniqueConstraint("ranking_id", "question_id", name="uq_priority_ranking_entries_question"),
        CheckConstraint(f"position BETWEEN 1 AND {MAX_RANKED}", name="position_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ranking_id: Mapped[int] = mapped_column(
        ForeignKey("priority_rankings.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("priority_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    ranking: Mapped[Ranking] = relationship(back_populates="entries")
    question: Mapped[IndicativeQuestion] = relationship()
