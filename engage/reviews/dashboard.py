"""The committee's view of a call: aggregates per application, ranking, agreement.

Reads with a fixed number of queries whatever the number of reviews: the scores
come in one query, the overall opinions in another, and are grouped in Python.
"""

import string
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.core import aggregate_cache, versions
from engage.extensions import db
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    Criterion,
    FundingCall,
    Review,
    ReviewScore,
    ReviewStatus,
)
from engage.reviews.stats import Aggregate, aggregate, krippendorff_alpha_ordinal

OVERALL = "overall"


def letter(index: int) -> str:
    """"A", "B", … "Z", "AA", … for the index-th reviewer of an application."""
    letters = string.ascii_uppercase
    if index < len(letters):
        return letters[index]
    return letter(index // len(letters) - 1) + letters[index % len(letters)]


def reviewer_letters(assignments) -> dict[int, str]:
    """Anonymous letters for the submitted reviews of one application, by assignment order."""
    submitted = sorted((a for a in assignments if a.is_active and a.is_submitted),
                       key=lambda a: a.id)
    return {a.id: letter(index) for index, a in enumerate(submitted)}


@dataclass
class ApplicationRow:
    application: Application
    criteria: list[Aggregate]  # in the rubric's order
    overall: Aggregate
    active: int
    submitted: int
    expected: int
    rank: int | None = None

    @property
    def disagreement(self) -> bool:
        return self.overall.disagreement or any(a.disagreement for a in self.criteria)

    @property
    def completion(self) -> float:
        return min(self.submitted / self.expected, 1.0) if self.expected else 0.0

    @property
    def complete(self) -> bool:
        return self.submitted >= self.expected

    @property
    def criteria_mean(self) -> float | None:
        means = [a.mean for a in self.criteria if a.mean is not None]
        return sum(means) / len(means) if means else None


@dataclass
class CallDashboard:
    call: FundingCall
    criteria: list[Criterion]
    rows: list[ApplicationRow] = field(default_factory=list)
    alpha: float | None = None

    @property
    def submitted(self) -> int:
        return sum(r.submitted for r in self.rows)

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)

    @property
    def disagreements(self) -> int:
        return sum(1 for r in self.rows if r.disagreement)


def _ranking_key(row: ApplicationRow):
    overall = row.overall.mean
    criteria = row.criteria_mean
    return (overall is None, -(overall or 0), criteria is None, -(criteria or 0),
            row.application.acronym.casefold())


def build_dashboard(call: FundingCall) -> CallDashboard:
    criteria = list(call.criteria)  # in the rubric's order, loaded with the call
    applications = db.session.scalars(
        select(Application).where(Application.call_id == call.id)
    ).all()
    # The reviews' figures (two queries) are kept while nothing is written.
    active_counts, overall, scores = aggregate_cache.remember(
        ("review-dashboard", call.id), lambda: _review_figures(call), [versions.call(call.id)])
    return _dashboard(call, criteria, applications, active_counts, overall, scores)


def _review_figures(call: FundingCall):
    active_counts = dict(db.session.execute(
        select(Assignment.application_id, func.count(Assignment.id))
        .join(Application, Assignment.application_id == Application.id)
        .where(Application.call_id == call.id, Assignment.status == AssignmentStatus.ACTIVE)
        .group_by(Assignment.application_id)
    ).all())
    # Each submitted review with its scores per criterion (none: one row with no criterion),
    # in one query.
    rows = cast(Sequence[tuple[int, int, int | None, int | None, int | None]],
                db.session.execute(
        select(Assignment.application_id, Assignment.id, Review.overall_score,
               ReviewScore.criterion_id, ReviewScore.score)
        .join(Review, Review.assignment_id == Assignment.id)
        .join(Application, Assignment.application_id == Application.id)
        .outerjoin(ReviewScore, ReviewScore.review_id == Review.id)
        .where(Application.call_id == call.id, Assignment.status == AssignmentStatus.ACTIVE,
               Review.status == ReviewStatus.SUBMITTED)
    ).all())
    overall: dict[int, dict[int, int | None]] = defaultdict(dict)
    scores: dict[tuple[int, int], dict[int, int | None]] = defaultdict(dict)
    for application_id, assignment_id, overall_score, criterion_id, score in rows:
        overall[application_id][assignment_id] = overall_score
        if criterion_id is not None:
            scores[(application_id, criterion_id)][assignment_id] = score
    return active_counts, dict(overall), dict(scores)


def _dashboard(call, criteria, applications, active_counts, overall, scores) -> CallDashboard:
    dashboard = CallDashboard(call=call, criteria=list(criteria))
    units = []
    for application in applications:
        raters = sorted(overall.get(application.id, {}))
        per_criterion = []
        for criterion in criteria:
            by_rater = scores.get((application.id, criterion.id), {})
            per_criterion.append(aggregate(by_rater.values()))
            units.append([by_rater.get(r) for r in raters])
        units.append([overall[application.id][r] for r in raters])
        dashboard.rows.append(ApplicationRow(
            application=application,
            criteria=per_criterion,
            overall=aggregate(overall.get(application.id, {}).values()),
            active=active_counts.get(application.id, 0),
            submitted=len(raters),
            expected=call.reviews_per_application,
        ))
    dashboard.rows.sort(key=_ranking_key)
    rank = 0
    for row in dashboard.rows:
        if row.overall.mean is not None:
            rank += 1
            row.rank = rank
    dashboard.alpha = krippendorff_alpha_ordinal(units)
    return dashboard


def load_submitted_reviews(call: FundingCall) -> dict[int, list[tuple[str, Assignment]]]:
    """For each application, its submitted reviews as (letter, assignment), scores loaded."""
    applications = db.session.scalars(
        select(Application).where(Application.call_id == call.id)
        .options(
            selectinload(Application.assignments).selectinload(Assignment.review)
            .selectinload(Review.scores)
        )
    ).all()
    result = {}
    for application in applications:
        letters = reviewer_letters(application.assignments)
        result[application.id] = [
            (letters[a.id], a) for a in application.assignments if a.id in letters
        ]
    return result
