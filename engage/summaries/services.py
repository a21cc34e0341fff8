"""Writing and publishing summaries: plain functions taking an explicit `actor`; they
flush, never commit, record each step in the moderation audit log and raise DomainError.

Forms carry the summary's `version`: a step taken on an older version (another moderator
acted in between) is refused, and nothing is done twice.

Decision: a summary is sent for review and published only when it is written in every
configured language (French and English): publishing with a "translation pending" note
is not offered, so that no reader meets a summary in a language they did not choose.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from engage.accounts.models import User
from engage.consultations.models import (
    Consultation,
    ConsultationFollow,
    ConsultationResponse,
    ConsultationStatus,
    Contribution,
)
from engage.core.errors import DomainError
from engage.core.notifications import NotificationKind, email_now_ids, notify, notify_each
from engage.core.outbox import queue_email
from engage.extensions import db
from engage.moderation.models import AuditAction
from engage.moderation.notifications import language_of, moderators, reachable
from engage.moderation.services import lock, record
from engage.summaries import citations, permissions
from engage.summaries.models import Citation, Summary, SummaryRevision, SummaryTranslation

BODY_MAX_LENGTH = 30000


class StaleSummary(DomainError):
    """The summary changed since the form was shown."""


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def _require(condition: bool, message) -> None:
    if not condition:
        raise DomainError(message)


def _check_version(summary: Summary, version) -> None:
    lock(summary)
    if version is not None and str(version) != str(summary.version):
        raise StaleSummary(_l(
            "Another moderator has changed this summary since you opened it. Nothing was "
            "changed: please check it again."
        ))


def _record(actor, action: AuditAction, summary: Summary, **kwargs) -> None:
    record(actor, action, target_type="summary", target_id=summary.id,
           container=("consultation", summary.consultation_id), **kwargs)


def summary_of(consultation: Consultation) -> Summary | None:
    return db.session.scalar(select(Summary).where(Summary.consultation_id == consultation.id))


def editor_ids(summary: Summary) -> set[int]:
    """Everyone who wrote the summary: its creator and whoever saved a version of it."""
    ids = {editor_id for editor_id in db.session.scalars(
        select(SummaryRevision.edited_by_id).where(SummaryRevision.summary_id == summary.id,
                                                   SummaryRevision.edited_by_id.is_not(None))
    ) if editor_id is not None}
    if summary.created_by_id:
        ids.add(summary.created_by_id)
    return ids


def start(actor, consultation: Consultation) -> tuple[Summary, bool]:
    """(summary, created): the consultation's summary, created as an empty draft if needed."""
    existing = summary_of(consultation)
    if existing is not None:
        return existing, False
    _require(permissions.can_start(actor, consultation),
             _l("A summary can be written once the consultation is closed."))
    summary = Summary(consultation_id=consultation.id, created_by_id=actor.id,
                      translations=[SummaryTranslation(language=code) for code in languages()])
    db.session.add(summary)
    db.session.flush()
    _record(actor, AuditAction.SUMMARY_CREATE, summary)
    return summary, True


def _translation(summary: Summary, code: str) -> SummaryTranslation:
    row = next((t for t in summary.translations if t.language == code), None)
    if row is None:
        row = SummaryTranslation(language=code)
        summary.translations.append(row)
    return row


def refresh_citations(summary: Summary) -> None:
    texts = {t.language: t.body for t in summary.translations}
    cited = {n for ids in (citations.cited_ids(t) for t in texts.values()) for n in ids}
    known = citations.visibility(summary.consultation_id, cited)
    db.session.execute(delete(Citation).where(Citation.summary_id == summary.id))
    for number in sorted(known):
        db.session.add(Citation(summary_id=summary.id, contribution_id=number))


def save(actor, summary: Summary, texts: dict[str, str], version=None) -> bool:
    """Save the texts of a draft; False when nothing changed."""
    _check_version(summary, version)
    _require(permissions.can_edit(actor, summary),
             _l("Only a draft can be changed: send it back to draft first."))
    texts = {code: (texts.get(code) or "").replace("\r\n", "\n").strip() for code in languages()}
    for text in texts.values():
        _require(len(text) <= BODY_MAX_LENGTH,
                 _l("The summary is too long: at most %(max)d characters.", max=BODY_MAX_LENGTH))
    if all(summary.body(code) == text for code, text in texts.items()):
        return False
    for code, text in texts.items():
        _translation(summary, code).body = text
    summary.version += 1
    revision = SummaryRevision(edited_by_id=actor.id, texts=json.dumps(texts, ensure_ascii=False))
    summary.revisions.append(revision)
    db.session.flush()
    refresh_citations(summary)
    db.session.flush()
    _record(actor, AuditAction.SUMMARY_EDIT, summary, after={"revision": revision.id})
    return True


def _require_every_language(summary: Summary) -> None:
    missing = summary.missing_languages(languages())
    if missing:
        from engage.core.i18n import language_label

        raise DomainError(_l(
            "The summary must be written in every language before it is published. "
            "Missing: %(languages)s.", languages=", ".join(language_label(c) for c in missing)))


def submit(actor, summary: Summary, version=None) -> None:
    _check_version(summary, version)
    _require(permissions.can_submit(actor, summary), _l("Only a draft can be sent for review."))
    _require_every_language(summary)
    summary.submit(actor)
    db.session.flush()
    _record(actor, AuditAction.SUMMARY_SUBMIT, summary, before={"status": "draft"},
            after={"status": summary.status})
    _tell_reviewers(summary, actor)


def return_to_draft(actor, summary: Summary, note: str, version=None) -> None:
    _check_version(summary, version)
    note = (note or "").strip()
    _require(bool(note), _l("Please say what needs changing."))
    _require(len(note) <= 2000, _l("Please keep the note under %(max)d characters.", max=2000))
    _require(permissions.can_return(actor, summary),
             _l("Only a summary awaiting review can go back to draft."))
    summary.return_to_draft(actor, note)
    db.session.flush()
    _record(actor, AuditAction.SUMMARY_RETURN, summary, note=note,
            before={"status": "in_review"}, after={"status": summary.status})


def approve(actor, summary: Summary, version=None) -> None:
    """A second moderator approves: the summary is published, the consultation marked as
    summarised, and its followers and participants are told."""
    _check_version(summary, version)
    if summary.is_published:
        raise StaleSummary(_l("This summary has already been published."))
    _require(permissions.can_approve(actor, summary, editor_ids(summary)),
             _l("A summary must be approved by a moderator who did not write it."))
    _require_every_language(summary)
    consultation = summary.consultation
    if consultation.status == ConsultationStatus.CLOSED:
        consultation.summarize()
    _require(consultation.status in (ConsultationStatus.SUMMARIZED, ConsultationStatus.ARCHIVED),
             _l("A summary can be written once the consultation is closed."))
    summary.publish(actor)
    refresh_citations(summary)
    db.session.flush()
    _record(actor, AuditAction.SUMMARY_PUBLISH, summary, before={"status": "in_review"},
            after={"status": summary.status, "consultation": consultation.status})
    notify_published(summary)


def save_response(actor, summary: Summary, texts: dict[str, str], response_on: date | None,
                  version=None) -> None:
    """The network's response to the consultation, with its date, in every language."""
    _check_version(summary, version)
    _require(permissions.can_edit_response(actor, summary),
             _l("The response is added once the summary is published."))
    texts = {code: (texts.get(code) or "").replace("\r\n", "\n").strip() for code in languages()}
    _require(all(texts.values()), _l("Please write the response in every language."))
    if response_on is None:
        raise DomainError(_l("Please give the date of the response."))
    for text in texts.values():
        _require(len(text) <= BODY_MAX_LENGTH,
                 _l("The response is too long: at most %(max)d characters.",
                    max=BODY_MAX_LENGTH))
    before = {"date": summary.response_on.isoformat() if summary.response_on else None,
              "texts": {t.language: t.response for t in summary.translations}}
    for code, text in texts.items():
        _translation(summary, code).response = text
    summary.response_on = response_on
    summary.version += 1
    db.session.flush()
    _record(actor, AuditAction.SUMMARY_RESPONSE, summary, before=before,
            after={"date": response_on.isoformat(), "texts": texts})


# Emails


def _tell_reviewers(summary: Summary, submitter) -> int:
    sent = 0
    for moderator in moderators():
        if moderator.id == submitter.id:
            continue
        language = language_of(moderator)
        queue_email(
            moderator.email, language, "summaries/review_requested", user=moderator,
            title=summary.consultation.title(language),
            url=url_for("summaries.edit", lang_code=language, summary_id=summary.id,
                        _external=True),
        )
        sent += 1
    return sent


def participants(consultation: Consultation) -> list[User]:
    """Authors of published contributions and people who answered the questionnaire."""
    authors = select(Contribution.author_id).where(
        Contribution.consultation_id == consultation.id, Contribution.visible_clause(),
        Contribution.author_id.is_not(None))
    respondents = select(ConsultationResponse.user_id).where(
        ConsultationResponse.consultation_id == consultation.id,
        ConsultationResponse.submitted_at.is_not(None), ConsultationResponse.user_id.is_not(None))
    users = db.session.scalars(
        select(User).where(User.id.in_(authors.union(respondents))).order_by(User.id)
    ).all()
    return [user for user in users if reachable(user)]


@dataclass(frozen=True)
class _Actor:
    """Who published the summary, by id: nobody is told of their own action."""

    id: int | None


def _notify_cited(summary: Summary, approver: _Actor) -> None:
    """"Your words were used": each author of a published contribution the summary cites
    is notified once, with the numbers of their contributions it cites."""
    cited: dict[int | None, list[int]] = defaultdict(list)
    for contribution_id, author_id in db.session.execute(
            select(Contribution.id, Contribution.author_id)
            .join(Citation, Citation.contribution_id == Contribution.id)
            .where(Citation.summary_id == summary.id, Contribution.visible_clause(),
                   Contribution.author_id.is_not(None))
            .order_by(Contribution.id)):
        cited[author_id].append(contribution_id)
    for author in db.session.scalars(select(User).where(User.id.in_(list(cited)))
                                     .order_by(User.id)):
        notify(author, NotificationKind.CITED, actor=approver, summary_id=summary.id,
               consultation_id=summary.consultation_id, contribution_ids=cited[author.id])


def notify_published(summary: Summary) -> int:
    """Followers through the consultations area (once), then the participants who do not
    follow it, each in their language (once), and the authors it cites (notifications).
    Returns the number of emails queued."""
    from engage.consultations.notifications import notify_summary_published

    if summary.notified_at is not None:
        return 0
    consultation = summary.consultation
    sent = notify_summary_published(consultation)
    followers = set(db.session.scalars(
        select(ConsultationFollow.user_id)
        .where(ConsultationFollow.consultation_id == consultation.id)
    ))
    approver = _Actor(summary.approved_by_id)
    told = [user for user in participants(consultation) if user.id not in followers]
    notify_each(told, NotificationKind.SUMMARY_PUBLISHED, actor=approver,
                consultation_id=consultation.id, summary_id=summary.id)
    emailed = email_now_ids(told, NotificationKind.SUMMARY_PUBLISHED)
    _notify_cited(summary, approver)
    for user in told:
        if user.id not in emailed:
            continue
        language = language_of(user)
        queue_email(
            user.email, language, "summaries/published", user=user,
            title=consultation.title(language),
            url=url_for("summaries.report", lang_code=language, summary_id=summary.id,
                        _external=True),
        )
        sent += 1
    from engage.core.db import utcnow

    summary.notified_at = utcnow()
    db.session.flush()
    return sent
