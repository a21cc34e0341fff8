"""The main pages of a filled database, at their heaviest: what the benchmark and the
query-count tests visit.

Each page is chosen for its size: the consultation with the most contributions, the
longest thread, the summary of the largest summarized consultation, the call with the
most reviews. `who` says who looks at it: None (anonymous), "participant", "moderator".
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from engage.consultations.models import Consultation, ConsultationStatus, Contribution
from engage.extensions import db
from engage.priorities.models import Exercise, Stage
from engage.reviews.models import Application, Assignment, CallStatus, FundingCall
from engage.summaries.models import Summary, SummaryStatus

SEARCH_TERM = "fatigue"  # a word of many contributions: the search's worst case


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str | None = None  # None, "participant" or "moderator"


def _largest_consultation():
    return db.session.scalar(
        select(Contribution.consultation_id)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(Consultation.status != ConsultationStatus.DRAFT)
        .group_by(Contribution.consultation_id)
        .order_by(func.count().desc(), Contribution.consultation_id).limit(1)
    )


def _longest_thread():
    return db.session.execute(
        select(Contribution.consultation_id, Contribution.parent_id)
        .where(Contribution.parent_id.is_not(None), Contribution.visible_clause())
        .group_by(Contribution.consultation_id, Contribution.parent_id)
        .order_by(func.count().desc(), Contribution.parent_id).limit(1)
    ).first()


def _largest_summary():
    return db.session.scalar(
        select(Summary.id)
        .join(Contribution, Contribution.consultation_id == Summary.consultation_id)
        .where(Summary.status == SummaryStatus.PUBLISHED)
        .group_by(Summary.id).order_by(func.count().desc(), Summary.id).limit(1)
    )


def _exercise_at(stage: Stage):
    return db.session.scalar(select(Exercise.id).where(Exercise.stage == stage)
                             .order_by(Exercise.id).limit(1))


def _busiest_call():
    return db.session.scalar(
        select(FundingCall.id)
        .join(Application, Application.call_id == FundingCall.id)
        .join(Assignment, Assignment.application_id == Application.id)
        .where(FundingCall.status != CallStatus.DRAFT)
        .group_by(FundingCall.id).order_by(func.count().desc(), FundingCall.id).limit(1)
    )


def main_pages(language: str = "fr") -> list[Page]:
    """The pages to measure, with the trivial endpoint first."""
    prefix = f"/{language}"
    pages = [
        Page("trivial endpoint", "/healthz"),
        Page("home", f"{prefix}/"),
        Page("consultation list", f"{prefix}/consultations/"),
    ]
    consultation = _largest_consultation()
    if consultation:
        pages.append(Page("consultation page", f"{prefix}/consultations/{consultation}"))
    thread = _longest_thread()
    if thread:
        pages.append(Page("contribution thread",
                          f"{prefix}/consultations/{thread[0]}/contributions/{thread[1]}"))
    pages.append(Page("search", f"{prefix}/consultations/search?q={SEARCH_TERM}"))
    pages.append(Page("moderation queue", f"{prefix}/moderation/", "moderator"))
    summary = _largest_summary()
    if summary:
        pages.append(Page("outcome report", f"{prefix}/summaries/{summary}"))
    published = _exercise_at(Stage.PUBLISHED)
    if published:
        pages.append(Page("priorities results", f"{prefix}/priorities/{published}/results"))
    ranking = _exercise_at(Stage.INTERIM_RANKING)
    if ranking:
        pages.append(Page("priorities ranking", f"{prefix}/priorities/{ranking}/ranking",
                          "participant"))
    call = _busiest_call()
    if call:
        pages.append(Page("review dashboard", f"{prefix}/reviews/calls/{call}/dashboard",
                          "moderator"))
    if "api" in current_app.blueprints:
        pages += [
            Page("API consultations", "/api/v1/consultations"),
            Page("API contributions", "/api/v1/contributions"),
            Page("API summaries", "/api/v1/summaries"),
        ]
    return pages
