"""Demo data: two bilingual consultations drawn from real cancer-research questions.

- "Vivre après un cancer / Living after cancer": open, with a questionnaire using
  every type of question, contributions, replies, supports and an association position.
- "Accès aux essais cliniques / Access to clinical trials": closed, with answers, so
  that its results are shown as charts.

Idempotent: nothing is created when the first consultation already exists. Uses
the demo accounts made by `engage.demo.load_accounts` (run before this loader).
"""

from datetime import timedelta

from sqlalchemy import select

from engage.accounts.models import Association, User
from engage.consultations import services
from engage.consultations.models import (
    Audience,
    Consultation,
    ConsultationAnswer,
    ConsultationResponse,
    ConsultationTranslation,
    Contribution,
    ContributionSupport,
    ModerationPolicy,
    Theme,
    ThemeTranslation,
)
from engage.consultations.services import (
    ConsultationSettings,
    ConsultationText,
    QuestionText,
)
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.extensions import db

THEMES = [
    ("Retour au travail", "Return to work"),
    ("Effets tardifs des traitements", "Late effects of treatment"),
    ("Droit à l’oubli", "Right to be forgotten"),
    ("Essais cliniques", "Clinical trials"),
    ("Information des patients", "Patient information"),
]

LIVING_AFTER = {
    "fr": ConsultationText(
        title="Vivre après un cancer",
        summary="Près de 4 millions de personnes vivent en France après un cancer. Quelles "
        "questions la recherche doit-elle étudier en priorité pour améliorer leur vie "
        "après les traitements ?",
        body="## Pourquoi cette consultation\n\n"
        "Fatigue qui dure, douleurs, troubles de la concentration, retour au travail "
        "difficile, accès à l’emprunt : l’après-cancer soulève des questions que la "
        "recherche étudie encore peu.\n\n"
        "Le réseau souhaite savoir **ce qui compte le plus pour vous**, afin d’orienter "
        "les prochains appels à projets.\n\n"
        "## Comment participer\n\n"
        "- répondez au questionnaire (10 minutes environ) ;\n"
        "- partagez votre expérience ou vos idées dans une contribution ;\n"
        "- soutenez les contributions qui vous parlent.\n\n"
        "Merci de ne pas donner de détails sur votre santé qui permettraient de vous "
        "reconnaître.",
    ),
    "en": ConsultationText(
        title="Living after cancer",
        summary="Almost 4 million people in France live after cancer. Which questions "
        "should research study first to improve their lives after treatment?",
        body="## Why this consultation\n\n"
        "Lasting fatigue, pain, trouble concentrating, a difficult return to work, "
        "getting a loan: life after cancer raises questions that research still "
        "studies little.\n\n"
        "The network wants to know **what matters most to you**, to shape its next "
        "funding calls.\n\n"
        "## How to take part\n\n"
        "- answer the questionnaire (about 10 minutes);\n"
        "- share your experience or ideas in a contribution;\n"
        "- support the contributions that speak to you.\n\n"
        "Please do not give details about your health that could identify you.",
    ),
}

TRIALS = {
    "fr": ConsultationText(
        title="Accès aux essais cliniques",
        summary="Moins de 10 % des adultes atteints de cancer participent à un essai "
        "clinique. Qu’est-ce qui freine l’accès aux essais en Île-de-France ?",
        body="Les essais cliniques permettent d’accéder à des traitements innovants, "
        "mais beaucoup de patientes et de patients n’en entendent jamais parler.\n\n"
        "Cette consultation a recueilli votre avis sur l’information, les déplacements "
        "et l’accompagnement pendant un essai.",
    ),
    "en": ConsultationText(
        title="Access to clinical trials",
        summary="Fewer than 10% of adults with cancer take part in a clinical trial. What "
        "holds back access to trials in Île-de-France?",
        body="Clinical trials give access to innovative treatments, but many patients "
        "never hear about them.\n\n"
        "This consultation asked for your opinion on information, travel and support "
        "during a trial.",
    ),
}


def _q(fr: str, en: str, *, options=None, low=("", ""), high=("", ""), hint=("", "")):
    options = options or []
    return {
        "fr": QuestionText(text=fr, hint=hint[0], scale_min_label=low[0],
                           scale_max_label=high[0], options=[o[0] for o in options]),
        "en": QuestionText(text=en, hint=hint[1], scale_min_label=low[1],
                           scale_max_label=high[1], options=[o[1] for o in options]),
    }


LIVING_QUESTIONS = [
    ("single_choice", True, _q(
        "À quel titre répondez-vous ?", "In what capacity are you answering?",
        options=[("Personne ayant eu un cancer", "Person who has had cancer"),
                 ("Proche aidant·e", "Carer"),
                 ("Professionnel·le de santé", "Health professional"),
                 ("Autre", "Other")])),
    ("multiple_choice", True, _q(
        "Quelles difficultés avez-vous rencontrées après les traitements ?",
        "Which difficulties did you face after treatment?",
        hint=("Plusieurs réponses possibles.", "Several answers possible."),
        options=[("Fatigue persistante", "Lasting fatigue"),
                 ("Retour au travail", "Return to work"),
                 ("Accès à l’emprunt et à l’assurance", "Access to loans and insurance"),
                 ("Peur de la récidive", "Fear of recurrence"),
                 ("Suivi médical mal coordonné", "Poorly coordinated follow-up")])),
    ("scale", True, _q(
        "Quelle importance accordez-vous à la recherche sur les effets tardifs des "
        "traitements ?",
        "How important is research on the late effects of treatment to you?",
        low=("Pas important", "Not important"), high=("Très important", "Very important"))),
    ("ranking", False, _q(
        "Classez ces sujets de recherche par ordre de priorité.",
        "Rank these research topics in order of priority.",
        options=[("Fatigue et sommeil", "Fatigue and sleep"),
                 ("Troubles cognitifs", "Cognitive problems"),
                 ("Activité physique adaptée", "Adapted physical activity"),
                 ("Vie professionnelle", "Working life")])),
    ("free_text", False, _q(
        "Qu’aimeriez-vous dire aux chercheuses et aux chercheurs ?",
        "What would you like to tell researchers?")),
]

TRIALS_QUESTIONS = [
    ("single_choice", True, _q(
        "Vous a-t-on déjà proposé de participer à un essai clinique ?",
        "Have you ever been offered to take part in a clinical trial?",
        options=[("Oui", "Yes"), ("Non", "No"), ("Je ne sais pas", "I don’t know")])),
    ("multiple_choice", False, _q(
        "Qu’est-ce qui pourrait freiner votre participation ?",
        "What could hold back your participation?",
        options=[("Le manque d’information", "Lack of information"),
                 ("Les déplacements", "Travel"),
                 ("La peur des effets indésirables", "Fear of side effects"),
                 ("Le temps nécessaire", "The time it takes")])),
    ("scale", True, _q(
        "L’information sur les essais est-elle facile à trouver ?",
        "Is information about trials easy to find?",
        low=("Très difficile", "Very hard"), high=("Très facile", "Very easy"))),
    ("ranking", False, _q(
        "Classez ces améliorations par ordre de priorité.",
        "Rank these improvements in order of priority.",
        options=[("Un registre des essais en langage clair", "A plain-language trial register"),
                 ("Le remboursement des transports", "Travel costs refunded"),
                 ("Un accompagnement par une infirmière", "Support from a nurse")])),
]

# (author email, text, theme index, association?) for the open consultation.
CONTRIBUTIONS = [
    ("reviewer@example.org",
     "Après ma chimiothérapie, la fatigue a duré plus de deux ans. Personne ne m’avait "
     "prévenu. **Il faudrait étudier comment mieux préparer les patients** à cette période.",
     1, False),
    ("admin@example.org",
     "Le retour au travail à temps partiel thérapeutique m’a beaucoup aidée, mais mon "
     "employeur ne savait pas comment l’organiser. Des recherches sur "
     "l’accompagnement des entreprises seraient utiles.",
     0, False),
    ("representative@example.org",
     "Le droit à l’oubli existe depuis 2022, mais beaucoup de personnes ne le connaissent "
     "pas. Je propose d’évaluer son application réelle.",
     2, False),
]
POSITION = (
    "representative@example.org",
    "Notre association demande que la recherche sur l’après-cancer du sein porte en "
    "priorité sur :\n\n"
    "1. les effets tardifs de l’hormonothérapie ;\n"
    "2. le maintien dans l’emploi ;\n"
    "3. l’accès aux soins de support en dehors de Paris.\n\n"
    "Nous sommes prêtes à participer à la construction de ces projets.",
    1,
)
REPLIES = [
    (0, "representative@example.org",
     "Même expérience pour beaucoup de nos adhérentes. Une consultation dédiée à la "
     "fatigue serait bienvenue."),
    (1, "reviewer@example.org",
     "Oui, et les médecins du travail pourraient être mieux formés."),
]
SUPPORTS: list[tuple[int | str, str]] = [
    (0, "admin@example.org"), (0, "representative@example.org"), (1, "reviewer@example.org"),
    ("position", "reviewer@example.org"), ("position", "admin@example.org"),
]

# Answers to the closed consultation: one row per demo account.
# (single choice index, multiple choice indexes, scale, ranking order by option index)
TRIALS_ANSWERS = [
    ("admin@example.org", 0, [0, 1], 2, [0, 2, 1]),
    ("moderator@example.org", 1, [0], 3, [0, 1, 2]),
    ("representative@example.org", 0, [1, 2], 1, [2, 0, 1]),
    ("reviewer@example.org", 1, [0, 3], 2, [0, 1, 2]),
    ("participant@example.org", 2, [0], 4, [1, 0, 2]),
]


def _users() -> dict[str, User]:
    return {u.email: u for u in db.session.scalars(
        select(User).where(User.email.like("%@example.org")))}


def _themes() -> list[Theme]:
    themes = []
    for fr, en in THEMES:
        theme = db.session.scalar(
            select(Theme).join(ThemeTranslation).where(
                ThemeTranslation.language == "fr", ThemeTranslation.label == fr)
        )
        if theme is None:
            theme = Theme(translations=[ThemeTranslation(language="fr", label=fr),
                                        ThemeTranslation(language="en", label=en)])
            db.session.add(theme)
        themes.append(theme)
    db.session.flush()
    return themes


def _consultation(moderator, texts, themes, questions, **settings) -> Consultation:
    consultation, _created = services.create_consultation(
        moderator, ConsultationSettings(texts=texts, theme_ids=[t.id for t in themes],
                                        **settings))
    for kind, required, question_texts in questions:
        services.add_question(moderator, consultation, kind=kind, required=required,
                              texts=question_texts)
    return consultation


def _contribution(consultation, author, body, **fields) -> Contribution:
    contribution = Contribution(consultation_id=consultation.id, author_id=author.id,
                                body=body, language="fr", **fields)
    db.session.add(contribution)
    db.session.flush()
    return contribution


def _load_living_after(moderator, users, themes) -> None:
    today = local_today()
    consultation = _consultation(
        moderator, LIVING_AFTER, themes[:3] + themes[4:], LIVING_QUESTIONS,
        opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=20),
        audience=Audience.EVERYONE, moderation_policy=ModerationPolicy.POST,
    )
    consultation.open(today)
    consultation.opens_on = today - timedelta(days=10)
    theme_ids = [t.id for t in consultation.themes]
    contributions = []
    for email, body, theme_index, _position in CONTRIBUTIONS:
        contributions.append(_contribution(consultation, users[email], body,
                                           theme_id=theme_ids[theme_index]))
    association = db.session.scalar(
        select(Association).where(
            Association.name == "Ensemble contre le cancer du sein en Île-de-France"))
    email, body, theme_index = POSITION
    position = _contribution(consultation, users[email], body, theme_id=theme_ids[theme_index],
                             association_id=association.id if association else None)
    for index, email, body in REPLIES:
        _contribution(consultation, users[email], body, parent_id=contributions[index].id)
    for target, email in SUPPORTS:
        contribution = contributions[target] if isinstance(target, int) else position
        db.session.add(ContributionSupport(contribution_id=contribution.id,
                                           user_id=users[email].id))
        contribution.support_count += 1
    db.session.flush()


def _load_trials(moderator, users, themes) -> None:
    today = local_today()
    consultation = _consultation(
        moderator, TRIALS, [themes[3], themes[4]], TRIALS_QUESTIONS,
        opens_on=today - timedelta(days=70), closes_on=today + timedelta(days=1),
        audience=Audience.EVERYONE, moderation_policy=ModerationPolicy.PRE,
    )
    consultation.open(today)
    consultation.opens_on = today - timedelta(days=70)
    single, multiple, scale, ranking = consultation.questions
    for email, choice, chosen, value, order in TRIALS_ANSWERS:
        response = ConsultationResponse(consultation_id=consultation.id, user_id=users[email].id,
                            submitted_at=utcnow())
        response.answers = (
            [ConsultationAnswer(question_id=single.id, option_id=single.options[choice].id)]
            + [ConsultationAnswer(question_id=multiple.id, option_id=multiple.options[i].id)
               for i in chosen]
            + [ConsultationAnswer(question_id=scale.id, number=value)]
            + [ConsultationAnswer(question_id=ranking.id, option_id=ranking.options[i].id,
                                  number=rank)
               for rank, i in enumerate(order, start=1)]
        )
        db.session.add(response)
    _contribution(
        consultation, users["reviewer@example.org"],
        "L’hôpital le plus proche qui proposait l’essai était à deux heures de chez moi. "
        "Sans aide pour le transport, j’ai dû refuser.",
        theme_id=themes[3].id,
    )
    consultation.close()
    consultation.closes_on = today - timedelta(days=10)
    db.session.flush()


def load_demo() -> None:
    """Create the demo consultations if they are missing."""
    exists = db.session.scalar(
        select(ConsultationTranslation.id).where(
            ConsultationTranslation.language == "fr",
            ConsultationTranslation.title == LIVING_AFTER["fr"].title)
    )
    if exists is not None:
        return
    users = _users()
    moderator = users.get("moderator@example.org")
    if moderator is None or any(email not in users for email, *_ in TRIALS_ANSWERS):
        return  # the demo accounts come first (engage.demo.load_accounts)
    themes = _themes()
    _load_trials(moderator, users, themes)
    _load_living_after(moderator, users, themes)
