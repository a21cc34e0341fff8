"""Exercises, their stakeholder groups and their stages."""

from collections.abc import Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from engage.accounts.models import User
from engage.core.notifications import NotificationKind, notify_each
from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import (
    DEFAULT_GROUPS,
    Comment,
    Exercise,
    ExerciseTranslation,
    GroupTranslation,
    IndicativeQuestion,
    QuestionStatus,
    Ranking,
    Stage,
    StageChange,
    StakeholderGroup,
    Submission,
)
from engage.priorities.services._shared import _clean, _require, _sync_translations
from engage.priorities.services.ranking import ranking_count
from engage.priorities.services.workshop import workshop_order_recorded

EXERCISE_FIELDS = ("title", "description", "scope")


def create_exercise(
    actor,
    *,
    texts: Mapping[str, Mapping[str, str]],
    gathering_ends_on: date | None = None,
    ranking_ends_on: date | None = None,
    workshop_on: date | None = None,
    workshop_size: int = 25,
) -> Exercise:
    """A new exercise, in preparation, with the two default stakeholder groups."""
    _require(permissions.can_manage_exercise(actor), _l("Only moderators can do this."))
    texts = _clean(texts)
    _require(any(v["title"] for v in texts.values()),
             _l("Please give a title in at least one language."))
    exercise = Exercise(
        stage=Stage.DRAFT,
        gathering_ends_on=gathering_ends_on,
        ranking_ends_on=ranking_ends_on,
        workshop_on=workshop_on,
        workshop_size=workshop_size,
        created_by_id=actor.id,
    )
    _sync_translations(exercise, ExerciseTranslation, texts, "title")
    for position, (code, labels) in enumerate(DEFAULT_GROUPS.items(), start=1):
        group = StakeholderGroup(position=position, code=code)
        group.translations = [GroupTranslation(language=lang, label=label)
                              for lang, label in labels.items()]
        exercise.groups.append(group)
    db.session.add(exercise)
    db.session.flush()
    return exercise


def update_exercise(
    actor,
    exercise: Exercise,
    *,
    texts: Mapping[str, Mapping[str, str]],
    gathering_ends_on: date | None = None,
    ranking_ends_on: date | None = None,
    workshop_on: date | None = None,
    workshop_size: int | None = None,
) -> None:
    _require(permissions.can_manage_exercise(actor, exercise), _l("Only moderators can do this."))
    texts = _clean(texts)
    _require(any(v["title"] for v in texts.values()),
             _l("Please give a title in at least one language."))
    if workshop_size is not None and workshop_size != exercise.workshop_size:
        _require(permissions.can_change_workshop_size(actor, exercise),
                 _l("The number of questions for the workshop was fixed when the interim "
                    "ranking closed."))
        exercise.workshop_size = workshop_size
    _sync_translations(exercise, ExerciseTranslation, texts, "title")
    exercise.gathering_ends_on = gathering_ends_on
    exercise.ranking_ends_on = ranking_ends_on
    exercise.workshop_on = workshop_on
    db.session.flush()


def add_group(actor, exercise: Exercise, labels: Mapping[str, str]) -> StakeholderGroup:
    _require(permissions.can_add_group(actor, exercise),
             _l("Stakeholder groups can only be added before the interim ranking."))
    labels = {lang: (label or "").strip() for lang, label in labels.items()}
    _require(any(labels.values()), _l("Please give the group's name in at least one language."))
    known = {g.label(lang).casefold() for g in exercise.groups for lang in labels}
    _require(not any(label.casefold() in known for label in labels.values() if label),
             _l("This exercise already has a group with this name."))
    group = StakeholderGroup(
        position=max((g.position for g in exercise.groups), default=0) + 1,
        translations=[GroupTranslation(language=lang, label=label)
                      for lang, label in labels.items() if label],
    )
    exercise.groups.append(group)
    db.session.flush()
    return group


def move_stage(actor, exercise: Exercise, target: str) -> StageChange:
    """Move to the next stage, once what that stage needs is there."""
    _require(permissions.can_manage_exercise(actor, exercise), _l("Only moderators can do this."))
    # The model refuses backwards moves and skipped stages; here, what each stage needs.
    if target == Stage.INTERIM_RANKING and exercise.at(Stage.PROCESSING):
        kept = db.session.scalar(
            select(func.count(IndicativeQuestion.id)).where(
                IndicativeQuestion.exercise_id == exercise.id,
                IndicativeQuestion.status == QuestionStatus.KEPT,
            )
        ) or 0
        _require(kept > 0, _l("Keep at least one indicative question before opening the "
                              "ranking."))
    if target == Stage.FINAL_WORKSHOP and exercise.at(Stage.INTERIM_RANKING):
        _require(bool(ranking_count(exercise)), _l("Nobody has ranked the questions yet."))
    if target == Stage.PUBLISHED and exercise.at(Stage.FINAL_WORKSHOP):
        _require(workshop_order_recorded(exercise),
                 _l("Record the order agreed at the workshop before publishing."))
    change = exercise.move_to(target, actor)
    if change.to_stage == Stage.FINAL_WORKSHOP:
        _freeze_interim_results(exercise)
    db.session.flush()
    if change.to_stage == Stage.PUBLISHED:
        _notify_results(exercise, actor)
    return change


def _notify_results(exercise: Exercise, actor) -> None:
    """Everyone who took part (sent a question, commented, ranked) hears of the results."""
    took_part = (
        select(Submission.author_id).where(Submission.exercise_id == exercise.id)
        .union(select(Comment.author_id)
               .join(IndicativeQuestion, IndicativeQuestion.id == Comment.question_id)
               .where(IndicativeQuestion.exercise_id == exercise.id),
               select(Ranking.user_id).where(Ranking.exercise_id == exercise.id)))
    people = db.session.scalars(select(User).where(User.id.in_(took_part)).order_by(User.id))
    notify_each(people, NotificationKind.PRIORITY_RESULTS, actor=actor,
                exercise_id=exercise.id)


def _freeze_interim_results(exercise: Exercise) -> None:
    """Store each question's interim place: the workshop shortlist never changes after."""
    from engage.priorities.results import interim_tally

    result = interim_tally(exercise)
    questions = db.session.scalars(
        select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id)
    ).all()
    for question in questions:
        score = result.score_of(question.id)
        question.interim_rank = score.rank if score else None
        question.interim_score = float(score.score) if score else None
