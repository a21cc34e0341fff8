"""The blueprint of the research priorities area and what its routes share: the loaders, the
page language, the group choices and the texts participants wrote (reported by them,
moderated by staff).

Routes: public.py (participants and visitors), manage.py (moderators).
engage.priorities.init_app imports them.
"""

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from engage.core import moderated
from engage.core.i18n import page_language
from engage.core.moderated import ReportReason
from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    Stage,
    StakeholderGroup,
    Submission,
)

bp = Blueprint("priorities", __name__, url_prefix="/<lang_code>/priorities")


@bp.context_processor
def _template_globals():
    reason_labels = dict(ReportReason.choices())
    # Hidden automatically once enough people reported it (engage.core.moderated).
    auto_hide = getattr(moderated, "AUTO_HIDE_REASON", None)
    if auto_hide:
        reason_labels[auto_hide] = _("Several people reported it; a moderator will review it.")
    return {"lang": page_language(), "Stage": Stage, "reason_labels": reason_labels}


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
    return [(group.id, group.label(page_language())) for group in exercise.groups]


def suggested_group(exercise: Exercise, *previous) -> int | None:
    """The group the participant chose last time, else the one their profile suggests."""
    for choice in previous:
        if choice:
            return choice
    group = exercise.group_for(getattr(current_user, "participant_type", None))
    return group.id if group else None


# What participants wrote: reported (public.py) and moderated (manage.py)

ITEM_KINDS: dict[str, type[Comment] | type[Submission]] = {
    "comment": Comment, "submission": Submission,
}


def item_or_404(exercise: Exercise, kind: str, item_id: int):
    model = ITEM_KINDS.get(kind) or abort(404)
    item = db.get_or_404(model, item_id)
    owner = item.question.exercise_id if isinstance(item, Comment) else item.exercise_id
    if owner != exercise.id:
        abort(404)
    return item


def item_return_url(exercise: Exercise, kind: str, item) -> str:
    if kind == "comment":
        return url_for("priorities.question", exercise_id=exercise.id,
                       question_id=item.question_id, _anchor=f"comment-{item.id}")
    if item.questions:
        return url_for("priorities.question", exercise_id=exercise.id,
                       question_id=item.questions[0].id, _anchor="submissions")
    return url_for("priorities.exercise", exercise_id=exercise.id)
