"""What participants write (questions sent during the gathering, comments on the
indicative questions), its reports and its moderation."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.core.errors import DomainError
from engage.core.moderated import ReportReason, file_report
from engage.core.notifications import NotificationKind, notify
from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    Submission,
    text_fingerprint,
)
from engage.priorities.services._shared import _add_once, _group_of, _require


def submit_question(actor, exercise: Exercise, *, group_id: int, text: str,
                    language: str) -> Submission:
    _require(permissions.can_write(actor),
             _l("Please confirm your email address before taking part."))
    _require(permissions.can_submit(actor, exercise),
             _l("Questions are not being gathered at the moment."))
    group = _group_of(exercise, group_id)
    text = (text or "").strip()
    _require(bool(text), _l("Please write your question."))
    fingerprint = text_fingerprint(text)
    duplicate = db.session.scalar(
        select(Submission.id).where(
            Submission.exercise_id == exercise.id,
            Submission.author_id == actor.id,
            Submission.text_hash == fingerprint,
        )
    )
    _require(duplicate is None, _l("You have already sent this question."))
    submission = Submission(
        exercise_id=exercise.id, group_id=group.id, author_id=actor.id, text=text,
        text_hash=fingerprint, language=language,
    )
    _add_once(submission, _l("You have already sent this question."))
    return submission


def add_comment(actor, question: IndicativeQuestion, body: str) -> Comment:
    _require(permissions.can_write(actor),
             _l("Please confirm your email address before taking part."))
    _require(permissions.can_comment(actor, question.exercise),
             _l("The discussion is closed."))
    body = (body or "").strip()
    _require(bool(body), _l("Please write your comment."))
    fingerprint = text_fingerprint(body)
    duplicate = db.session.scalar(
        select(Comment.id).where(
            Comment.question_id == question.id,
            Comment.author_id == actor.id,
            Comment.body_hash == fingerprint,
        )
    )
    _require(duplicate is None, _l("You have already posted this comment."))
    comment = Comment(question_id=question.id, author_id=actor.id, body=body,
                      body_hash=fingerprint)
    _add_once(comment, _l("You have already posted this comment."))
    return comment


def moderate(actor, item, decision: str, reason: str = "", note: str = "") -> None:
    """Hide (with a reason) or restore a comment or a submission."""
    _require(permissions.can_moderate(actor, item), _l("Only moderators can do this."))
    if decision == "hide":
        _require(reason in {r.value for r in ReportReason},
                 _l("Please choose a reason from the list."))
        item.hide(actor, reason, (note or "").strip() or None)
    elif decision == "restore":
        item.restore(actor)
    else:
        raise DomainError(_l("Please choose what to do."))
    db.session.flush()
    # No email from this page (as before); the author finds the decision in My space.
    notify(item.author, NotificationKind.MODERATION, actor=actor,
           target_type=item.MODERATION_TARGET, target_id=item.id,
           decision="hidden" if decision == "hide" else "restored",
           reason=reason if decision == "hide" else None)


def report(actor, item, reason: str, details: str = ""):
    _require(permissions.can_report(actor, item), _l("You cannot report this."))
    return file_report(actor, item, reason, details or "")
