"""Which version counters (engage.core.versions) a change in this area bumps: the priority
exercise it belongs to, and the list of exercises."""

from engage.core import versions
from engage.priorities.models import (
    Comment,
    EvidenceReference,
    Exercise,
    ExerciseTranslation,
    GroupTranslation,
    IndicativeQuestion,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    StageChange,
    StakeholderGroup,
    Submission,
    question_submissions,
)


def _of_question(question_id) -> str:
    return versions.exercise(
        versions.attribute_of(IndicativeQuestion, question_id, "exercise_id"))


def register() -> None:
    register = versions.register
    exercise = versions.exercise
    all_exercises = [exercise(None)]
    listed = [*all_exercises, versions.EXERCISES]
    register(Exercise, lambda e: [exercise(e.id), versions.EXERCISES], bulk=listed)
    register(ExerciseTranslation, lambda t: [exercise(t.exercise_id), versions.EXERCISES],
             bulk=listed)
    register(StageChange, lambda c: [exercise(c.exercise_id), versions.EXERCISES], bulk=listed)
    register(StakeholderGroup, lambda g: [exercise(g.exercise_id)], bulk=all_exercises)
    register(GroupTranslation, lambda t: [exercise(
        versions.attribute_of(StakeholderGroup, t.group_id, "exercise_id"))], bulk=all_exercises)
    register(Submission, lambda s: [exercise(s.exercise_id), versions.MODERATION,
                                    versions.user(s.author_id)],
             bulk=[*all_exercises, versions.MODERATION])
    register(IndicativeQuestion, lambda q: [exercise(q.exercise_id)], bulk=all_exercises)
    register(QuestionTranslation, lambda t: [_of_question(t.question_id)], bulk=all_exercises)
    register(EvidenceReference, lambda r: [_of_question(r.question_id)], bulk=all_exercises)
    register(Comment, lambda c: [_of_question(c.question_id), versions.MODERATION,
                                 versions.user(c.author_id)],
             bulk=[*all_exercises, versions.MODERATION])
    register(Ranking, lambda r: [exercise(r.exercise_id), versions.user(r.user_id)],
             bulk=[*all_exercises, versions.user(None)])
    register(RankingEntry, lambda e: [exercise(
        versions.attribute_of(Ranking, e.ranking_id, "exercise_id"))], bulk=all_exercises)
    versions.register_table(question_submissions, bulk=all_exercises)
