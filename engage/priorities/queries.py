"""Read models of the research priorities area: the counts its lists show and the home
page's sections. (The interim tally and the engagement figures are in results.py.)"""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from engage.core.moderated import ModerationStatus
from engage.extensions import db
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    Ranking,
    RankingEntry,
    Stage,
    Submission,
    question_submissions,
)

HOME_TOP = 3  # priorities of each published exercise shown on the home page


def submission_counts(exercise_ids: list[int]) -> dict[int, int]:
    if not exercise_ids:
        return {}
    return dict(db.session.execute(
        select(Submission.exercise_id, func.count(Submission.id))
        .where(Submission.exercise_id.in_(exercise_ids))
        .group_by(Submission.exercise_id)
    ).all())


def own_ranking(user, exercise_id: int) -> tuple[int | None, list[int]]:
    """A person's group and ranked question ids in order, in one query (no ranking: None,
    [])."""
    if not user.is_authenticated:
        return None, []
    rows = db.session.execute(
        select(Ranking.group_id, RankingEntry.question_id)
        .outerjoin(RankingEntry, RankingEntry.ranking_id == Ranking.id)
        .where(Ranking.exercise_id == exercise_id, Ranking.user_id == user.id)
        .order_by(RankingEntry.position)
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [question_id for _, question_id in rows if question_id is not None]


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


def outcome_section():
    """The published results (the order agreed at the final workshop) for the home page's
    "What came out of it": the latest exercises, each with its first priorities and how many
    there are. None hides the section."""
    exercises = db.session.scalars(
        select(Exercise).where(Exercise.stage == Stage.PUBLISHED)
        .order_by(Exercise.published_at.desc(), Exercise.id.desc()).limit(3)
        .options(joinedload(Exercise.translations), lazyload(Exercise.groups))
    ).unique().all()
    if not exercises:
        return None
    ranked: dict[int, list[IndicativeQuestion]] = {exercise.id: [] for exercise in exercises}
    for question in db.session.scalars(
        select(IndicativeQuestion)
        .where(IndicativeQuestion.exercise_id.in_(list(ranked)),
               IndicativeQuestion.final_rank.is_not(None))
        .order_by(IndicativeQuestion.final_rank)
        .options(lazyload(IndicativeQuestion.evidence))
    ):
        ranked[question.exercise_id].append(question)
    return {"exercises": exercises, "top": {key: rows[:HOME_TOP] for key, rows in ranked.items()},
            "counts": {key: len(rows) for key, rows in ranked.items()}}


# "My space" (engage.space)

TAKEN_PART_PER_PAGE = 10


def taken_part_section(user, since) -> dict | None:
    """The exercises `user` took part in (sent a question, commented, ranked), latest
    moved first, and the person's last visit to My space (stages reached since are new).
    None, which hides the section, when they took part in none."""
    from engage.core.pagination import paginate
    from engage.priorities.models import Ranking

    submitted = select(Submission.exercise_id).where(Submission.author_id == user.id)
    commented = (select(IndicativeQuestion.exercise_id)
                 .join(Comment, Comment.question_id == IndicativeQuestion.id)
                 .where(Comment.author_id == user.id))
    ranked = select(Ranking.exercise_id).where(Ranking.user_id == user.id)
    page = paginate(
        select(Exercise)
        .where(Exercise.id.in_(submitted.union(commented, ranked)), Exercise.stage != Stage.DRAFT)
        .options(lazyload(Exercise.groups))
        .order_by(Exercise.stage_changed_at.desc(), Exercise.id.desc()),
        per_page=TAKEN_PART_PER_PAGE, page_param="exercises_page")
    return {"page": page, "since": since} if page.total else None


def rankings_made(user_id: int):
    """A person's rankings, counted for their administration page (registry)."""
    return select(func.count()).select_from(Ranking).where(Ranking.user_id == user_id)
