"""Demo data: one call open for review, 6 applications, 4 lay reviewers, some reviews.

Idempotent: nothing is created when the demo call is already there.
"""

from datetime import timedelta

from sqlalchemy import select

from engage.accounts.models import Departement, ParticipantType, Role, User
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.extensions import db
from engage.reviews import services
from engage.reviews.models import (
    Application,
    CallStatus,
    FundingCallTranslation,
    ReviewerProfile,
)

DEMO_CALL_TITLE_FR = "Appel à projets 2026 : mieux vivre pendant et après un cancer"

REVIEWERS = [
    # email, name, language, participant type, département, themes, institutions
    ("reviewer@example.org", "Paul Relecteur", "fr", ParticipantType.PATIENT, "92",
     "retour au travail, douleur, après cancer", ""),
    ("reviewer2@example.org", "Amina Benali", "fr", ParticipantType.PATIENT, "93",
     "cancer du sein, activité physique, qualité de vie", ""),
    ("reviewer3@example.org", "Bruno Martin", "fr", ParticipantType.CARER, "75",
     "proches aidants, soins palliatifs, adolescents", "Institut Curie"),
    ("reviewer4@example.org", "Claire Evans", "en", ParticipantType.PATIENT, "94",
     "nutrition, colorectal cancer, digital health", ""),
]

APPLICATIONS = [
    {
        "acronym": "ACTIF-SEIN",
        "title": "Activité physique adaptée pendant la chimiothérapie du cancer du sein",
        "summary_language": "fr",
        "lay_summary": "Pendant une chimiothérapie, beaucoup de femmes se sentent très "
        "fatiguées. Nous voulons savoir si une activité physique douce, deux fois par "
        "semaine, réduit cette fatigue. 200 patientes seront tirées au sort : la moitié "
        "suivra un programme avec un coach, l’autre moitié recevra les conseils habituels. "
        "Nous mesurerons la fatigue et la qualité de vie pendant six mois.",
        "team": "Dr Sophie Laurent (oncologue), Marc Petit (enseignant en activité physique "
        "adaptée), association Ensemble contre le cancer du sein",
        "institutions": "Institut Curie",
        "keywords": "cancer du sein, activité physique, fatigue, qualité de vie",
    },
    {
        "acronym": "RETOUR",
        "title": "Accompagner le retour au travail après un cancer",
        "summary_language": "fr",
        "lay_summary": "Reprendre son travail après un cancer est souvent difficile. Ce "
        "projet teste un accompagnement par une infirmière et un médecin du travail, qui "
        "préparent la reprise avec la personne et son employeur. Nous comparerons le "
        "nombre de personnes qui ont repris leur emploi un an après, avec ou sans cet "
        "accompagnement.",
        "team": "Pr Karim Haddad (médecine du travail), Julie Moreau (infirmière)",
        "institutions": "Gustave Roussy",
        "keywords": "retour au travail, après cancer, accompagnement",
    },
    {
        "acronym": "ECOLE-ADO",
        "title": "Préserver la scolarité des adolescents atteints de cancer",
        "summary_language": "fr",
        "lay_summary": "Les adolescents soignés pour un cancer manquent souvent l’école "
        "pendant des mois. Nous proposons des cours à distance avec un robot de "
        "téléprésence, et nous étudierons si les élèves gardent le lien avec leur classe "
        "et leur niveau scolaire.",
        "team": "Dr Léa Roux (pédiatre oncologue), Éducation nationale",
        "institutions": "AP-HP – Hôpital Robert-Debré",
        "keywords": "adolescents, scolarité, numérique",
    },
    {
        "acronym": "DOULEUR-APP",
        "title": "Suivre la douleur avec une application mobile",
        "summary_language": "fr",
        "lay_summary": "La pharmacogénomique appliquée à l’évaluation multidimensionnelle "
        "de la douleur oncologique nécessite une stratification des patients selon des "
        "biomarqueurs, dont l’intégration dans une application mobile de télésurveillance "
        "permettrait une adaptation thérapeutique personnalisée et réactive.",
        "team": "Dr Antoine Girard (centre de la douleur), société MedApp (partenaire)",
        "institutions": "AP-HP – Hôpital européen Georges-Pompidou",
        "keywords": "douleur, numérique, application mobile",
    },
    {
        "acronym": "NUTRI-COLON",
        "title": "Nutrition support after colorectal cancer surgery",
        "summary_language": "en",
        "lay_summary": "After surgery for bowel cancer, many people lose weight and "
        "strength. We will test whether meetings with a dietitian at home, in the first "
        "three months, help people eat well and recover faster. We will ask patients "
        "how they feel and measure their weight and strength.",
        "team": "Dr Emma Clarke (surgeon), Nadia Cohen (dietitian)",
        "institutions": "Institut Curie; Université Paris Cité",
        "keywords": "colorectal cancer, nutrition, surgery",
    },
    {
        "acronym": "AIDANTS",
        "title": "Soutenir les proches aidants en soins palliatifs",
        "summary_language": "fr",
        "lay_summary": "Les proches qui accompagnent une personne en fin de vie sont "
        "souvent épuisés. Nous proposons des groupes de parole et une ligne d’écoute. "
        "Nous mesurerons la fatigue et l’anxiété des proches avant et après.",
        "team": "Dr Hélène Blanc (soins palliatifs), association Vivre après un cancer",
        "institutions": "AP-HP – Hôpital Avicenne",
        "keywords": "proches aidants, soins palliatifs, soutien",
    },
]

# Scores of the submitted demo reviews: six criteria, then the overall opinion.
SUBMITTED = {
    "ACTIF-SEIN": [
        ([5, 4, 4, 5, 2, 3], 4),
        ([4, 4, 3, 4, 5, 2], 4),
        ([2, 3, 4, 4, 4, 3], 2),
    ],
    "RETOUR": [
        ([4, 4, 5, 3, 4, 4], 4),
        ([4, 5, 4, 4, 3, 4], 5),
    ],
}
COMMENTS = {
    "fr": ("Point clair et utile pour les patients.", "À discuter avec l’équipe."),
    "en": ("Clear and useful for patients.", "Worth discussing with the team."),
}


def _reviewers(password: str) -> list[User]:
    users = []
    for email, name, language, participant_type, departement, themes, institutions in REVIEWERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, display_name=name, role=Role.PARTICIPANT,
                        participant_type=participant_type, departement=Departement(departement),
                        language=language, lay_reviewer=True, email_confirmed_at=utcnow(),
                        privacy_consent_at=utcnow())
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
        profile = db.session.scalar(
            select(ReviewerProfile).where(ReviewerProfile.user_id == user.id))
        if profile is None:
            db.session.add(ReviewerProfile(user_id=user.id, themes=themes,
                                           institutions=institutions))
        users.append(user)
    db.session.flush()
    return users


def load_demo() -> None:
    from engage.core.commands import DEMO_PASSWORD

    if db.session.scalar(select(FundingCallTranslation.id).where(
            FundingCallTranslation.title == DEMO_CALL_TITLE_FR)):
        return
    moderator = db.session.scalar(select(User).where(User.email == "moderator@example.org"))
    if moderator is None:
        return
    _reviewers(DEMO_PASSWORD)
    today = local_today()
    call = services.create_call(
        moderator,
        texts={
            "fr": (DEMO_CALL_TITLE_FR,
                   "Le cancéropôle finance des projets de recherche qui améliorent la vie des "
                   "personnes pendant et après un cancer. Les relecteurs et relectrices "
                   "patients donnent leur avis sur chaque projet, en particulier sur son "
                   "intérêt pour les patients et sur ce qu’il demande aux participants."),
            "en": ("2026 funding call: living better during and after cancer",
                   "The network funds research projects that improve the lives of people "
                   "during and after cancer. Lay reviewers give their opinion on each "
                   "project, especially on what it means for patients and what it asks of "
                   "participants."),
        },
        review_opens_on=today - timedelta(days=5),
        review_deadline=today + timedelta(days=12),
    )
    applications = []
    for data in APPLICATIONS:
        application = Application(call=call, **data)
        db.session.add(application)
        applications.append(application)
    db.session.flush()
    for proposal in services.propose_assignments(call).proposals:
        services.assign(moderator, proposal.application, proposal.reviewer, notify=False)
    call.status = CallStatus.OPEN
    call.opened_at = utcnow()
    db.session.flush()

    criteria = call.criteria
    for application in applications:
        patterns = SUBMITTED.get(application.acronym, [])
        for assignment, (scores, overall) in zip(application.assignments, patterns,
                                                 strict=False):
            reviewer = assignment.reviewer
            services.declare(reviewer, assignment, links=[], details="", no_conflict=True,
                             confidentiality=True)
            for_applicants, for_committee = COMMENTS[reviewer.language]
            services.save_review(
                reviewer, assignment,
                criteria={c.id: services.CriterionInput(score, for_applicants, for_committee)
                          for c, score in zip(criteria, scores, strict=True)},
                overall_score=overall, overall_applicant_comment=for_applicants,
                overall_committee_comment=for_committee, submit=True,
            )
    # One reviewer declared a link with the last project: it awaits reassignment.
    last = applications[-1].assignments[-1]
    services.declare(last.reviewer, last, links=["collaboration"], details="",
                     no_conflict=False, confidentiality=False)
    db.session.flush()
