"""The final workshop: its shortlist and the order agreed there."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import Exercise, IndicativeQuestion
from engage.priorities.services._shared import _require


def shortlist(exercise: Exercise) -> list[IndicativeQuestion]:
    """The questions that go to the workshop, in their interim order."""
    return list(db.session.scalars(
        select(IndicativeQuestion)
        .where(IndicativeQuestion.exercise_id == exercise.id,
               IndicativeQuestion.interim_rank.is_not(None),
               IndicativeQuestion.interim_rank <= exercise.workshop_size)
        .order_by(IndicativeQuestion.interim_rank)
    ))


def workshop_order_recorded(exercise: Exercise) -> bool:
    questions = shortlist(exercise)
    return bool(questions) and all(q.final_rank is not None for q in questions)


def record_workshop_order(actor, exercise: Exercise, places: Mapping[int, int]) -> None:
    """Store the order agreed at the workshop: every shortlisted question, places 1..N."""
    _require(permissions.can_record_workshop(actor, exercise),
             _l("The workshop order can only be recorded at the final workshop stage."))
    questions = shortlist(exercise)
    by_id = {q.id: q for q in questions}
    _require(set(places) <= set(by_id),
             _l("Only the questions shortlisted for the workshop can be placed."))
    _require(set(places) == set(by_id), _l("Please give a place to every question."))
    size = len(questions)
    for place in places.values():
        _require(isinstance(place, int) and 1 <= place <= size,
                 _l("Places go from 1 to %(count)s.", count=size))
    seen: set[int] = set()
    for place in sorted(places.values()):
        _require(place not in seen,
                 _l("Place %(place)s was given to more than one question.", place=place))
        seen.add(place)
    for question in questions:
        question.final_rank = None
    db.session.flush()  # free every place before giving them again
    for question_id, place in places.items():
        by_id[question_id].final_rank = place
    db.session.flush()
