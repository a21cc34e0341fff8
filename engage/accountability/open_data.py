"""Read models of the network's record for the open-data API (engage.api) and the Atom feed:
published commitments with what they answer and their updates, published funded projects
with their updates, and the figures.

Only what is published: a commitment of a published response, a published project. Like
queries.py, this module reads no lay review model (the API may import it: the import
contracts keep engage.api off lay review); a project carries its own public fields and
the aggregate fact about lay review only.

Each function loads what it returns in a fixed number of queries whatever the number of
rows.
"""

from typing import cast

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from engage.accountability import figures as figures_module
from engage.accountability.models import (
    REASON_LANGUAGES,
    CallLink,
    Commitment,
    CommitmentCitation,
    CommitmentStatus,
    CommitmentUpdate,
    FundedProject,
    ProjectUpdate,
    Response,
)
from engage.accountability.page_versions import COMMITMENTS
from engage.core.small_cells import SMALL_CELL
from engage.extensions import db

__all__ = [
    "SCOPE",
    "STATUSES",
    "CommitmentCitation",
    "call_answers",
    "calls_of_commitments",
    "calls_of_questions",
    "commitment",
    "commitments",
    "figures",
    "latest",
    "lay_review",
    "project",
    "projects",
    "reasons",
]

SCOPE = COMMITMENTS  # the version counter every read here depends on (engage.core.versions)
STATUSES = tuple(status.value for status in CommitmentStatus)


# Commitments


def _commitment_options(with_updates: bool) -> list:
    options = [selectinload(Commitment.translations), selectinload(Commitment.citations),
               selectinload(Commitment.questions), selectinload(Commitment.response)]
    if with_updates:
        options.append(selectinload(Commitment.updates).options(
            selectinload(CommitmentUpdate.translations),
            selectinload(CommitmentUpdate.documents)))
    return options


def commitments(status: str | None = None, *, with_updates: bool = False) -> Select:
    """Published commitments, oldest response first then in the response's order; of one
    status if asked."""
    statement = (select(Commitment)
                 .join(Response, Response.id == Commitment.response_id)
                 .where(Response.published_at.is_not(None))
                 .options(*_commitment_options(with_updates))
                 .order_by(Response.published_at, Response.id, Commitment.position,
                           Commitment.id))
    if status is not None:
        statement = statement.where(Commitment.status == status)
    return statement


def commitment(commitment_id: int) -> Commitment | None:
    """A published commitment with its texts, what it answers and its updates."""
    return db.session.scalar(commitments(with_updates=True)
                             .where(Commitment.id == commitment_id))


def _pairs(statement) -> list[tuple[int, int]]:
    return [cast(tuple[int, int], tuple(row)) for row in db.session.execute(statement)]


def _calls_by(column, ids) -> dict[int, list[int]]:
    """Id in `column` (a commitment's, a question's) -> ids of the calls that declare they
    take it up (one query)."""
    found: dict[int, list[int]] = {item_id: [] for item_id in ids}
    if not found:
        return found
    for item_id, call_id in _pairs(
            select(column, CallLink.call_id).where(column.in_(list(found)))
            .order_by(column, CallLink.call_id)):
        found[item_id].append(call_id)
    return found


def calls_of_commitments(commitment_ids) -> dict[int, list[int]]:
    return _calls_by(CallLink.commitment_id, commitment_ids)


def calls_of_questions(question_ids) -> dict[int, list[int]]:
    """Question (research priority) id -> ids of the calls that take it up."""
    return _calls_by(CallLink.question_id, question_ids)


def reasons(commitment_: Commitment) -> dict[str, str]:
    """Why a commitment is not retained, per language (blank for another status)."""
    return {code: getattr(commitment_, f"reason_{code}") for code in REASON_LANGUAGES}


# Funded projects


def projects(call_id: int | None = None, *, with_updates: bool = True) -> Select:
    """Published funded projects, first published first; of one call if asked."""
    statement = (select(FundedProject)
                 .where(FundedProject.published_at.is_not(None))
                 .order_by(FundedProject.published_at, FundedProject.id))
    if with_updates:
        statement = statement.options(selectinload(FundedProject.updates).options(
            selectinload(ProjectUpdate.translations), selectinload(ProjectUpdate.documents)))
    if call_id is not None:
        statement = statement.where(FundedProject.call_id == call_id)
    return statement


def project(project_id: int) -> FundedProject | None:
    return db.session.scalar(projects().where(FundedProject.id == project_id))


def call_answers(call_ids) -> dict[int, dict[str, list[int]]]:
    """Call id -> what it declares it answers: {"commitment_ids": [...], "question_ids":
    [...]} (one query). A call answers published commitments and priorities of published
    results only (permissions.can_link_call)."""
    found: dict[int, dict[str, list[int]]] = {
        cid: {"commitment_ids": [], "question_ids": []} for cid in call_ids}
    if not found:
        return found
    for call_id, commitment_id, question_id in db.session.execute(
            select(CallLink.call_id, CallLink.commitment_id, CallLink.question_id)
            .where(CallLink.call_id.in_(list(found)))
            .order_by(CallLink.call_id, CallLink.commitment_id, CallLink.question_id)):
        if commitment_id is not None:
            found[call_id]["commitment_ids"].append(commitment_id)
        if question_id is not None:
            found[call_id]["question_ids"].append(question_id)
    return found


def lay_review(project_: FundedProject) -> dict:
    """The aggregate fact about lay review, and nothing else: whether lay reviewers took
    part, how many (from 5 people on, else null with `fewer_than` 5), in how many rounds."""
    count = project_.lay_reviewer_count  # None: 1 to 4 people, never published
    return {"took_part": count != 0, "reviewers": count,
            "fewer_than": SMALL_CELL if count is None else None,
            "rounds": project_.lay_review_rounds}


# The feed: what happened, newest first


def latest(limit: int) -> dict[str, list]:
    """The `limit` newest of each kind of news: published commitments (by their response's
    publication), commitment updates, published projects, project updates. Four queries."""
    published = Response.published_at.is_not(None)
    return {
        "commitments": list(db.session.scalars(
            select(Commitment).join(Response, Response.id == Commitment.response_id)
            .where(published).options(selectinload(Commitment.translations),
                                      selectinload(Commitment.response)
                                      .selectinload(Response.summary))
            .order_by(Response.published_at.desc(), Response.id.desc(),
                      Commitment.position, Commitment.id).limit(limit))),
        "commitment_updates": list(db.session.scalars(
            select(CommitmentUpdate)
            .join(Commitment, Commitment.id == CommitmentUpdate.commitment_id)
            .join(Response, Response.id == Commitment.response_id).where(published)
            .options(selectinload(CommitmentUpdate.translations),
                     selectinload(CommitmentUpdate.commitment)
                     .selectinload(Commitment.translations))
            .order_by(CommitmentUpdate.created_at.desc(), CommitmentUpdate.id.desc())
            .limit(limit))),
        "projects": list(db.session.scalars(
            projects(with_updates=False)
            .order_by(None).order_by(FundedProject.published_at.desc(),
                                     FundedProject.id.desc()).limit(limit))),
        "project_updates": list(db.session.scalars(
            select(ProjectUpdate).join(FundedProject, FundedProject.id == ProjectUpdate.project_id)
            .where(FundedProject.published_at.is_not(None))
            .options(selectinload(ProjectUpdate.translations),
                     selectinload(ProjectUpdate.project))
            .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
            .limit(limit))),
    }


# Figures


def figures() -> figures_module.AccountabilityFigures:
    return figures_module.accountability_figures()
