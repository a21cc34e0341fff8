"""The network's responses and their commitments: write a draft, publish it, then tell what
happens through updates (a correction is an update too)."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.accountability import notifications, permissions
from engage.accountability.models import (
    REASON_LANGUAGES,
    AuditAction,
    Commitment,
    CommitmentCitation,
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentUpdateKind,
    CommitmentUpdateTranslation,
    Response,
    clean_texts,
)
from engage.accountability.services._shared import (
    languages,
    lock,
    record,
    require,
    store_documents,
    update_texts,
)
from engage.core.errors import DomainError
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion, Stage
from engage.summaries import citations
from engage.summaries.models import Summary

OWNER_MAX_LENGTH = 200
COMMITMENTS_MAX = 50


@dataclass
class CommitmentInput:
    """What an officer writes about a commitment of a draft response."""

    texts: dict[str, tuple[str, str]]  # language -> (title, text)
    owner: str = ""
    status: str = CommitmentStatus.PLANNED
    reasons: dict[str, str] = field(default_factory=dict)  # language -> why not retained
    starts_on: date | None = None
    due_on: date | None = None
    done_on: date | None = None
    question_ids: list[int] = field(default_factory=list)


def response_to(*, summary: Summary | None = None, exercise=None) -> Response | None:
    if summary is not None:
        return db.session.scalar(select(Response).where(Response.summary_id == summary.id))
    return db.session.scalar(select(Response).where(Response.exercise_id == exercise.id))


def start_response(actor, *, summary: Summary | None = None,
                   exercise=None) -> tuple[Response, bool]:
    """(response, created): the draft response to a published summary or to published
    priority results, created if there is none yet."""
    if (summary is None) == (exercise is None):
        raise DomainError(_l("A response answers one summary or one priority exercise."))
    _require_officer(actor)
    existing = response_to(summary=summary, exercise=exercise)
    if existing is not None:
        return existing, False
    response = Response.to(summary=summary, exercise=exercise, by=actor)
    db.session.add(response)
    db.session.flush()
    record(actor, AuditAction.RESPONSE_START, response,
           after={"summary": response.summary_id, "exercise": response.exercise_id})
    return response, True


def _require_officer(actor) -> None:
    require(permissions.can_manage(actor),
            _l("Only network officers record the network's response."))


def discard_response(actor, response: Response) -> None:
    """A draft goes, with its commitments; a published response never does."""
    _require_officer(actor)
    lock(response)
    response.ensure_deletable()
    state = {"summary": response.summary_id, "exercise": response.exercise_id,
             "commitments": [commitment_state(c) for c in response.commitments]}
    record(actor, AuditAction.RESPONSE_DISCARD, response, before=state)
    db.session.delete(response)
    db.session.flush()


def publish(actor, response: Response) -> None:
    _require_officer(actor)
    lock(response)
    response.publish()
    db.session.flush()
    record(actor, AuditAction.RESPONSE_PUBLISH, response,
           after={"published_at": response.published_at,
                  "commitments": [c.id for c in response.commitments]})
    notifications.response_published(response, actor)


# Commitments of a draft response


def commitment_state(commitment: Commitment) -> dict:
    """What the audit log keeps of a commitment."""
    return {
        "texts": {t.language: [t.title, t.text] for t in commitment.translations},
        "owner": commitment.owner,
        "status": commitment.status,
        "reasons": {code: getattr(commitment, f"reason_{code}") for code in REASON_LANGUAGES
                    if getattr(commitment, f"reason_{code}")},
        "starts_on": commitment.starts_on, "due_on": commitment.due_on,
        "done_on": commitment.done_on,
        "cited": [c.contribution_id for c in commitment.citations],
        "questions": [q.id for q in commitment.questions],
    }


def _questions(response: Response, question_ids) -> list[IndicativeQuestion]:
    """Research priorities a commitment answers: questions of published results (of the
    response's own exercise, for a response to priorities)."""
    ids = sorted({int(n) for n in question_ids or ()})
    if not ids:
        return []
    questions = db.session.scalars(
        select(IndicativeQuestion).where(IndicativeQuestion.id.in_(ids))
        .order_by(IndicativeQuestion.id)).all()
    valid = [q for q in questions if q.exercise.at(Stage.PUBLISHED)
             and (response.exercise_id is None or q.exercise_id == response.exercise_id)]
    require(len(valid) == len(ids),
            _l("A commitment answers research priorities of published results only."))
    return valid


def _fill(commitment: Commitment, response: Response, data: CommitmentInput) -> None:
    """Apply `data`; raises DomainError at the first rule it breaks (callers check on a blank
    commitment first, so that a refused change changes nothing)."""
    texts = {code: ((title or "").strip(), (text or "").replace("\r\n", "\n").strip())
             for code, (title, text) in ((code, data.texts.get(code) or ("", ""))
                                         for code in languages())}
    commitment.set_texts(texts)
    owner = " ".join((data.owner or "").split())
    require(len(owner) <= OWNER_MAX_LENGTH, _l(
        "The owner can have at most %(max)d characters.", max=OWNER_MAX_LENGTH))
    commitment.owner = owner
    commitment.set_dates(data.starts_on, data.due_on)
    commitment.set_status(data.status, reasons=clean_texts(data.reasons, REASON_LANGUAGES),
                          done_on=data.done_on)
    commitment.questions = _questions(response, data.question_ids)


def refresh_citations(commitment: Commitment) -> None:
    """The contributions its texts cite (`[#123]`) that belong to the summary's
    consultation; a response to priorities cites none."""
    consultation_id = commitment.response.consultation_id
    wanted = set() if consultation_id is None else set(citations.visibility(
        consultation_id, citations.cited_ids(commitment.cited_text())))
    rows = {row.contribution_id: row for row in commitment.citations}
    for number, row in rows.items():
        if number not in wanted:
            commitment.citations.remove(row)
    for number in sorted(wanted - set(rows)):
        commitment.citations.append(CommitmentCitation(contribution_id=number))


def add_commitment(actor, response: Response, data: CommitmentInput) -> Commitment:
    """A new commitment of a draft response (a published response is fixed: what the
    network does next is told through updates of its commitments)."""
    _require_officer(actor)
    response.ensure_draft()
    require(len(response.commitments) < COMMITMENTS_MAX, _l(
        "A response can list at most %(max)d commitments.", max=COMMITMENTS_MAX))
    commitment = Commitment(position=len(response.commitments))
    _fill(commitment, response, data)
    response.commitments.append(commitment)
    db.session.flush()
    refresh_citations(commitment)
    db.session.flush()
    record(actor, AuditAction.COMMITMENT_ADD, commitment,
           after={"response": response.id, **commitment_state(commitment)})
    return commitment


def edit_commitment(actor, commitment: Commitment, data: CommitmentInput) -> bool:
    """False when nothing changed."""
    _require_officer(actor)
    commitment.ensure_editable()
    before = commitment_state(commitment)
    _fill(Commitment(), commitment.response, data)  # refused, if it must be, before any change
    _fill(commitment, commitment.response, data)
    db.session.flush()
    refresh_citations(commitment)
    db.session.flush()
    after = commitment_state(commitment)
    if after == before:
        return False
    record(actor, AuditAction.COMMITMENT_EDIT, commitment, before=before, after=after)
    return True


def remove_commitment(actor, commitment: Commitment) -> None:
    """Out of a draft response; once published, nothing is removed."""
    _require_officer(actor)
    response = commitment.response
    response.ensure_deletable()
    record(actor, AuditAction.COMMITMENT_REMOVE, commitment,
           before={"response": response.id, **commitment_state(commitment)})
    response.commitments.remove(commitment)
    for position, remaining in enumerate(response.commitments):
        remaining.position = position
    db.session.flush()


# Once published: updates


def add_update(actor, commitment: Commitment, *, texts: dict[str, str], happened_on: date,
               status: str | None = None, reasons: dict[str, str] | None = None,
               done_on: date | None = None, due_on: date | None = None, links=(),
               documents=(), kind: str = CommitmentUpdateKind.PROGRESS) -> CommitmentUpdate:
    """A dated update of a published commitment: what happened, with optional links and PDF
    documents; it may change the status (done on `done_on`, by default `happened_on`; not
    retained with a reason) and the due date."""
    _require_officer(actor)
    lock(commitment)
    require(permissions.can_update(actor, commitment),
            _l("Updates are added once the response is published."))
    require(happened_on is not None, _l("Please give the date of the update."))
    kind = CommitmentUpdateKind(kind)  # set by this module: a wrong one is a programming error
    before = commitment_state(commitment)
    update = CommitmentUpdate(kind=kind, status=status or None, due_on=due_on,
                              happened_on=happened_on, created_by_id=actor.id,
                              translations=update_texts(texts, CommitmentUpdateTranslation))
    update.set_links(links)
    update.documents = store_documents(documents)  # files deleted if the transaction rolls back
    commitment.record(update, reasons=clean_texts(reasons, REASON_LANGUAGES), done_on=done_on)
    db.session.flush()
    after = commitment_state(commitment)
    record(actor, AuditAction.COMMITMENT_CORRECT if kind == CommitmentUpdateKind.CORRECTION
           else AuditAction.COMMITMENT_UPDATE, update,
           before={"commitment": commitment.id, **{k: v for k, v in before.items()
                                                   if after.get(k) != v}},
           after={"commitment": commitment.id, **{k: v for k, v in after.items()
                                                  if before.get(k) != v},
                  "texts": {t.language: t.text for t in update.translations},
                  "links": update.links, "documents": [d.stored_name for d in update.documents]})
    notifications.commitment_updated(update, actor,
                                     status_changed=after["status"] != before["status"])
    return update


def correct(actor, commitment: Commitment, *, texts: dict[str, str], happened_on: date,
            **changes) -> CommitmentUpdate:
    """A correction of what was published: told as an update of its own kind (the published
    texts stay as they were, for the record)."""
    return add_update(actor, commitment, texts=texts, happened_on=happened_on,
                      kind=CommitmentUpdateKind.CORRECTION, **changes)
