"""The interim ranking: each participant's ranking of the kept questions."""

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.core.errors import DomainError
from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import (
    MAX_RANKED,
    Exercise,
    IndicativeQuestion,
    Ranking,
    RankingEntry,
    Stage,
)
from engage.priorities.services._shared import _group_of, _require


def ranking_count(exercise: Exercise) -> int:
    return db.session.scalar(
        select(func.count(Ranking.id)).where(Ranking.exercise_id == exercise.id)
    ) or 0


def ranking_of(user, exercise: Exercise) -> Ranking | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Ranking).where(Ranking.exercise_id == exercise.id, Ranking.user_id == user.id)
    )


def _locked_ranking(user, exercise: Exercise) -> Ranking | None:
    """The ranking, locked until commit: two saves at once (two tabs, two app instances)
    replace it one after the other instead of colliding on its entries."""
    return db.session.scalar(
        select(Ranking).where(Ranking.exercise_id == exercise.id, Ranking.user_id == user.id)
        .with_for_update().execution_options(populate_existing=True)
    )


def save_ranking(actor, exercise: Exercise, *, group_id, question_ids: Sequence) -> Ranking | None:
    """Replace `actor`'s ranking with `question_ids` (1st first); an empty list withdraws it.

    Everything is checked before anything changes: a refused ranking leaves the previous one.
    """
    _require(permissions.can_write(actor),
             _l("Please confirm your email address before taking part."))
    if not exercise.at(Stage.INTERIM_RANKING):
        if exercise.reached(Stage.FINAL_WORKSHOP):
            raise DomainError(_l("The ranking is closed: your ranking was not changed."))
        raise DomainError(_l("The ranking has not started yet."))
    question_ids = list(question_ids)
    _require(len(question_ids) <= MAX_RANKED,
             _l("You can rank up to %(count)s questions. Remove one before adding another.",
                count=MAX_RANKED))
    _require(len(set(question_ids)) == len(question_ids),
             _l("Each question can appear only once in your ranking."))
    ranking = _locked_ranking(actor, exercise)
    if not question_ids:
        if ranking is not None:
            db.session.delete(ranking)
            db.session.flush()
        return None
    group = _group_of(exercise, group_id)
    questions = {
        q.id: q for q in db.session.scalars(
            select(IndicativeQuestion).where(
                IndicativeQuestion.exercise_id == exercise.id,
                IndicativeQuestion.id.in_([q for q in question_ids if isinstance(q, int)]),
            )
        )
    }
    for question_id in question_ids:
        question = questions.get(question_id)
        if question is None:
            raise DomainError(_l("One of these questions does not exist."))
        _require(question.is_kept,
                 _l("Question %(number)s was set aside by the moderators: it cannot be ranked.",
                    number=question.number))
    if ranking is None:
        ranking = Ranking(exercise_id=exercise.id, user_id=actor.id, group_id=group.id)
        try:
            with db.session.begin_nested():
                db.session.add(ranking)
        except IntegrityError:  # created at the same moment by another request: replace it
            ranking = _locked_ranking(actor, exercise)
            if ranking is None:
                raise DomainError(
                    _l("Your ranking was being saved twice. Please check it.")) from None
    ranking.group_id = group.id
    ranking.entries.clear()
    db.session.flush()  # the old positions go before the new ones arrive
    ranking.entries = [RankingEntry(question_id=qid, position=position)
                       for position, qid in enumerate(question_ids, start=1)]
    db.session.flush()
    return ranking
