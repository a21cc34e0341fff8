"""What the consultations area holds about a person, and what happens when they leave.

Plugged into the registry's `personal_data` and `account_erasers` ("download my data" and
account deletion) by `register()`, called from the area's `init_app`.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from engage.consultations.models import (
    Consultation,
    ConsultationFollow,
    ConsultationResponse,
    Contribution,
    ContributionSupport,
)
from engage.consultations.participation import recount_supports
from engage.core.db import utcnow
from engage.core.moderated import Report
from engage.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def _title(consultation) -> str:
    shown = consultation.translated("fr")
    return shown.title if shown else ""


def _question_text(question) -> str | None:
    shown = question.translated("fr") if question else None
    return shown.text if shown else None


def contributions_of(user) -> list[dict]:
    rows = db.session.scalars(
        select(Contribution).where(Contribution.author_id == user.id,
                                   Contribution.deleted_at.is_(None))
        .order_by(Contribution.id)
    ).all()
    return [{
        "consultation": _title(c.consultation),
        "reply_to": c.parent_id,
        "on_behalf_of": c.association.name if c.association else None,
        "text": c.body,
        "earlier_versions": "\n---\n".join(r.body for r in c.revisions) or None,
        "moderation_status": c.moderation_status,
        "written_at": _iso(c.created_at),
        "edited_at": _iso(c.edited_at),
    } for c in rows]


def answers_of(user) -> list[dict]:
    """One row per answer (plain values, for the page and the JSON file)."""
    responses = db.session.scalars(
        select(ConsultationResponse).where(ConsultationResponse.user_id == user.id)
        .order_by(ConsultationResponse.id)
    ).all()
    rows = []
    for response in responses:
        consultation = db.session.get_one(Consultation, response.consultation_id)
        questions = {q.id: q for q in consultation.questions}
        for answer in response.answers:
            question = questions.get(answer.question_id)
            option = question.option_by_id(answer.option_id) if question and answer.option_id \
                else None
            value: str | int | None
            if option is not None:
                value = option.label("fr") + (f" (rang {answer.number})" if answer.number else "")
            else:
                value = answer.text if answer.text is not None else answer.number
            rows.append({
                "consultation": _title(consultation),
                "question": _question_text(question),
                "answer": value,
                "sent_at": _iso(response.submitted_at),
            })
    return rows


def follows_and_supports_of(user) -> list[dict]:
    follows = db.session.scalars(
        select(ConsultationFollow).where(ConsultationFollow.user_id == user.id)).all()
    supports = db.session.scalars(
        select(ContributionSupport).where(ContributionSupport.user_id == user.id)).all()
    return [{"follows_consultation": f.consultation_id, "since": _iso(f.created_at)}
            for f in follows] + [{"supports_contribution": s.contribution_id,
                                  "since": _iso(s.created_at)} for s in supports]


def erase(user, delete_content: bool) -> None:
    """On account deletion: follows and supports go; drafts go; with `delete_content`,
    contributions of open consultations are deleted, with the reports on them. Sent answers
    stay, unlinked from the person, because the published results count them."""
    supported = list(db.session.scalars(
        select(ContributionSupport.contribution_id).where(ContributionSupport.user_id == user.id)))
    db.session.execute(delete(ContributionSupport).where(ContributionSupport.user_id == user.id))
    for contribution_id in supported:
        recount_supports(contribution_id)
    db.session.execute(delete(ConsultationFollow).where(ConsultationFollow.user_id == user.id))
    for response in db.session.scalars(
            select(ConsultationResponse).where(ConsultationResponse.user_id == user.id)):
        if response.submitted_at is None:
            db.session.delete(response)
        else:
            response.user_id = None
    if delete_content:
        for contribution in db.session.scalars(
                select(Contribution).where(Contribution.author_id == user.id,
                                           Contribution.deleted_at.is_(None))):
            if contribution.consultation.is_open:
                contribution.deleted_at = utcnow()
                contribution.body = ""
                contribution.revisions.clear()
                # Reports on what no longer exists would only clutter the moderation queue.
                db.session.execute(delete(Report).where(
                    Report.target_type == Contribution.MODERATION_TARGET,
                    Report.target_id == contribution.id))
    db.session.flush()


def register(registry) -> None:
    from engage.core.registry import PersonalDataSection

    registry.personal_data.extend([
        PersonalDataSection("consultation_contributions",
                            _l("Your contributions to consultations"), contributions_of),
        PersonalDataSection("consultation_answers", _l("Your answers to questionnaires"),
                            answers_of),
        PersonalDataSection("consultation_follows_and_supports",
                            _l("Consultations you follow and contributions you support"),
                            follows_and_supports_of),
    ])
    registry.account_erasers.append(erase)
