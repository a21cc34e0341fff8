"""Reading the figures of an exercise: the interim tally (summed in SQL, combined by
`tally.tally`) and the engagement summary. A fixed number of queries whatever the number
of participants.

No published figure describes fewer than 5 people (`engage.core.small_cells`): a stakeholder
group with 1 to 4 people at a stage (sending questions, ranking) is counted together with
the other small groups, and with the smallest other group while they are still fewer than 5.
The figures per group (points, shares, participation) are given per `GroupColumn`, and the
tally itself weighs the groups counted together as one, so that its combined score cannot be
taken apart into a small group's shares, and one person never weighs as much as a group.
Under 5 rankings in all, the interim figures are not published at all.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import distinct, func, select

from engage.core import aggregate_cache, versions
from engage.core.moderated import ModerationStatus
from engage.core.small_cells import SMALL_CELL, grouped_keys
from engage.extensions import db
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Ranking,
    RankingEntry,
    StakeholderGroup,
    Submission,
    question_submissions,
)
from engage.priorities.tally import MAX_CHOICES, Tally, tally


def interim_tally(exercise: Exercise) -> Tally:
    """Points per group and question summed by the database, then combined; kept while
    nothing is written (engage.core.aggregate_cache)."""
    return aggregate_cache.remember(("priorities-tally", exercise.id),
                                    lambda: _interim_tally(exercise),
                                    [versions.exercise(exercise.id)])


# The key of the groups counted together, in the tally and the figures per group.
TOGETHER = "together"


@dataclass(frozen=True)
class GroupColumn:
    """A column of figures per group: one stakeholder group, or the groups counted together."""

    key: Hashable  # the group's id, or TOGETHER
    groups: tuple[StakeholderGroup, ...]

    @property
    def counted_together(self) -> bool:
        return self.key == TOGETHER

    @property
    def group_ids(self) -> list[int]:
        return [group.id for group in self.groups]

    def label(self, language: str) -> str:
        if not self.counted_together:
            return self.groups[0].label(language)
        return _("%(groups)s (counted together)",
                 groups=", ".join(group.label(language) for group in self.groups))

    def total(self, counts: dict[int, int]) -> int:
        return sum(counts.get(group.id, 0) for group in self.groups)


def group_columns(exercise: Exercise) -> list[GroupColumn]:
    """The groups whose figures are published apart, then those counted together: a group
    with 1 to 4 people sending questions or ranking joins the others of its kind (see the
    module's docstring)."""
    summary = engagement(exercise)
    together: set[int] = set()
    for people in (summary.submitters, summary.rankers):
        if breakdown_published(sum(people.values())):  # else no breakdown at all
            together |= grouped_keys({group.id: people.get(group.id, 0)
                                      for group in exercise.groups})
    columns = [GroupColumn(group.id, (group,)) for group in exercise.groups
               if group.id not in together]
    if together:
        columns.append(GroupColumn(TOGETHER, tuple(
            group for group in exercise.groups if group.id in together)))
    return columns


def breakdown_published(people: int) -> bool:
    """Whether figures per group may be given for a stage that `people` took part in: under
    5 in all, any breakdown would describe fewer than 5 people."""
    return people == 0 or people >= SMALL_CELL


# The people each row of the participation table describes.
PEOPLE_OF_ROW = {"submissions": "submitters", "grouped_submissions": "submitters",
                 "submitters": "submitters", "rankers": "rankers"}


def interim_figures_published(exercise: Exercise) -> bool:
    """Under 5 rankings in all, any interim figure would describe fewer than 5 people."""
    return engagement(exercise).total("rankers") >= SMALL_CELL


def _interim_tally(exercise: Exercise) -> Tally:
    columns = group_columns(exercise)
    column_of = {group.id: column.key for column in columns for group in column.groups}
    points_expr = func.sum(MAX_CHOICES + 1 - RankingEntry.position)
    # The question's number (the order of ties) comes with its points: one query.
    rows = db.session.execute(
        select(Ranking.group_id, RankingEntry.question_id, IndicativeQuestion.number,
               points_expr)
        .join(RankingEntry, RankingEntry.ranking_id == Ranking.id)
        .join(IndicativeQuestion, IndicativeQuestion.id == RankingEntry.question_id)
        .where(Ranking.exercise_id == exercise.id)
        .group_by(Ranking.group_id, RankingEntry.question_id, IndicativeQuestion.number)
    ).all()
    points: dict[Hashable, dict[int, int]] = {}
    numbers: dict[int, int] = {}
    for group_id, question_id, number, total in rows:
        column = points.setdefault(column_of[group_id], {})
        column[question_id] = column.get(question_id, 0) + int(total)
        numbers[question_id] = number
    return tally(points, groups=[column.key for column in columns],
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
                                    lambda: _engagement(exercise),
                                    [versions.exercise(exercise.id)])


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
    # Questions by status and those on the workshop's shortlist: one query.
    shortlisted = (IndicativeQuestion.interim_rank.is_not(None)
                   & (IndicativeQuestion.interim_rank <= exercise.workshop_size))
    summary.shortlisted = 0
    for status, count, on_shortlist in db.session.execute(
        select(IndicativeQuestion.status, func.count(IndicativeQuestion.id),
               func.count(IndicativeQuestion.id).filter(shortlisted))
        .where(IndicativeQuestion.exercise_id == exercise.id)
        .group_by(IndicativeQuestion.status)
    ):
        summary.questions[status] = count
        summary.shortlisted += on_shortlist
    comments, commenters = db.session.execute(
        select(func.count(Comment.id), func.count(distinct(Comment.author_id)))
        .join(IndicativeQuestion, IndicativeQuestion.id == Comment.question_id)
        .where(IndicativeQuestion.exercise_id == exercise.id, Comment.moderation_status ==
               ModerationStatus.PUBLISHED)
    ).one()
    summary.comments, summary.commenters = comments, commenters
    return summary
