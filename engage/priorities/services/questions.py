"""Processing: the indicative questions written from the submissions."""

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import (
    MAX_EVIDENCE,
    EvidenceReference,
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    QuestionTranslation,
    Submission,
)
from engage.priorities.services._shared import _clean, _require, _sync_translations


def _check_question_input(texts, status, answered_reference, evidence) -> list[str]:
    _require(any(v["text"] for v in texts.values()),
             _l("Please write the question in at least one language."))
    for values in texts.values():
        _require(values["text"] or not any(values.values()),
                 _l("Please write the question itself in every language you fill in."))
        if status == QuestionStatus.KEPT:
            values["reason"] = ""  # a kept question has no reason to be set aside
    references = [ref.strip() for ref in evidence if ref and ref.strip()]
    _require(len(references) <= MAX_EVIDENCE,
             _l("A question can have at most %(count)s evidence references.",
                count=MAX_EVIDENCE))
    # The model checks the status rules; run them on a scratch object before any change.
    IndicativeQuestion().set_status(status, has_reason=_has_reason(texts),
                                    reference=answered_reference)
    return references


def _has_reason(texts) -> bool:
    return any(values.get("reason") for values in texts.values())


def create_question(
    actor,
    exercise: Exercise,
    *,
    texts: Mapping[str, Mapping[str, str]],
    status: str = QuestionStatus.KEPT,
    answered_reference: str = "",
    evidence: Sequence[str] = (),
    submission_ids: Sequence[int] = (),
) -> IndicativeQuestion:
    """`texts`: {language: {"text", "explanation", "reason", PICO fields}}."""
    _require(permissions.can_process(actor, exercise),
             _l("Indicative questions can only be written while the questions are processed."))
    texts = _clean(texts)
    references = _check_question_input(texts, status, answered_reference, evidence)
    submissions = _submissions_of(exercise, submission_ids)
    number = (db.session.scalar(
        select(func.max(IndicativeQuestion.number)).where(
            IndicativeQuestion.exercise_id == exercise.id)
    ) or 0) + 1
    question = IndicativeQuestion(exercise=exercise, number=number, created_by_id=actor.id)
    question.set_status(status, has_reason=_has_reason(texts), reference=answered_reference)
    _sync_translations(question, QuestionTranslation, texts, "text")
    question.evidence = [EvidenceReference(position=i, reference=ref)
                         for i, ref in enumerate(references, start=1)]
    question.submissions = submissions
    db.session.add(question)
    db.session.flush()
    return question


def update_question(
    actor,
    question: IndicativeQuestion,
    *,
    texts: Mapping[str, Mapping[str, str]],
    status: str,
    answered_reference: str = "",
    evidence: Sequence[str] = (),
) -> None:
    _require(permissions.can_process(actor, question.exercise),
             _l("Indicative questions can only be changed while the questions are processed."))
    texts = _clean(texts)
    references = _check_question_input(texts, status, answered_reference, evidence)
    question.set_status(status, has_reason=_has_reason(texts), reference=answered_reference)
    _sync_translations(question, QuestionTranslation, texts, "text")
    current = [e.reference for e in question.evidence]
    if current != references:
        question.evidence.clear()
        db.session.flush()  # the old positions go before the new ones arrive
        question.evidence = [EvidenceReference(position=i, reference=ref)
                             for i, ref in enumerate(references, start=1)]
    db.session.flush()


def _submissions_of(exercise: Exercise, submission_ids: Sequence[int]) -> list[Submission]:
    ids = set(submission_ids)
    if not ids:
        return []
    found = db.session.scalars(
        select(Submission).where(Submission.exercise_id == exercise.id, Submission.id.in_(ids))
    ).all()
    _require(len(found) == len(ids), _l("Some of these submissions do not exist."))
    return sorted(found, key=lambda s: s.id)


def link_submissions(actor, question: IndicativeQuestion, submission_ids: Sequence[int]) -> int:
    """Attach submissions to a question; returns how many were not attached yet."""
    _require(permissions.can_process(actor, question.exercise),
             _l("Submissions can only be grouped while the questions are processed."))
    _require(bool(submission_ids), _l("Please select at least one submission."))
    submissions = _submissions_of(question.exercise, submission_ids)
    already = {s.id for s in question.submissions}
    added = [s for s in submissions if s.id not in already]
    question.submissions.extend(added)
    db.session.flush()
    return len(added)


def unlink_submission(actor, question: IndicativeQuestion, submission: Submission) -> None:
    _require(permissions.can_process(actor, question.exercise),
             _l("Submissions can only be grouped while the questions are processed."))
    _require(submission in question.submissions,
             _l("This submission is not linked to this question."))
    question.submissions.remove(submission)
    db.session.flush()
