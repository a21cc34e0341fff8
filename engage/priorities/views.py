"""Pages of the research priorities area: thin views over `services` and `results`.

The routes live in `routes_*.py`, on the blueprint of `blueprint.py`; this module gathers
them and plugs the area into the shared menu, home page, demo data and personal data.
"""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from engage.extensions import db
from engage.priorities import (  # noqa: F401 - importing them registers their routes and hooks
    personal_data,
    routes_exercise,
    routes_questions,
    routes_ranking,
)
from engage.priorities.blueprint import bp, submission_counts
from engage.priorities.models import Exercise, Stage

__all__ = ["bp"]


# What the shared pages show of this area


def _home_section():
    exercises = db.session.scalars(
        select(Exercise).where(Exercise.stage.in_([Stage.GATHERING, Stage.INTERIM_RANKING]))
        .order_by(Exercise.stage_changed_at.desc()).limit(3)
        .options(joinedload(Exercise.translations), lazyload(Exercise.groups))
    ).unique().all()
    if not exercises:
        return None
    return {"exercises": exercises, "counts": submission_counts([e.id for e in exercises])}


