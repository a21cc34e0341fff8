"""Reading the figures of an exercise: the interim tally (summed in SQL, combined by
`tally.tally`) and the engagement summary. A fixed number of queries whatever the number
of participants."""

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from engage.core import aggregate_cache
from engage.core.moderated import ModerationStatus
from engage.extensions import db
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Ranking,
    RankingEntry,
    Submission,
    question_submissions,
)
from engage.priorities.tally import MAX_CHOICES, Tally, tally


def interim_tally(exercise: Exercise) -> Tally:
    """Points per group and question summed by the database, then combined; kept while
    nothing is written (engage.core.aggregate_cache)."""
    return aggregate_cache.remember(("priorities-tally", exercise.id),
                                    lambda: _interim_tally(exercise))


def _interim_tally(exercise: Exercise) -> Tally:
    points_expr = func.sum(MAX_CHOICES + 1 - RankingEntry.position)
    rows = db.session.execute(
        select(Ranking.group_id, RankingEntry.question_id, points_expr)
        .join(RankingEntry, RankingEntry.ranking_id == Ranking.id)
        .where(Ranking.exercise_id == exercise.id)
        .group_by(Ranking.group_id, RankingEntry.question_id)
    ).all()
    points: dict[int, dict[int, int]] = {}
    for group_id, question_id, total in rows:
        points.setdefault(group_id, {})[question_id] = int(total)
    numbers = dict(db.session.execute(
        select(IndicativeQuestion.id, IndicativeQuestion.number)
        .where(IndicativeQuestion.exercise_id == exercise.id)
    ).all())
    return tally(points, groups=[g.id for g in exercise.groups],
                 order_key=lambda question_id: numbers.get(question_id, 0))


def rankers_by_group(exercise: Exercise) -> dict[int, int]:
    return dict(db.session.execute(
        select(Ranking.group_id, func.count(Ranking.id))
        .where(Ranking.exercise_id == exercise.id)
        .group_by(Ranking.group_id)
    ).all())


@dataclass
class Engagement:
    """Numbers per stage, and per stakeholder group where it applies."""

    submissions: dict[int, int] = field(default_factory=dict)  # per group
    submitters: dict[int, int] = field(default_factory=dict)  # distinct people, per group
    grouped_submissions: dict[int, int] = field(default_factory=dict)  # linked to a question
    rankers: dict[int, int] = field(default_factory=dict)
    questions: dict[str, int] = field(default_factory=dict)  # per status
    comments: int = 0
    commenters: int = 0
    shortlisted: int = 0

    def total(self, name: str) -> int:
        return sum(getattr(self, name).values())

    @property
    def kept(self) -> int:
        return self.questions.get(QuestionStatus.KEPT, 0)

    @property
    def set_aside(self) -> int:
        return self.total("questions") - self.kept


def engagement(exercise: Exercise) -> Engagement:
    """The figures (six queries), kept while nothing is written."""
    return aggregate_cache.remember(("priorities-engagement", exercise.id),
                                    lambda: _engagement(exercise))


def _engagement(exercise: Exercise) -> Engagement:
    summary = Engagement()
    for group_id, count, people in db.session.execute(
        select(Submission.group_id, func.count(Submission.id),
               func.count(distinct(Submission.author_id)))
        .where(Submission.exercise_id == exercise.id)
        .group_by(Submission.group_id)
    ):
        summary.submissions[group_id] = count
        summary.submitters[group_id] = people
    summary.grouped_submissions = dict(db.session.execute(
        select(Submission.group_id, func.count(distinct(Submission.id)))
        .join(question_submissions, question_submissions.c.submission_id == Submission.id)
        .where(Submission.exercise_id == exercise.id)
        .group_by(Submission.group_id)
    ).all())
    summary.rankers = rankers_by_group(exercise)
    summary.questions = dict(db.session.execute(
        select(IndicativeQuestion.status, func.count(IndicativeQuestion.id))
        .where(IndicativeQuestion.exercise_id == exercise.id)
        .group_by(IndicativeQuestion.status)
    ).all())
    comments, commenters = db.session.execute(
        select(func.count(Comment.id), func.count(distinct(Comment.author_id)))
        .join(IndicativeQuestion, IndicativeQuestion.id == Comment.question_id)
        .where(IndicativeQuestion.exercise_id == exercise.id, Comment.moderation_status ==
               ModerationStatus.PUBLISHED)
    ).one()
    summary.comments, summary.commenters = comments, commenters
    summary.shortlisted = db.session.scalar(
        select(func.count(IndicativeQuestion.id)).where(
            IndicativeQuestion.exercise_id == exercise.id,
            IndicativeQuestion.interim_rank.is_not(None),
            IndicativeQuestion.interim_rank <= exercise.workshop_size,
        )
    ) or 0
    return summary
