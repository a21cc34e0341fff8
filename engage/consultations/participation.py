"""Taking part: answering the questionnaire, contributing, replying, supporting, reporting.

Plain functions taking an explicit `actor`; they flush, never commit, and raise
DomainError when the move is not allowed (nothing is written then).
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from engage.accounts.models import Association
from engage.consultations import permissions
from engage.consultations.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationResponse,
    Contribution,
    ContributionRevision,
    ContributionSupport,
    QuestionKind,
)
from engage.consultations.models.contribution import CONTRIBUTION_MAX_LENGTH, REPLY_MAX_LENGTH
from engage.consultations.notifications import notify_of_reply
from engage.consultations.questionnaire import ParsedAnswers, parse_answers
from engage.core import versions
from engage.core.db import rows_changed, utcnow
from engage.core.errors import DomainError
from engage.core.moderated import ModerationStatus, Report, file_report
from engage.extensions import db


class InvalidAnswers(DomainError):
    """Some answers are not acceptable: `errors` maps question ids to messages."""

    def __init__(self, parsed: ParsedAnswers):
        super().__init__(_l("Please correct the answers shown."))
        self.errors = parsed.errors


def participation_refusal(actor, consultation: Consultation, today: date | None = None):
    """Why `actor` may not take part now (a translated message), or None if they may."""
    if not actor.is_authenticated:
        return _l("Please sign in to take part.")
    if not consultation.is_accepting(today):
        return _l("This consultation is not open: answers and contributions are closed.")
    if not permissions.in_audience(actor, consultation):
        return _l("This consultation is for patient representatives only.")
    if not actor.can_write:
        return _l("Your account cannot take part at the moment. Please contact the moderators.")
    return None


def _require_participation(actor, consultation: Consultation, today: date | None = None) -> None:
    refusal = participation_refusal(actor, consultation, today)
    if refusal is not None:
        raise DomainError(refusal)


# Questionnaire


def response_of(actor, consultation: Consultation) -> ConsultationResponse | None:
    if not actor.is_authenticated:
        return None
    return db.session.scalar(
        select(ConsultationResponse).where(
            ConsultationResponse.consultation_id == consultation.id,
            ConsultationResponse.user_id == actor.id,
        )
    )


def save_response(actor, consultation: Consultation, form, *, submit: bool,
                  today: date | None = None) -> ConsultationResponse:
    """Save the answers as a draft, or submit them (required questions then needed).

    Once submitted, a response stays submitted: saving it again checks it fully.
    """
    _require_participation(actor, consultation, today)
    if not consultation.questions:
        raise DomainError(_l("This consultation has no questionnaire."))
    response = response_of(actor, consultation)
    submitting = submit or (response is not None and response.is_submitted)
    parsed = parse_answers(consultation.questions, form, submitting=submitting)
    if not parsed.is_valid:
        raise InvalidAnswers(parsed)
    if response is None:
        response = ConsultationResponse(consultation_id=consultation.id, user_id=actor.id)
        db.session.add(response)
    response.answers.clear()
    questions = {q.id: q for q in consultation.questions}
    for question_id, value in parsed.values.items():
        kind = QuestionKind(questions[question_id].kind)
        if kind == QuestionKind.FREE_TEXT:
            rows = [ConsultationAnswer(question_id=question_id, text=value)]
        elif kind == QuestionKind.SINGLE_CHOICE:
            rows = [ConsultationAnswer(question_id=question_id, option_id=value)]
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            rows = [ConsultationAnswer(question_id=question_id, option_id=option)
                    for option in value]
        elif kind == QuestionKind.SCALE:
            rows = [ConsultationAnswer(question_id=question_id, number=value)]
        else:
            rows = [ConsultationAnswer(question_id=question_id, option_id=option, number=rank)
                    for option, rank in value.items()]
        response.answers.extend(rows)
    if submitting:
        response.submitted_at = utcnow()
    db.session.flush()
    return response


# Contributions


def _clean_body(body: str | None, limit: int, empty_message) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(empty_message)
    if len(body) > limit:
        raise DomainError(_l("Your text is too long: at most %(max)d characters (now %(count)d).",
                             max=limit, count=len(body)))
    return body


def existing_submission(actor, submission_key: str | None) -> Contribution | None:
    if not submission_key:
        return None
    return db.session.scalar(
        select(Contribution).where(
            Contribution.submission_key == submission_key, Contribution.author_id == actor.id
        )
    )


def _initial_status(consultation: Consultation) -> str:
    return ModerationStatus.PENDING if consultation.pre_moderated else ModerationStatus.PUBLISHED


def post_contribution(actor, consultation: Consultation, body: str, *,
                      theme_id: int | None = None, association_id: int | None = None,
                      submission_key: str | None = None, language: str | None = None,
                      today: date | None = None) -> tuple[Contribution, bool]:
    """(contribution, created). Sending the same form twice returns the first one."""
    existing = existing_submission(actor, submission_key)
    if existing is not None:
        return existing, False
    _require_participation(actor, consultation, today)
    body = _clean_body(body, CONTRIBUTION_MAX_LENGTH, _l("Please write your contribution."))
    if theme_id is not None and theme_id not in {t.id for t in consultation.themes}:
        raise DomainError(_l("Please choose a theme from the list."))
    if association_id is not None:
        association = db.session.get(Association, association_id)
        if association is None or not permissions.can_post_as(actor, association):
            raise DomainError(_l("You can only speak for an association you represent."))
        already = db.session.scalar(
            select(Contribution.id).where(
                Contribution.consultation_id == consultation.id,
                Contribution.association_id == association_id,
                Contribution.parent_id.is_(None),
                Contribution.deleted_at.is_(None),
            )
        )
        if already is not None:
            raise DomainError(_l("This association has already given its position here: you "
                                 "can edit it instead."))
    contribution = Contribution(
        consultation_id=consultation.id,
        author_id=actor.id,
        theme_id=theme_id,
        association_id=association_id,
        body=body,
        language=language,
        moderation_status=_initial_status(consultation),
        submission_key=submission_key,
    )
    db.session.add(contribution)
    db.session.flush()
    return contribution, True


def post_reply(actor, parent: Contribution, body: str, *, submission_key: str | None = None,
               language: str | None = None,
               today: date | None = None) -> tuple[Contribution, bool]:
    existing = existing_submission(actor, submission_key)
    if existing is not None:
        return existing, False
    consultation = parent.consultation
    _require_participation(actor, consultation, today)
    if parent.is_reply:
        raise DomainError(_l("You can reply to a contribution, not to a reply."))
    if not parent.is_visible:
        raise DomainError(_l("This contribution cannot receive replies."))
    body = _clean_body(body, REPLY_MAX_LENGTH, _l("Please write your reply."))
    reply = Contribution(
        consultation_id=consultation.id,
        author_id=actor.id,
        parent_id=parent.id,
        body=body,
        language=language,
        moderation_status=_initial_status(consultation),
        submission_key=submission_key,
    )
    db.session.add(reply)
    db.session.flush()
    if reply.is_visible:  # under pre-moderation, the author is told once it is approved
        notify_of_reply(reply, parent)
    return reply, True


def edit_contribution(actor, contribution: Contribution, body: str, *,
                      theme_id: int | None = None, today: date | None = None) -> bool:
    """Change the text (the previous one is kept); False when nothing changed."""
    if not permissions.can_edit_contribution(actor, contribution, today):
        raise DomainError(_l("You can only edit your own contributions while the consultation "
                             "is open."))
    limit = REPLY_MAX_LENGTH if contribution.is_reply else CONTRIBUTION_MAX_LENGTH
    body = _clean_body(body, limit, _l("Please write your contribution."))
    consultation = contribution.consultation
    if contribution.is_reply:
        theme_id = None
    elif theme_id is not None and theme_id not in {t.id for t in consultation.themes}:
        raise DomainError(_l("Please choose a theme from the list."))
    if body == contribution.body and theme_id == contribution.theme_id:
        return False
    if body != contribution.body:
        contribution.revisions.append(
            ContributionRevision(body=contribution.body, edited_by_id=actor.id)
        )
        contribution.body = body
        contribution.edited_at = utcnow()
        # Under pre-moderation, a changed text is checked again before it is shown.
        if consultation.pre_moderated and contribution.moderation_status == \
                ModerationStatus.PUBLISHED:
            contribution.moderation_status = ModerationStatus.PENDING
    contribution.theme_id = theme_id
    db.session.flush()
    return True


def delete_contribution(actor, contribution: Contribution, today: date | None = None) -> None:
    """The author removes their text: it and its history are gone, replies stay."""
    if not permissions.can_delete_contribution(actor, contribution, today):
        raise DomainError(_l("You can only delete your own contributions while the consultation "
                             "is open."))
    contribution.deleted_at = utcnow()
    contribution.body = ""
    contribution.revisions.clear()
    db.session.execute(
        delete(ContributionSupport).where(ContributionSupport.contribution_id == contribution.id)
    )
    _recount_supports(contribution)


# Support


def recount_supports(contribution_id: int) -> int:
    """Store the contribution's number of supports, counted by the database; returns it.

    The row is locked first, by a statement of its own: the UPDATE that follows starts
    once the lock is held, so its count sees every support committed by a request that
    held the lock before (a count inside the waiting statement itself would not). NO KEY
    UPDATE does not wait for the key-share lock that inserting a support takes on the
    contribution. The count is computed and written by one statement, never from a value
    the session loaded earlier."""
    db.session.flush()
    db.session.execute(select(Contribution.id).where(Contribution.id == contribution_id)
                       .with_for_update(key_share=True))
    counted = (select(func.count(ContributionSupport.id))
               .where(ContributionSupport.contribution_id == contribution_id)
               .scalar_subquery())
    count, consultation = db.session.execute(
        update(Contribution).where(Contribution.id == contribution_id)
        .values(support_count=counted).returning(Contribution.support_count,
                                                 Contribution.consultation_id)
        .execution_options(synchronize_session=False, **versions.changing(versions.SUPPORTS))
    ).one()
    # Only the count changed: its consultation's pages, not every consultation's.
    versions.touch(db.session, versions.consultation(consultation))
    return count


def _recount_supports(contribution: Contribution) -> None:
    # The loaded object takes the stored figure as its own (not a change to write back).
    set_committed_value(contribution, "support_count", recount_supports(contribution.id))


def supports(actor, contribution: Contribution) -> bool:
    return db.session.scalar(
        select(ContributionSupport.id).where(
            ContributionSupport.contribution_id == contribution.id,
            ContributionSupport.user_id == actor.id,
        )
    ) is not None


def support(actor, contribution: Contribution, today: date | None = None) -> bool:
    """Back a contribution; False when the actor already supports it (nothing changes)."""
    if permissions.is_author(actor, contribution):
        raise DomainError(_l("You cannot support your own contribution."))
    _require_participation(actor, contribution.consultation, today)
    if not contribution.is_visible:
        raise DomainError(_l("This contribution cannot be supported."))
    if supports(actor, contribution):
        return False
    db.session.add(ContributionSupport(contribution_id=contribution.id, user_id=actor.id))
    _recount_supports(contribution)
    return True


def withdraw_support(actor, contribution: Contribution, today: date | None = None) -> bool:
    """False when there was no support to withdraw."""
    _require_participation(actor, contribution.consultation, today)
    result = db.session.execute(
        delete(ContributionSupport).where(
            ContributionSupport.contribution_id == contribution.id,
            ContributionSupport.user_id == actor.id,
        ).execution_options(**versions.changing(
            versions.consultation(contribution.consultation_id), versions.SUPPORTS,
            versions.user(actor.id)))
    )
    if not rows_changed(result):
        return False
    _recount_supports(contribution)
    return True


# Reports


def report_contribution(actor, contribution: Contribution, reason: str,
                        details: str = "") -> Report:
    if not permissions.can_report(actor, contribution):
        raise DomainError(_l("You cannot report this contribution."))
    if len(details or "") > 1000:
        raise DomainError(_l("Please keep the explanation under %(max)d characters.", max=1000))
    return file_report(actor, contribution, reason, details or "")
