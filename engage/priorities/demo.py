"""Demo data: one bilingual exercise at the interim ranking stage, with submissions,
indicative questions (two set aside), comments and three rankings from the demo accounts.
Running it again changes nothing."""

from datetime import timedelta

from sqlalchemy import select

from engage.accounts.models import User
from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities.models import (
    DEFAULT_GROUPS,
    Comment,
    EvidenceReference,
    Exercise,
    ExerciseTranslation,
    GroupCode,
    GroupTranslation,
    IndicativeQuestion,
    QuestionStatus,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    Stage,
    StageChange,
    StakeholderGroup,
    Submission,
    text_fingerprint,
)

TITLE_FR = "Vivre après un cancer : quelles questions la recherche doit-elle traiter d’abord ?"
TITLE_EN = "Living after cancer: which questions should research answer first?"

EXERCISE = {
    "fr": {
        "title": TITLE_FR,
        "description": (
            "Vous avez eu un cancer, vous accompagnez un proche, ou vous soignez des personnes "
            "après un cancer ? Dites-nous quelles questions sur **la vie après les traitements** "
            "la recherche devrait étudier en priorité.\n\n"
            "Nous suivons la méthode de la James Lind Alliance : les questions reçues sont "
            "regroupées, classées par les participants, puis un atelier final choisit les 10 "
            "priorités."
        ),
        "scope": (
            "Dans le champ : la fatigue, le retour au travail, les effets tardifs des "
            "traitements, la peur de la récidive, le suivi, les proches aidants.\n\n"
            "Hors du champ : le diagnostic et les traitements du cancer lui-même, les questions "
            "juridiques ou d’assurance."
        ),
    },
    "en": {
        "title": TITLE_EN,
        "description": (
            "Have you had cancer, do you support someone who has, or do you care for people "
            "after cancer? Tell us which questions about **life after treatment** research "
            "should study first.\n\n"
            "We follow the James Lind Alliance method: the questions received are grouped, "
            "ranked by the participants, then a final workshop agrees the top 10."
        ),
        "scope": (
            "In scope: fatigue, returning to work, late effects of treatment, fear of "
            "recurrence, follow-up, carers.\n\n"
            "Out of scope: diagnosing and treating the cancer itself, legal or insurance "
            "questions."
        ),
    },
}

# (number, status, French, English, extra fields per language, reference, evidence)
QUESTIONS = [
    (1, QuestionStatus.KEPT,
     "Comment réduire la fatigue qui dure des mois, voire des années, après un cancer ?",
     "How can fatigue that lasts months or years after cancer be reduced?",
     {"fr": {"explanation": "Beaucoup de personnes restent très fatiguées longtemps après la "
                            "fin des traitements. On ne sait pas bien ce qui aide le plus.",
             "population": "Adultes ayant terminé leurs traitements",
             "intervention": "Activité physique adaptée", "comparison": "Suivi habituel",
             "outcome": "Fatigue au bout de six mois"},
      "en": {"explanation": "Many people stay very tired long after treatment ends. We do not "
                            "know well what helps most.",
             "population": "Adults who have finished treatment",
             "intervention": "Adapted physical activity", "comparison": "Usual follow-up",
             "outcome": "Fatigue after six months"}},
     "", ["Mustian KM et al. JAMA Oncology, 2017: exercise and psychological treatments "
          "for cancer-related fatigue"]),
    (2, QuestionStatus.KEPT,
     "Quels accompagnements aident le mieux à reprendre le travail après un cancer ?",
     "What support best helps people return to work after cancer?", {}, "", []),
    (3, QuestionStatus.KEPT,
     "Comment prévenir et soigner les troubles de la mémoire et de la concentration après une "
     "chimiothérapie ?",
     "How can memory and concentration problems after chemotherapy be prevented and treated?",
     {}, "", []),
    (4, QuestionStatus.KEPT,
     "Quel suivi permet de repérer tôt une rechute sans créer d’angoisse inutile ?",
     "What follow-up finds a relapse early without causing needless worry?", {}, "", []),
    (5, QuestionStatus.KEPT,
     "Comment aider les proches aidants à tenir dans la durée ?",
     "How can carers be helped to cope over the long term?", {}, "", []),
    (6, QuestionStatus.KEPT,
     "Quels effets tardifs des traitements sur le cœur faut-il surveiller, et comment ?",
     "Which late effects of treatment on the heart should be monitored, and how?", {}, "", []),
    (7, QuestionStatus.KEPT,
     "Comment réduire la peur que le cancer revienne ?",
     "How can the fear of the cancer coming back be reduced?", {}, "", []),
    (8, QuestionStatus.KEPT,
     "Ce que l’on mange après un cancer change-t-il le risque de récidive ?",
     "Does what people eat after cancer change the risk of recurrence?", {}, "", []),
    (9, QuestionStatus.OUT_OF_SCOPE,
     "Les banques et les assurances peuvent-elles refuser un prêt après un cancer ?",
     "Can banks and insurers refuse a loan after cancer?",
     {"fr": {"reason": "C’est une question de droit, pas de recherche. Le « droit à l’oubli » "
                       "y répond en partie ; l’association Vivre après un cancer peut vous "
                       "renseigner."},
      "en": {"reason": "This is a legal question, not a research one. The French “right to be "
                       "forgotten” answers part of it; the association Vivre après un cancer "
                       "can advise you."}},
     "", []),
    (10, QuestionStatus.ALREADY_ANSWERED,
     "L’activité physique améliore-t-elle la qualité de vie après un cancer ?",
     "Does physical activity improve quality of life after cancer?",
     {"fr": {"reason": "Oui : des essais et une revue Cochrane l’ont montré."},
      "en": {"reason": "Yes: trials and a Cochrane review have shown it."}},
     "Mishra SI et al. Exercise interventions on health-related quality of life for cancer "
     "survivors. Cochrane Database of Systematic Reviews 2012, CD007566.", []),
]

# (author email or None for a paper form, group, language, text, question number)
SUBMISSIONS = [
    ("reviewer@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Je suis toujours épuisé deux ans après ma chimio. Est-ce que le sport aide vraiment ?", 1),
    ("participant@example.org", GroupCode.PATIENTS_CARERS, "en",
     "My wife still has no energy a year after treatment. What actually works for this "
     "tiredness?", 1),
    (None, GroupCode.HEALTH_PROFESSIONALS, "fr",
     "Quels programmes de réadaptation réduisent le mieux la fatigue après les traitements ?",
     1),
    ("representative@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Nos adhérentes ont du mal à retourner au travail : qu’est-ce qui marche ?", 2),
    ("reviewer@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Mon employeur ne sait pas comment adapter mon poste. Qui peut nous aider ?", 2),
    ("participant@example.org", GroupCode.PATIENTS_CARERS, "en",
     "After chemo I forget words and lose my train of thought. Will it get better, and what "
     "helps?", 3),
    ("representative@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Le « chemo brain » est-il pris au sérieux par la recherche ?", 3),
    ("reviewer@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Pourquoi faire un scanner tous les six mois si cela m’angoisse autant ?", 4),
    (None, GroupCode.HEALTH_PROFESSIONALS, "fr",
     "Comment partager le suivi entre l’oncologue et le médecin traitant ?", 4),
    ("participant@example.org", GroupCode.PATIENTS_CARERS, "en",
     "As a carer I am exhausted. Is there research on what helps carers keep going?", 5),
    ("representative@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Quels sont les risques pour le cœur après une radiothérapie du sein ?", 6),
    (None, GroupCode.HEALTH_PROFESSIONALS, "fr",
     "À quel rythme surveiller le cœur après des anthracyclines ?", 6),
    ("reviewer@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Comment vivre avec la peur que le cancer revienne ?", 7),
    ("participant@example.org", GroupCode.PATIENTS_CARERS, "en",
     "Should I change what I eat to stop the cancer coming back?", 8),
    ("representative@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Pourquoi les banques nous demandent-elles encore notre dossier médical ?", 9),
    ("reviewer@example.org", GroupCode.PATIENTS_CARERS, "fr",
     "Le sport améliore-t-il la qualité de vie après un cancer ?", 10),
    ("participant@example.org", GroupCode.PATIENTS_CARERS, "en",
     "Is there anything to help with sleep problems after treatment?", None),
]

COMMENTS = [
    ("reviewer@example.org", 1, "Merci, c’est exactement ma question. La fatigue m’empêche de "
                                "reprendre une vie normale."),
    ("participant@example.org", 5, "Please think of carers who also work full time."),
    ("representative@example.org", 3, "Nos adhérentes le confirment : c’est un vrai sujet au "
                                       "travail, souvent ignoré."),
]

# email -> question numbers, 1st first (all in the patients and carers group)
RANKINGS = {
    "participant@example.org": [5, 1, 3, 7, 2],
    "reviewer@example.org": [1, 7, 4, 2, 3, 6],
    "representative@example.org": [2, 3, 1, 6, 8],
}


def load_demo() -> bool:
    """Create the demo exercise if it is missing; True if it was created."""
    exists = db.session.scalar(
        select(ExerciseTranslation.id).where(ExerciseTranslation.title == TITLE_FR)
    )
    if exists is not None:
        return False
    emails = {e for e, *_ in SUBMISSIONS if e} | set(RANKINGS) | {"moderator@example.org"}
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    moderator = users.get("moderator@example.org")
    now = utcnow()
    exercise = Exercise(
        stage=Stage.INTERIM_RANKING,
        stage_changed_at=now - timedelta(days=7),
        gathering_ends_on=(now - timedelta(days=30)).date(),
        ranking_ends_on=(now + timedelta(days=21)).date(),
        workshop_on=(now + timedelta(days=45)).date(),
        created_by_id=moderator.id if moderator else None,
        translations=[ExerciseTranslation(language=lang, **values)
                      for lang, values in EXERCISE.items()],
    )
    exercise.created_at = now - timedelta(days=75)
    history = [(Stage.DRAFT, Stage.GATHERING, 70), (Stage.GATHERING, Stage.PROCESSING, 30),
               (Stage.PROCESSING, Stage.INTERIM_RANKING, 7)]
    exercise.stage_changes = [
        StageChange(from_stage=a, to_stage=b, changed_at=now - timedelta(days=days),
                    changed_by_id=moderator.id if moderator else None)
        for a, b, days in history
    ]
    groups = {}
    for position, (code, labels) in enumerate(DEFAULT_GROUPS.items(), start=1):
        groups[code] = StakeholderGroup(position=position, code=code, translations=[
            GroupTranslation(language=lang, label=label) for lang, label in labels.items()])
    exercise.groups = list(groups.values())
    db.session.add(exercise)

    questions = {}
    for number, status, text_fr, text_en, extra, reference, evidence in QUESTIONS:
        question = IndicativeQuestion(
            exercise=exercise, number=number, status=status, answered_reference=reference,
            created_by_id=moderator.id if moderator else None,
            translations=[
                QuestionTranslation(language="fr", text=text_fr, **extra.get("fr", {})),
                QuestionTranslation(language="en", text=text_en, **extra.get("en", {})),
            ],
            evidence=[EvidenceReference(position=i, reference=ref)
                      for i, ref in enumerate(evidence, start=1)],
        )
        questions[number] = question
        db.session.add(question)

    for index, (email, code, language, text, linked_number) in enumerate(SUBMISSIONS):
        author = users.get(email) if email else None
        submission = Submission(
            exercise=exercise, group=groups[code], author_id=author.id if author else None,
            text=text, text_hash=text_fingerprint(text), language=language,
        )
        submission.created_at = now - timedelta(days=65 - index * 2)
        if linked_number:
            questions[linked_number].submissions.append(submission)
        db.session.add(submission)

    db.session.flush()
    for email, number, body in COMMENTS:
        if email in users:
            db.session.add(Comment(question_id=questions[number].id, author_id=users[email].id,
                                   body=body, body_hash=text_fingerprint(body)))
    for email, numbers in RANKINGS.items():
        if email in users:
            db.session.add(Ranking(
                exercise_id=exercise.id, user_id=users[email].id,
                group_id=groups[GroupCode.PATIENTS_CARERS].id,
                entries=[RankingEntry(question_id=questions[n].id, position=p)
                         for p, n in enumerate(numbers, start=1)],
            ))
    db.session.flush()
    return True
