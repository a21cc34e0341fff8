"""Accountability in figures: how quickly and how fully the network answers what people said.

Per year and overall:

- the share of published summaries that got a published network response within
  `RESPONSE_DAYS` days of their publication, and the median delay (in whole days) of the
  responses published (a summary counts in the year it was published);
- the published commitments by status (in the year their response was published);
- the share of top-10 research priorities (the questions ranked 1 to `TOP` at the final
  workshop of published results) that at least one funding call declares it answers (in the
  year the results were published).

These figures count documents (summaries, commitments, questions), never people: the
small-cell rule (engage.core.small_cells) has nothing to hide in them. They are computed in
a fixed number of queries and kept by engage.core.aggregate_cache while nothing they count
changes (the site-wide record `COMMITMENTS`, the summaries and the exercises).

The values are plain data (dataclasses of numbers), so that they can be cached, shown by
`templates/accountability/_figures.html` (the variable `figures`), put in the outcome
report's PDF and serialized by the API (`as_dict`).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select

from engage.accountability.models import CallLink, Commitment, CommitmentStatus, Response
from engage.accountability.page_versions import COMMITMENTS
from engage.core import aggregate_cache, versions
from engage.core.clock import local_timezone
from engage.extensions import db
from engage.priorities.models import Exercise, IndicativeQuestion, Stage
from engage.summaries.models import Summary, SummaryStatus

RESPONSE_DAYS = 90  # a response "in time" comes within this many days of the summary
TOP = 10  # the top of the final ranking: the research priorities the network announces
CACHE_KEY = "accountability-figures"


@dataclass(frozen=True)
class Share:
    """`part` of `whole`; `percent` rounded to a whole number, None when `whole` is 0."""

    part: int = 0
    whole: int = 0

    @property
    def ratio(self) -> float | None:
        """`part / whole` (for the `percent` filter), None when `whole` is 0."""
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> int | None:
        if not self.whole:
            return None
        return round(100 * self.part / self.whole)

    def as_dict(self) -> dict:
        return {"count": self.part, "total": self.whole, "percent": self.percent}


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of one year (`year`), or of all years (`year` None)."""

    year: int | None
    responses_in_time: Share = field(default_factory=Share)  # summaries answered in time
    summaries_answered: int = 0  # published summaries with a published response at all
    median_delay_days: float | None = None  # of the responses published
    commitments: dict[str, int] = field(default_factory=dict)  # status -> count, every status
    priorities_taken_up: Share = field(default_factory=Share)  # top-10 questions with a call

    @property
    def commitments_total(self) -> int:
        return sum(self.commitments.values())

    @property
    def commitment_rows(self) -> list[tuple[str, str, int]]:
        """(status, its translated label, count) in the statuses' order."""
        return [(status.value, status.label, self.commitments.get(status.value, 0))
                for status in CommitmentStatus]

    @property
    def is_empty(self) -> bool:
        return not (self.responses_in_time.whole or self.commitments_total
                    or self.priorities_taken_up.whole)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "summaries": {
                "published": self.responses_in_time.whole,
                "answered": self.summaries_answered,
                "answered_within_days": RESPONSE_DAYS,
                "answered_in_time": self.responses_in_time.as_dict(),
                "median_delay_days": self.median_delay_days,
            },
            "commitments": {"total": self.commitments_total,
                            "by_status": dict(self.commitments)},
            "top_priorities": {"top": TOP, "taken_up": self.priorities_taken_up.as_dict()},
        }


@dataclass(frozen=True)
class AccountabilityFigures:
    overall: PeriodFigures
    years: tuple[PeriodFigures, ...] = ()  # newest first, only years with something to count

    response_days: int = RESPONSE_DAYS
    top: int = TOP

    @property
    def is_empty(self) -> bool:
        return self.overall.is_empty

    def as_dict(self) -> dict:
        return {"response_days": self.response_days, "top": self.top,
                "overall": self.overall.as_dict(),
                "years": [year.as_dict() for year in self.years]}


def scopes() -> list[str]:
    """What the figures count: the record, the summaries, the exercises (and any bulk write
    to one of them)."""
    return [COMMITMENTS, versions.SUMMARIES, versions.consultation(None), versions.EXERCISES,
            versions.exercise(None)]


def accountability_figures() -> AccountabilityFigures:
    """The figures, kept while nothing they count changes."""
    return aggregate_cache.remember(CACHE_KEY, compute, scopes())


# Computing


def _days(start: datetime, end: datetime) -> int:
    """Whole days from `start` to `end` (never negative)."""
    return max(0, (end - start).days)


def _year(moment: datetime) -> int:
    """The year of `moment` where the network is (31 December 23:30 UTC is already the next
    year in Paris)."""
    return moment.astimezone(local_timezone()).year


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _rows(statement) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.session.execute(statement)]


def compute() -> AccountabilityFigures:
    """The figures, in three queries."""
    delays: dict[int, list[int]] = defaultdict(list)  # year of the summary -> delays
    published: dict[int, int] = defaultdict(int)  # year -> published summaries
    in_time: dict[int, int] = defaultdict(int)  # year -> answered within RESPONSE_DAYS
    for summary_published, response_published in _rows(
            select(Summary.published_at, Response.published_at)
            .outerjoin(Response, (Response.summary_id == Summary.id)
                       & Response.published_at.is_not(None))
            .where(Summary.status == SummaryStatus.PUBLISHED,
                   Summary.published_at.is_not(None))):
        assert summary_published is not None  # selected so
        year = _year(summary_published)
        published[year] += 1
        if response_published is not None:
            days = _days(summary_published, response_published)
            delays[year].append(days)
            if days <= RESPONSE_DAYS:
                in_time[year] += 1

    commitments: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        (status.value for status in CommitmentStatus), 0))
    for status, answered in _rows(
            select(Commitment.status, Response.published_at)
            .join(Response, Response.id == Commitment.response_id)
            .where(Response.published_at.is_not(None))):
        assert answered is not None  # selected so
        commitments[_year(answered)][status] += 1

    top: dict[int, int] = defaultdict(int)  # year of the results -> top-10 questions
    taken_up: dict[int, int] = defaultdict(int)  # year -> of which a call answers
    linked = exists().where(CallLink.question_id == IndicativeQuestion.id)
    # When the results were published (an exercise moved to that stage by hand has no
    # `published_at`: the date of its last stage change then).
    published_on = func.coalesce(Exercise.published_at, Exercise.stage_changed_at)
    for results_published, has_call in _rows(
            select(published_on, linked)
            .join(IndicativeQuestion, IndicativeQuestion.exercise_id == Exercise.id)
            .where(Exercise.stage == Stage.PUBLISHED,
                   IndicativeQuestion.final_rank.is_not(None),
                   IndicativeQuestion.final_rank <= TOP)):
        assert results_published is not None  # selected so
        year = _year(results_published)
        top[year] += 1
        if has_call:
            taken_up[year] += 1

    def period(year: int | None, keys: list[int]) -> PeriodFigures:
        all_delays = [days for key in keys for days in delays.get(key, [])]
        by_status = dict.fromkeys((status.value for status in CommitmentStatus), 0)
        for key in keys:
            for status, count in commitments.get(key, {}).items():
                by_status[status] = by_status.get(status, 0) + count
        return PeriodFigures(
            year=year,
            responses_in_time=Share(sum(in_time.get(key, 0) for key in keys),
                                    sum(published.get(key, 0) for key in keys)),
            summaries_answered=len(all_delays),
            median_delay_days=_median(all_delays),
            commitments=by_status,
            priorities_taken_up=Share(sum(taken_up.get(key, 0) for key in keys),
                                      sum(top.get(key, 0) for key in keys)),
        )

    years = sorted({*published, *commitments, *top}, reverse=True)
    return AccountabilityFigures(overall=period(None, years),
                                 years=tuple(period(year, [year]) for year in years))
