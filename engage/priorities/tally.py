"""The interim ranking tally: reversed scores, normalized per stakeholder group, equal weight.

Pure functions, no database: `services` and `results` feed them sums computed in SQL, the
tests feed them ballots.

Scores. A ranking gives 10 points to its 1st question, 9 to its 2nd … 1 to its 10th.

Normalization (our choice, the JLA guidebook leaves it open). Within a stakeholder group, a
question's *share* is the points it received from that group divided by all the points the
group gave. Every group that took part therefore hands out exactly 1, whatever its size and
however many questions each of its members ranked. We prefer the group's total points to
"number of rankers × 55" (the points of a complete ranking of 10) because with the latter a
group whose members rank only a few questions would weigh less than the others.

Combination. A question's combined score is the mean of its shares over the groups that took
part: each group weighs 1 / (number of groups), so a group ten times larger counts the same.
A group nobody ranked in is left out of the mean (counting it as zero would divide every score
by the same number: same order, but the scores would no longer add up to 1).

Order. Higher combined score first; ties go to the question with more points in total, then
to the caller's `order_key` (the question number), so that the result never depends on chance.
Questions that received no points are not in the tally.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

MAX_CHOICES = 10


def points_for(position: int) -> int:
    """Points of the question ranked at `position` (1st = 10 … 10th = 1)."""
    if not 1 <= position <= MAX_CHOICES:
        raise ValueError(f"position {position} outside 1..{MAX_CHOICES}")
    return MAX_CHOICES + 1 - position


@dataclass(frozen=True)
class Ballot:
    """One participant's ranking: their group and their questions, the 1st first."""

    group: Hashable
    questions: Sequence[Hashable]


def points_by_group(ballots: Iterable[Ballot]) -> dict[Hashable, dict[Hashable, int]]:
    """Sum the points of each question within each group."""
    points: dict[Hashable, dict[Hashable, int]] = {}
    for ballot in ballots:
        if len(ballot.questions) > MAX_CHOICES:
            raise ValueError(f"a ballot ranks more than {MAX_CHOICES} questions")
        if len(set(ballot.questions)) != len(ballot.questions):
            raise ValueError("a ballot ranks the same question twice")
        group_points = points.setdefault(ballot.group, {})
        for position, question in enumerate(ballot.questions, start=1):
            group_points[question] = group_points.get(question, 0) + points_for(position)
    return points


@dataclass(frozen=True)
class QuestionScore:
    question: Hashable
    rank: int  # 1 = first in the combined order
    score: Fraction  # mean of the shares over the groups that took part, between 0 and 1
    points: Mapping[Hashable, int]  # raw points per group
    shares: Mapping[Hashable, Fraction]  # points / the group's total, per group

    @property
    def total_points(self) -> int:
        return sum(self.points.values())

    @property
    def percent(self) -> float:
        return float(self.score * 100)

    def share_percent(self, group) -> float:
        return float(self.shares.get(group, 0) * 100)


@dataclass(frozen=True)
class Tally:
    groups: tuple  # the groups that took part, in the order given
    group_totals: Mapping[Hashable, int]
    scores: tuple[QuestionScore, ...]  # combined order
    _by_question: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self._by_question.update({s.question: s for s in self.scores})

    def score_of(self, question) -> QuestionScore | None:
        return self._by_question.get(question)

    def group_order(self, group) -> list[QuestionScore]:
        """The questions a group gave points to, most points first (then combined order)."""
        ranked = [s for s in self.scores if s.points.get(group)]
        return sorted(ranked, key=lambda s: (-s.points[group], s.rank))

    def top(self, count: int) -> list[QuestionScore]:
        return list(self.scores[:count])


def tally(
    # Keys are any hashable ids (Any: Mapping is invariant in its key, so that a
    # dict[int, dict[int, int]] would not be a Mapping[Hashable, Mapping[Hashable, int]]).
    points: Mapping[Any, Mapping[Any, int]],
    *,
    groups: Sequence[Hashable] | None = None,
    order_key: Callable[[Any], object] | None = None,
) -> Tally:
    """Combine each group's points with equal weight per group.

    `points[group][question]` are the summed points; `groups` gives the display order of
    the groups (default: as in `points`); `order_key` breaks the last ties.
    """
    order_key = order_key or (lambda question: question)
    ordered_groups = list(groups) if groups is not None else list(points)
    totals = {g: sum(points.get(g, {}).values()) for g in ordered_groups}
    taking_part = tuple(g for g in ordered_groups if totals[g] > 0)
    questions = {q for g in taking_part for q, p in points[g].items() if p > 0}

    provisional = []
    for question in questions:
        raw = {g: points[g].get(question, 0) for g in taking_part if points[g].get(question)}
        shares = {g: Fraction(p, totals[g]) for g, p in raw.items()}
        score = sum(shares.values(), Fraction(0)) / len(taking_part)
        provisional.append((question, score, raw, shares))
    provisional.sort(key=lambda item: (-item[1], -sum(item[2].values()), order_key(item[0])))
    scores = tuple(
        QuestionScore(question=q, rank=rank, score=score, points=raw, shares=shares)
        for rank, (q, score, raw, shares) in enumerate(provisional, start=1)
    )
    return Tally(groups=taking_part, group_totals=totals, scores=scores)
