"""The blueprint of the research priorities area and what its pages share."""

from flask import Blueprint, abort, g
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from engage.core import moderated
from engage.core.moderated import ModerationStatus, ReportReason
from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    Stage,
    StakeholderGroup,
    Submission,
    question_submissions,
)

bp = Blueprint("priorities", __name__, url_prefix="/<lang_code>/priorities")

RANKING_PAGE_SIZE = 50
EXERCISE_TEXTS = ("title", "description", "scope")


def lang() -> str:
    return g.lang_code


@bp.context_processor
def _template_globals():
    reason_labels = dict(ReportReason.choices())
    # Hidden automatically once enough people reported it (engage.core.moderated).
    auto_hide = getattr(moderated, "AUTO_HIDE_REASON", None)
    if auto_hide:
        reason_labels[auto_hide] = _("Several people reported it; a moderator will review it.")
    return {"lang": g.get("lang_code") or "fr", "Stage": Stage, "reason_labels": reason_labels}


def exercise_or_404(exercise_id: int) -> Exercise:
    # Its texts and groups (on every page of the area) in one query.
    exercise = db.get_or_404(Exercise, exercise_id, options=[
        joinedload(Exercise.translations),
        joinedload(Exercise.groups).joinedload(StakeholderGroup.translations)])
    if not permissions.can_view_exercise(current_user, exercise):
        abort(404)
    return exercise


def question_or_404(exercise: Exercise, question_id: int) -> IndicativeQuestion:
    question = db.get_or_404(IndicativeQuestion, question_id)
    if question.exercise_id != exercise.id or not permissions.can_view_questions(
            current_user, exercise):
        abort(404)
    return question


def group_choices(exercise: Exercise) -> list[tuple[int, str]]:
    return [(group.id, group.label(lang())) for group in exercise.groups]


def suggested_group(exercise: Exercise, *previous) -> int | None:
    """The group the participant chose last time, else the one their profile suggests."""
    for choice in previous:
        if choice:
            return choice
    group = exercise.group_for(getattr(current_user, "participant_type", None))
    return group.id if group else None


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
