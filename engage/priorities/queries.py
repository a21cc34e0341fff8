"""Read models of the research priorities area: the counts its lists show and the home
page's section. (The interim tally and the engagement figures are in results.py.)"""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from engage.core.moderated import ModerationStatus
from engage.extensions import db
from engage.priorities.models import (
    Comment,
    Exercise,
    Stage,
    Submission,
    question_submissions,
)


def submission_counts(exercise_ids: list[int]) -> dict[int, int]:
    if not exercise_ids:
        return {}
    return dict(db.session.execute(
        select(Submission.exercise_id, func.count(Submission.id))
        .where(Submission.exercise_id.in_(exercise_ids))
        .group_by(Submission.exercise_id)
    ).all())


def comment_counts(question_ids: list[int]) -> dict[int, int]:
    if not question_ids:
        return {}
    return dict(db.session.execute(
        select(Comment.question_id, func.count(Comment.id))
        .where(Comment.question_id.in_(question_ids),
               Comment.moderation_status == ModerationStatus.PUBLISHED)
        .group_by(Comment.question_id)
    ).all())


def linked_counts(question_ids: list[int]) -> dict[int, int]:
    if not question_ids:
        return {}
    column = question_submissions.c.question_id
    return dict(db.session.execute(
        select(column, func.count()).where(column.in_(question_ids)).group_by(column)
    ).all())


def home_section():
    """The exercises open to participants, for the home page (None hides the section)."""
    exercises = db.session.scalars(
        select(Exercise).where(Exercise.stage.in_([Stage.GATHERING, Stage.INTERIM_RANKING]))
        .order_by(Exercise.stage_changed_at.desc()).limit(3)
        .options(joinedload(Exercise.translations), lazyload(Exercise.groups))
    ).unique().all()
    if not exercises:
        return None
    return {"exercises": exercises, "counts": submission_counts([e.id for e in exercises])}
