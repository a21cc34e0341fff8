"""Write operations of the priorities area. Each takes an explicit actor, checks the
permission and the stage, flushes and never commits; an invalid move raises DomainError
before anything is changed.

By subject: exercises.py (exercises, groups, stages), contributions.py (what participants
write, its reports and moderation), questions.py (processing into indicative questions),
ranking.py (the interim ranking), workshop.py (the final workshop). Callers use
`from engage.priorities import services`.
"""

from engage.priorities.services.contributions import add_comment, moderate, report, submit_question
from engage.priorities.services.exercises import (
    EXERCISE_FIELDS,
    add_group,
    create_exercise,
    move_stage,
    update_exercise,
)
from engage.priorities.services.questions import (
    create_question,
    link_submissions,
    unlink_submission,
    update_question,
)
from engage.priorities.services.ranking import ranking_count, ranking_of, save_ranking
from engage.priorities.services.workshop import (
    record_workshop_order,
    shortlist,
    workshop_order_recorded,
)

__all__ = [
    "EXERCISE_FIELDS",
    "add_comment",
    "add_group",
    "create_exercise",
    "create_question",
    "link_submissions",
    "moderate",
    "move_stage",
    "ranking_count",
    "ranking_of",
    "record_workshop_order",
    "report",
    "save_ranking",
    "shortlist",
    "submit_question",
    "unlink_submission",
    "update_exercise",
    "update_question",
    "workshop_order_recorded",
]
