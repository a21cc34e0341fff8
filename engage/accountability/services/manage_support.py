"""What the officers' pages (routes/manage.py) read beyond the area's read models: the
summaries and exercises still waiting for a response, the points a commitment may answer
(the contributions a summary cites, the top 10 of published results), what a call may
declare it answers, and the lists of the officers' index. Reads only: the writes are the
services' (responses.py, projects.py).

Of lay review it reads the calls themselves (title, status), never an application nor a
review: the funded projects carry their own public fields.
"""

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from engage.accountability.models import (
    CallLink,
    Commitment,
    CommitmentUpdate,
    FundedProject,
    ProjectUpdate,
    Response,
)
from engage.consultations.models import Contribution
from engage.extensions import db
from engage.priorities.models import Exercise, IndicativeQuestion, Stage
from engage.reviews.models import FundingCall
from engage.summaries.models import Citation, Summary, SummaryStatus
from engage.summaries.queries import excerpt

TOP = 10  # the priorities a commitment or a call is offered: the top 10 of the results


@dataclass(frozen=True)
class CitedPoint:
    """A contribution the summary cites, which a commitment may answer (`[#id]`)."""

    id: int
    excerpt: str
    language: str | None


def cited_by_summary(summary_id: int) -> list[CitedPoint]:
    """The visible contributions a published summary cites, in order: one query."""
    rows = db.session.execute(
        select(Contribution.id, Contribution.body, Contribution.language)
        .join(Citation, Citation.contribution_id == Contribution.id)
        .where(Citation.summary_id == summary_id, Contribution.visible_clause())
        .order_by(Contribution.id)).all()
    return [CitedPoint(row.id, excerpt(row.body), row.language) for row in rows]


def top_priorities(exercise_id: int) -> list[IndicativeQuestion]:
    """The top 10 of an exercise's results: the final order, else the interim one, else the
    questions' numbers (results published before a workshop agreed an order)."""
    base = select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise_id)
    for rank in (IndicativeQuestion.final_rank, IndicativeQuestion.interim_rank):
        found = db.session.scalars(base.where(rank.is_not(None)).order_by(rank).limit(TOP)).all()
        if found:
            return list(found)
    return list(db.session.scalars(base.order_by(IndicativeQuestion.number).limit(TOP)))


def published_exercises() -> list[Exercise]:
    return list(db.session.scalars(
        select(Exercise).where(Exercise.stage == Stage.PUBLISHED)
        .order_by(Exercise.published_at.desc(), Exercise.id.desc())))


def priorities_to_declare() -> list[tuple[Exercise, list[IndicativeQuestion]]]:
    """What a call may declare it answers, by exercise: the top 10 of published results."""
    return [(exercise, top_priorities(exercise.id)) for exercise in published_exercises()]


def published_commitments() -> list[Commitment]:
    """Every published commitment, by response (newest first), with its texts."""
    return list(db.session.scalars(
        select(Commitment).join(Response, Response.id == Commitment.response_id)
        .where(Response.published_at.is_not(None))
        .options(selectinload(Commitment.response).options(
            selectinload(Response.summary).selectinload(Summary.consultation),
            selectinload(Response.exercise)))
        .order_by(Response.published_at.desc(), Commitment.position, Commitment.id)))


def call_links(call_id: int) -> list[CallLink]:
    """What a call declares it answers, with the priorities and commitments named."""
    return list(db.session.scalars(
        select(CallLink).where(CallLink.call_id == call_id)
        .options(selectinload(CallLink.question).selectinload(IndicativeQuestion.exercise),
                 selectinload(CallLink.commitment).selectinload(Commitment.response).options(
                     selectinload(Response.summary).selectinload(Summary.consultation),
                     selectinload(Response.exercise)))
        .order_by(CallLink.created_at, CallLink.id)))


def projects_of(call_id: int) -> list[FundedProject]:
    """A call's funded projects, drafts included."""
    return list(db.session.scalars(
        select(FundedProject).where(FundedProject.call_id == call_id)
        .order_by(FundedProject.id)))


def response_with_updates(response_id: int) -> Response | None:
    """A response, its commitments with their texts, what they answer and their updates."""
    return db.session.scalar(select(Response).where(Response.id == response_id).options(
        selectinload(Response.commitments).options(
            selectinload(Commitment.citations), selectinload(Commitment.questions),
            selectinload(Commitment.updates).options(
                selectinload(CommitmentUpdate.documents)))))


def project_with_updates(project_id: int) -> FundedProject | None:
    return db.session.scalar(select(FundedProject).where(FundedProject.id == project_id)
                             .options(selectinload(FundedProject.updates)
                                      .selectinload(ProjectUpdate.documents)))


# The officers' index


def summaries_to_answer():
    """Published summaries without a response yet, the latest first (a statement)."""
    return select(Summary).where(
        Summary.status == SummaryStatus.PUBLISHED,
        ~exists().where(Response.summary_id == Summary.id)) \
        .options(selectinload(Summary.consultation)) \
        .order_by(Summary.published_at.desc(), Summary.id.desc())


def exercises_to_answer():
    """Exercises whose results are published, without a response yet (a statement)."""
    return select(Exercise).where(
        Exercise.stage == Stage.PUBLISHED,
        ~exists().where(Response.exercise_id == Exercise.id)) \
        .order_by(Exercise.published_at.desc(), Exercise.id.desc())


def responses(*, published: bool):
    """Draft or published responses, with what they answer (a statement)."""
    condition = Response.published_at.is_not(None) if published \
        else Response.published_at.is_(None)
    order = (Response.published_at.desc(), Response.id.desc()) if published \
        else (Response.created_at.desc(), Response.id.desc())
    return select(Response).where(condition).options(
        selectinload(Response.summary).selectinload(Summary.consultation),
        selectinload(Response.exercise), selectinload(Response.commitments)).order_by(*order)


def calls():
    """Every funding call, the latest first (a statement)."""
    return select(FundingCall).order_by(FundingCall.created_at.desc(), FundingCall.id.desc())


def projects():
    """Every funded project, drafts first (a statement)."""
    return select(FundedProject).order_by(FundedProject.published_at.is_not(None),
                                          FundedProject.id.desc())


def calls_by_id(call_ids) -> dict[int, FundingCall]:
    ids = sorted(set(call_ids))
    if not ids:
        return {}
    return {call.id: call for call in db.session.scalars(
        select(FundingCall).where(FundingCall.id.in_(ids)))}
