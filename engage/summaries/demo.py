"""Demo data of the summaries area: the closed demo consultation "Accès aux essais
cliniques / Access to clinical trials" gets more contributions, themes, and a published
bilingual summary citing them (written by the moderator, approved by the administrator),
with the network's response.

Idempotent: nothing is created when the consultation already has a summary.
"""

from datetime import timedelta

from sqlalchemy import select

from engage.accounts.models import User
from engage.consultations.models import (
    Consultation,
    ConsultationStatus,
    ConsultationTranslation,
    Contribution,
    Theme,
    ThemeTranslation,
)
from engage.core.clock import local_today
from engage.extensions import db
from engage.moderation import services as moderation
from engage.summaries import services
from engage.summaries.models import Summary

# (author email, text) added to the closed consultation, all published.
CONTRIBUTIONS = [
    ("participant@example.org",
     "Nobody told me that trials existed for my cancer. I found one by myself on the "
     "internet, too late to take part."),
    ("representative@example.org",
     "Notre association reçoit beaucoup de questions sur les essais. Un registre en langage "
     "clair, avec les centres d’Île-de-France, aiderait les patientes à en parler à leur "
     "médecin."),
    ("admin@example.org",
     "Les frais de transport vers les centres d’essais devraient être remboursés. Sans cela, "
     "seules les personnes qui vivent près de Paris peuvent participer."),
    ("moderator@example.org",
     "Une infirmière de recherche m’a expliqué l’essai avec des mots simples. C’est ce qui "
     "m’a décidé à participer."),
]
THEMES = {  # contribution index (in the consultation, oldest first) -> theme French labels
    0: ["Essais cliniques"],
    1: ["Information des patients", "Essais cliniques"],
    2: ["Information des patients"],
    3: ["Essais cliniques"],
    4: ["Information des patients"],
}

SUMMARY_FR = (
    "Cinq personnes ont écrit et cinq ont répondu au questionnaire.\n\n"
    "## Ce que vous nous avez dit\n\n"
    "**Beaucoup de patients ne savent pas que des essais existent.** Une personne a trouvé "
    "un essai seule, trop tard [#{c1}]. Une association demande une liste claire des essais "
    "en Île-de-France [#{c2}].\n\n"
    "**La distance est un frein.** L’hôpital qui proposait l’essai était trop loin [#{c0}]. "
    "Il faut rembourser les transports [#{c3}].\n\n"
    "**Une explication simple aide à dire oui.** Une infirmière de recherche peut tout "
    "changer [#{c4}].\n"
)
SUMMARY_EN = (
    "Five people wrote to us and five answered the questionnaire.\n\n"
    "## What you told us\n\n"
    "**Many patients do not know that trials exist.** One person found a trial alone, too "
    "late [#{c1}]. An association asks for a clear list of trials in Île-de-France "
    "[#{c2}].\n\n"
    "**Distance holds people back.** The hospital with the trial was too far away [#{c0}]. "
    "Travel costs should be paid back [#{c3}].\n\n"
    "**A simple explanation helps people say yes.** A research nurse can make all the "
    "difference [#{c4}].\n"
)
RESPONSE = {
    "fr": "Le réseau va publier en 2026 une liste des essais ouverts en Île-de-France, en "
          "langage clair. Il finance aussi une étude sur le remboursement des transports.",
    "en": "In 2026 the network will publish a plain-language list of the trials open in "
          "Île-de-France. It also funds a study on paying back travel costs.",
}


def _theme(label: str) -> Theme | None:
    return db.session.scalar(select(Theme).join(ThemeTranslation).where(
        ThemeTranslation.language == "fr", ThemeTranslation.label == label))


def load_demo() -> None:
    consultation = db.session.scalar(
        select(Consultation).join(ConsultationTranslation).where(
            ConsultationTranslation.language == "fr",
            ConsultationTranslation.title == "Accès aux essais cliniques")
    )
    if consultation is None or consultation.status != ConsultationStatus.CLOSED:
        return  # the consultations demo comes first
    if db.session.scalar(select(Summary.id).where(Summary.consultation_id == consultation.id)):
        return
    users = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.like("%@example.org")))}
    moderator, admin = users.get("moderator@example.org"), users.get("admin@example.org")
    if moderator is None or admin is None:
        return
    for email, body in CONTRIBUTIONS:
        if email in users:
            db.session.add(Contribution(consultation_id=consultation.id,
                                        author_id=users[email].id, body=body,
                                        language="en" if email.startswith("participant") else "fr"))
    db.session.flush()
    contributions = db.session.scalars(
        select(Contribution).where(Contribution.consultation_id == consultation.id)
        .order_by(Contribution.id)
    ).all()
    for index, labels in THEMES.items():
        if index < len(contributions):
            themes = [t for t in (_theme(label) for label in labels) if t is not None]
            moderation.set_themes(moderator, contributions[index], [t.id for t in themes])
    ids = {f"c{i}": c.id for i, c in enumerate(contributions[:5])}
    if len(ids) < 5:
        return
    summary, _created = services.start(moderator, consultation)
    services.save(moderator, summary, {"fr": SUMMARY_FR.format(**ids),
                                       "en": SUMMARY_EN.format(**ids)})
    services.submit(moderator, summary)
    services.approve(admin, summary)
    services.save_response(admin, summary, RESPONSE, local_today() - timedelta(days=2))
