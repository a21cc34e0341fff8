"""Which version counters (engage.core.versions) a change in this area bumps.

A response, its commitments and their updates belong to what they answer: the consultation
of the summary, or the priority exercise. A call's links and funded projects belong to the
call. All of them are on the site-wide list of what the network did (`COMMITMENTS`). A
follow shows only to its follower; the audit log is read by no cached page.
"""

from collections.abc import Callable, Iterable
from typing import Any, cast

from sqlalchemy import select

from engage.accountability.models import (
    AccountabilityAuditEntry,
    CallLink,
    Commitment,
    CommitmentCitation,
    CommitmentTranslation,
    CommitmentUpdate,
    CommitmentUpdateTranslation,
    Follow,
    FundedProject,
    FundedProjectTranslation,
    ProjectUpdate,
    ProjectUpdateTranslation,
    Response,
    UpdateDocument,
    commitment_questions,
)
from engage.core import versions
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion
from engage.summaries.models import Summary

COMMITMENTS = versions.COMMITMENTS  # what the network did, site-wide


def _what_is_answered():
    """Select the consultation (of the summary) and the exercise a response answers."""
    return select(Summary.consultation_id, Response.exercise_id).select_from(Response) \
        .outerjoin(Summary, Summary.id == Response.summary_id)


def _column(statement) -> int | None:
    return cast(int | None, versions.column_of(statement))


def _register(model: type, scopes_of: Callable[[Any], list[str]], bulk: Iterable[str]) -> None:
    versions.register(model, scopes_of, bulk=bulk)


def _answered(statement) -> list[str]:
    """The scope of what a response answers, read without flushing (inside a flush)."""
    with db.session.no_autoflush:
        row = db.session.execute(statement).first()
    if row is None:  # gone in this very flush: any consultation or exercise
        return [versions.consultation(None), versions.exercise(None), COMMITMENTS]
    consultation_id, exercise_id = cast(tuple[int | None, int | None], tuple(row))
    scope = versions.exercise(exercise_id) if exercise_id is not None \
        else versions.consultation(consultation_id)
    return [scope, COMMITMENTS]


def _of_response(response: Any) -> list[str]:
    if response.exercise_id is not None:
        return [versions.exercise(response.exercise_id), COMMITMENTS]
    return [versions.consultation(_column(
        select(Summary.consultation_id).where(Summary.id == response.summary_id))), COMMITMENTS]


def _of_commitment(commitment_id) -> list[str]:
    return _answered(_what_is_answered()
                     .join(Commitment, Commitment.response_id == Response.id)
                     .where(Commitment.id == commitment_id))


def _of_commitment_update(update_id) -> list[str]:
    return _answered(_what_is_answered()
                     .join(Commitment, Commitment.response_id == Response.id)
                     .join(CommitmentUpdate, CommitmentUpdate.commitment_id == Commitment.id)
                     .where(CommitmentUpdate.id == update_id))


def _of_project(project_id) -> list[str]:
    return [versions.call(_column(
        select(FundedProject.call_id).where(FundedProject.id == project_id))), COMMITMENTS]


def _of_project_update(update_id) -> list[str]:
    return [versions.call(_column(
        select(FundedProject.call_id).join(ProjectUpdate, ProjectUpdate.project_id
                                           == FundedProject.id)
        .where(ProjectUpdate.id == update_id))), COMMITMENTS]


def _of_document(document: Any) -> list[str]:
    if document.commitment_update_id is not None:
        return _of_commitment_update(document.commitment_update_id)
    return _of_project_update(document.project_update_id)


def _of_call_link(link: Any) -> list[str]:
    scopes = [versions.call(link.call_id), COMMITMENTS]
    if link.question_id is not None:
        scopes.append(versions.exercise(_column(
            select(IndicativeQuestion.exercise_id)
            .where(IndicativeQuestion.id == link.question_id))))
    if link.commitment_id is not None:
        scopes.extend(_of_commitment(link.commitment_id))
    return scopes


def register() -> None:
    register = _register
    answered = [versions.consultation(None), versions.exercise(None), COMMITMENTS]
    called = [versions.call(None), COMMITMENTS]
    register(Response, _of_response, bulk=answered)
    register(Commitment, lambda c: _answered(
        _what_is_answered().where(Response.id == c.response_id)), bulk=answered)
    for model in (CommitmentTranslation, CommitmentCitation, CommitmentUpdate):
        register(model, lambda row: _of_commitment(row.commitment_id), bulk=answered)
    register(CommitmentUpdateTranslation, lambda t: _of_commitment_update(t.update_id),
             bulk=answered)
    versions.register_table(commitment_questions, bulk=answered)
    register(UpdateDocument, _of_document, bulk=[*answered, versions.call(None)])
    register(CallLink, _of_call_link, bulk=[*answered, versions.call(None)])
    register(FundedProject, lambda p: [versions.call(p.call_id), COMMITMENTS], bulk=called)
    register(FundedProjectTranslation, lambda t: _of_project(t.project_id), bulk=called)
    register(ProjectUpdate, lambda u: _of_project(u.project_id), bulk=called)
    register(ProjectUpdateTranslation, lambda t: _of_project_update(t.update_id), bulk=called)
    # Following shows only to the follower (and counts nowhere public).
    register(Follow, lambda f: [versions.user(f.user_id)], bulk=[versions.user(None)])
    versions.register_quiet(AccountabilityAuditEntry)
