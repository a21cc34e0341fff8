"""Priority-setting exercises (James Lind Alliance method): stages, stakeholder groups,
submissions, indicative questions, comments and rankings.

Bilingual texts written by moderators (exercise, group labels, indicative questions) are
translation rows; what participants write (submissions, comments) stays in the language
it was written in.
"""

from engage.priorities.models.exercise import (
    Exercise,
    ExerciseTranslation,
    GroupTranslation,
    StageChange,
    StakeholderGroup,
)
from engage.priorities.models.questions import (
    Comment,
    EvidenceReference,
    IndicativeQuestion,
    QuestionTranslation,
    Submission,
    question_submissions,
)
from engage.priorities.models.rankings import Ranking, RankingEntry
from engage.priorities.models.stages import (
    COMMENT_MAX_LENGTH,
    DEFAULT_GROUPS,
    DEFAULT_WORKSHOP_SIZE,
    GROUP_FOR_PARTICIPANT_TYPE,
    MAX_EVIDENCE,
    MAX_RANKED,
    SUBMISSION_MAX_LENGTH,
    GroupCode,
    QuestionStatus,
    Stage,
    text_fingerprint,
)

__all__ = [
    "COMMENT_MAX_LENGTH", "DEFAULT_GROUPS", "DEFAULT_WORKSHOP_SIZE", "GROUP_FOR_PARTICIPANT_TYPE",
    "MAX_EVIDENCE", "MAX_RANKED", "SUBMISSION_MAX_LENGTH", "Comment", "EvidenceReference",
    "Exercise", "ExerciseTranslation", "GroupCode", "GroupTranslation", "IndicativeQuestion",
    "QuestionStatus", "QuestionTranslation", "Ranking", "RankingEntry", "Stage", "StageChange",
    "StakeholderGroup", "Submission", "question_submissions", "text_fingerprint",
]
