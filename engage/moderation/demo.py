"""Demo data of the moderation area: reports and a reply awaiting approval, so that the
queue has something in it. Uses the consultations demo (loaded before this one).

Idempotent: nothing is created when the pending reply already exists.
"""

from sqlalchemy import select

from engage.accounts.models import User
from engage.consultations.models import ConsultationTranslation, Contribution
from engage.core.moderated import ModerationStatus, ReportReason, file_report
from engage.extensions import db

PENDING_REPLY = (
    "Mon oncologue m’a dit que la fatigue pouvait durer. Je suis suivie à l’hôpital Saint-Louis "
    "depuis mars pour une récidive, et je prends un nouveau traitement."
)
# (start of the reported contribution, reporter email, reason, details)
REPORTS = [
    ("Le droit à l’oubli", "participant@example.org", ReportReason.MISINFORMATION,
     "The date of the law seems wrong."),
    ("Le droit à l’oubli", "reviewer@example.org", ReportReason.MISINFORMATION, ""),
    ("Le retour au travail", "participant@example.org", ReportReason.OFF_TOPIC, ""),
]


def load_demo() -> None:
    if db.session.scalar(select(Contribution.id).where(Contribution.body == PENDING_REPLY)):
        return
    consultation_id = db.session.scalar(
        select(ConsultationTranslation.consultation_id).where(
            ConsultationTranslation.language == "fr",
            ConsultationTranslation.title == "Vivre après un cancer")
    )
    if consultation_id is None:
        return  # the consultations demo comes first
    users = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.like("%@example.org")))}
    contributions = db.session.scalars(
        select(Contribution).where(Contribution.consultation_id == consultation_id,
                                   Contribution.parent_id.is_(None))
        .order_by(Contribution.id)
    ).all()
    if not contributions or "participant@example.org" not in users:
        return

    def starting(text: str) -> Contribution | None:
        return next((c for c in contributions if c.body.startswith(text)), None)

    for start, email, reason, details in REPORTS:
        target = starting(start)
        if target is not None and email in users and target.author_id != users[email].id:
            file_report(users[email], target, reason, details)
    fatigue = starting("Après ma chimiothérapie") or contributions[0]
    db.session.add(Contribution(
        consultation_id=consultation_id, author_id=users["participant@example.org"].id,
        parent_id=fatigue.id, body=PENDING_REPLY, language="fr",
        moderation_status=ModerationStatus.PENDING,
    ))
    db.session.flush()
