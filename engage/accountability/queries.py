"""Read models of the network's record, for the pages, feeds and API to come: each loads
what it shows in a fixed number of queries.

This module reads no lay review model (the projects carry their own public fields): the
open-data API may read it without reaching lay review's confidential tables.
"""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from engage.accountability.models import (
    CallLink,
    Commitment,
    CommitmentCitation,
    CommitmentStatus,
    CommitmentUpdate,
    Follow,
    FundedProject,
    ProjectUpdate,
    Response,
)
from engage.core.small_cells import SMALL_CELL
from engage.extensions import db


def _commitment_parts() -> tuple:
    # Built when asked: loader options configure the mappers, which needs every model.
    return (selectinload(Commitment.translations), selectinload(Commitment.citations),
            selectinload(Commitment.questions))


def response_to(*, summary_id: int | None = None, exercise_id: int | None = None,
                published_only: bool = True) -> Response | None:
    """The response to a summary or an exercise, with its commitments and their texts."""
    target = Response.summary_id == summary_id if summary_id is not None \
        else Response.exercise_id == exercise_id
    statement = select(Response).where(target).options(
        selectinload(Response.commitments).options(*_commitment_parts()))
    if published_only:
        statement = statement.where(Response.published_at.is_not(None))
    return db.session.scalar(statement)


def commitment_with_updates(commitment_id: int, published_only: bool = True) -> Commitment | None:
    """A commitment with its texts, what it answers and its updates (their texts and
    documents)."""
    statement = select(Commitment).where(Commitment.id == commitment_id).options(
        *_commitment_parts(), selectinload(Commitment.response),
        selectinload(Commitment.updates).options(selectinload(CommitmentUpdate.translations),
                                                 selectinload(CommitmentUpdate.documents)))
    if published_only:
        statement = statement.join(Response, Response.id == Commitment.response_id) \
            .where(Response.published_at.is_not(None))
    return db.session.scalar(statement)


def commitments_citing(contribution_id: int) -> list[Commitment]:
    """The published commitments that answer a contribution: "answered by" on its page."""
    return list(db.session.scalars(
        select(Commitment)
        .join(CommitmentCitation, CommitmentCitation.commitment_id == Commitment.id)
        .join(Response, Response.id == Commitment.response_id)
        .where(CommitmentCitation.contribution_id == contribution_id,
               Response.published_at.is_not(None))
        .options(selectinload(Commitment.translations))
        .order_by(Response.published_at, Commitment.position, Commitment.id)))


def calls_answering(*, question_ids=(), commitment_ids=()) -> dict[tuple[str, int], list[int]]:
    """("question" | "commitment", id) -> ids of the calls that declare they answer it."""
    conditions = []
    if question_ids:
        conditions.append(CallLink.question_id.in_(list(question_ids)))
    if commitment_ids:
        conditions.append(CallLink.commitment_id.in_(list(commitment_ids)))
    if not conditions:
        return {}
    found: dict[tuple[str, int], list[int]] = {}
    for link in db.session.scalars(select(CallLink).where(or_(*conditions))
                                   .order_by(CallLink.call_id)):
        if link.question_id is not None:
            key = ("question", link.question_id)
        elif link.commitment_id is not None:
            key = ("commitment", link.commitment_id)
        else:
            continue
        found.setdefault(key, []).append(link.call_id)
    return found


def funded_projects_of(call_id: int) -> list[FundedProject]:
    """A call's published projects, with their texts."""
    return list(db.session.scalars(
        select(FundedProject).where(FundedProject.call_id == call_id,
                                    FundedProject.published_at.is_not(None))
        .order_by(FundedProject.published_at, FundedProject.id)))


def commitment_counts() -> dict[str, int]:
    """Published commitments by status (every status, 0 for none)."""
    counts = dict(db.session.execute(
        select(Commitment.status, func.count())
        .join(Response, Response.id == Commitment.response_id)
        .where(Response.published_at.is_not(None)).group_by(Commitment.status)).all())
    return {status.value: counts.get(status.value, 0) for status in CommitmentStatus}


def lay_review_public(project: FundedProject) -> dict:
    """What may be said of lay review: whether lay reviewers took part, how many (from 5
    people on; else only "fewer than 5"), in how many rounds."""
    took_part = project.lay_reviewer_count != 0
    return {
        "took_part": took_part,
        "reviewers": project.lay_reviewer_count if took_part else 0,
        "fewer_than": SMALL_CELL if project.fewer_lay_reviewers_than_shown else None,
        "rounds": project.lay_review_rounds,
    }


def project_public(project: FundedProject, language: str) -> dict:
    """Everything public about a funded project, in `language` (else the other language),
    with its published updates: the one shape pages, feeds and the API will show."""
    shown = project.translated(language)
    return {
        "id": project.id,
        "call_id": project.call_id,
        "title": shown.title if shown else "",
        "lay_summary": shown.lay_summary if shown else "",
        "language": shown.language if shown else language,
        "is_fallback": shown.is_fallback if shown else False,
        "institution": project.institution,
        "published_at": project.published_at.isoformat() if project.published_at else None,
        "lay_review": lay_review_public(project),
        "updates": [_update_public(update, language) for update in project.updates],
    }


def _update_public(update: ProjectUpdate | CommitmentUpdate, language: str) -> dict:
    return {
        "kind": update.kind,
        "happened_on": update.happened_on.isoformat(),
        "text": update.text(language),
        "links": list(update.links or []),
        "documents": [{"id": d.id, "title": d.title, "size": d.size} for d in update.documents],
    }


def is_following(user, item) -> bool:
    if not user.is_authenticated:
        return False
    target = Follow.commitment_id == item.id if isinstance(item, Commitment) \
        else Follow.project_id == item.id
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user.id, target)) \
        is not None
