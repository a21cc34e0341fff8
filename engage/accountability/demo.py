"""Demo data of the network's record: a full chain, in French and English, loaded by
`make run` (`flask engage demo`) after the other areas' demo data, which it builds on.

- A network officer account, `officer@example.org` (the demo password).
- The network's published response to the summary of the closed demo consultation « Accès
  aux essais cliniques » (engage/summaries/demo.py): four commitments citing the
  contributions the summary cites, one per status: planned; in progress, told by an
  update with a link; done; not retained, with its reason.
- Published priority results: « Essais cliniques : les 10 priorités… », whose top 10 a call
  can take up. The priorities demo's own exercise stays at its interim ranking (people try
  ranking on it), so the chain has a finished exercise of its own.
- A funding call decided after lay review, « Appel à projets 2025 : des essais cliniques plus
  proches des patients »: the lay review demo's call stays open for review (reviewers try
  reviewing on it), so this one is run through lay review's services from start to
  decision: applications, five lay reviewers assigned, their reviews submitted, review
  closed, call decided, two applications funded and one not. It declares that it answers
  research priority 1 and the commitment on travel costs.
- Its two funded projects, completed in the other language and published, one with an
  update (the project started).

Nothing confidential leaves lay review: the projects are made by
`services.create_funded_projects`, which copies the public fields and the aggregate count of
lay reviewers only.

Idempotent: nothing is created once the decided demo call exists (the whole chain is made in
the demo command's one transaction).
"""

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import select

from engage.accountability import services
from engage.accountability.models import CommitmentStatus, FundedProject, Response
from engage.accounts.models import Departement, ParticipantType, Role, User
from engage.consultations.models import Consultation, ConsultationTranslation
from engage.core.clock import local_today
from engage.core.commands import DEMO_PASSWORD
from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities.models import (
    DEFAULT_GROUPS,
    Exercise,
    ExerciseTranslation,
    GroupTranslation,
    IndicativeQuestion,
    QuestionTranslation,
    Stage,
    StageChange,
    StakeholderGroup,
)
from engage.reviews import services as reviews
from engage.reviews.demo import COMMENTS as REVIEW_COMMENTS
from engage.reviews.demo import REVIEWERS as DEMO_REVIEWERS
from engage.reviews.models import (
    Application,
    Decision,
    FundingCall,
    FundingCallTranslation,
    ReviewerProfile,
)
from engage.summaries.models import Citation, Summary, SummaryStatus

OFFICER_EMAIL = "officer@example.org"
OFFICER_NAME = "Odile Chargée de mission"
CONSULTATION_TITLE_FR = "Accès aux essais cliniques"  # engage/consultations/demo.py

# The commitments of the response: (status, French title and text, English title and text,
# owner, extra fields). `{c0}`…`{c4}`: the contributions the summary cites, oldest first.
COMMITMENTS: list[tuple[str, tuple[str, str], tuple[str, str], str, dict[str, Any]]] = [
    (CommitmentStatus.PLANNED,
     ("Publier une liste claire des essais ouverts en Île-de-France",
      "Beaucoup de patients ignorent que des essais existent [#{c1}]. Le réseau publiera "
      "chaque trimestre la liste des essais ouverts dans la région, en langage clair, avec "
      "les centres qui les proposent, comme une association l’a demandé [#{c2}]."),
     ("Publish a clear list of the trials open in Île-de-France",
      "Many patients do not know that trials exist [#{c1}]. Every quarter the network will "
      "publish the list of the trials open in the region, in plain language, with the "
      "centres that run them, as an association asked [#{c2}]."),
     "Cancéropôle Île-de-France – information des patients", {"due_days": 180}),
    (CommitmentStatus.IN_PROGRESS,
     ("Étudier le remboursement des transports vers les centres d’essais",
      "La distance empêche des personnes de participer [#{c0}]. Le réseau finance une étude "
      "sur le remboursement des transports des participants [#{c3}]."),
     ("Study paying back travel costs to trial centres",
      "Distance keeps people from taking part [#{c0}]. The network funds a study on paying "
      "back participants’ travel costs [#{c3}]."),
     "Cancéropôle Île-de-France – direction scientifique", {"due_days": 365}),
    (CommitmentStatus.DONE,
     ("Former les infirmières de recherche à expliquer les essais simplement",
      "Une explication simple aide à dire oui [#{c4}]. Une formation d’une journée a été "
      "proposée aux infirmières de recherche des centres du réseau."),
     ("Train research nurses to explain trials in plain words",
      "A simple explanation helps people say yes [#{c4}]. A one-day course was offered to "
      "the research nurses of the network’s centres."),
     "Institut de formation du réseau", {"done_days": -10}),
    (CommitmentStatus.NOT_RETAINED,
     ("Ouvrir un centre d’essais dans chaque département",
      "Des participants ont demandé des centres plus proches de chez eux [#{c0}]."),
     ("Open a trial centre in every département",
      "People asked for trial centres closer to home [#{c0}]."),
     "Cancéropôle Île-de-France", {"reasons": {
         "fr": "Un essai demande une équipe et des équipements spécialisés qu’on ne peut pas "
               "réunir partout. Le réseau préfère rapprocher les visites des patients : "
               "visites à domicile, consultations à distance, transports remboursés.",
         "en": "A trial needs a specialised team and equipment that cannot be brought "
               "together everywhere. The network prefers to bring the visits closer to "
               "patients: home visits, remote consultations, travel costs paid back."}}),
]
UPDATE_TEXTS = {
    "fr": "L’étude a commencé : 120 participants de quatre centres notent leurs trajets et "
          "leurs frais pendant six mois.",
    "en": "The study has started: 120 participants from four centres record their journeys "
          "and costs for six months.",
}
UPDATE_LINKS = [("https://www.e-cancer.fr/", "Institut national du cancer")]

EXERCISE_TEXTS = {
    "fr": {
        "title": "Essais cliniques : les 10 priorités de recherche des patients et des "
                 "soignants",
        "description": "Patients, proches et soignants ont envoyé leurs questions sur les "
                       "essais cliniques, les ont classées, puis un atelier final a choisi les "
                       "10 priorités, selon la méthode de la James Lind Alliance.",
        "scope": "Dans le champ : l’accès aux essais, l’information, la participation. Hors "
                 "du champ : les résultats d’un essai en particulier.",
    },
    "en": {
        "title": "Clinical trials: the top 10 research priorities of patients and clinicians",
        "description": "Patients, carers and clinicians sent their questions about clinical "
                       "trials and ranked them, then a final workshop agreed the top 10, "
                       "following the James Lind Alliance method.",
        "scope": "In scope: access to trials, information, taking part. Out of scope: the "
                 "results of any one trial.",
    },
}
# The top 10, first first: (French, English).
TOP_QUESTIONS = [
    ("Comment rendre les essais accessibles aux personnes qui vivent loin des centres ?",
     "How can trials be made accessible to people who live far from the centres?"),
    ("Quelle information aide les patients à décider de participer à un essai ?",
     "What information helps patients decide whether to take part in a trial?"),
    ("Les consultations à distance peuvent-elles remplacer une partie des visites d’un "
     "essai ?", "Can remote consultations replace some of a trial’s visits?"),
    ("Comment mieux inclure les personnes âgées dans les essais ?",
     "How can older people be better included in trials?"),
    ("Quel rôle jouent les infirmières de recherche dans la décision de participer ?",
     "What role do research nurses play in the decision to take part?"),
    ("Comment informer les participants des résultats d’un essai ?",
     "How should participants be told the results of a trial?"),
    ("Comment réduire ce que coûte une participation aux patients et à leurs proches ?",
     "How can the cost of taking part be reduced for patients and carers?"),
    ("Comment associer les patients à la conception des essais ?",
     "How can patients be involved in designing trials?"),
    ("Comment faire connaître les essais ouverts aux médecins traitants ?",
     "How can family doctors learn about open trials?"),
    ("Quels effets à long terme faut-il suivre après un essai ?",
     "Which long-term effects should be followed after a trial?"),
]

CALL_TITLE_FR = "Appel à projets 2025 : des essais cliniques plus proches des patients"
CALL_TEXTS = {
    "fr": (CALL_TITLE_FR,
           "Le réseau finance des projets qui rapprochent les essais cliniques des patients. "
           "Des relecteurs et relectrices patients ont donné leur avis sur chaque projet."),
    "en": ("2025 funding call: clinical trials closer to patients",
           "The network funds projects that bring clinical trials closer to patients. Lay "
           "reviewers gave their opinion on each project."),
}
# (application fields, decision, the other language's title and lay summary)
APPLICATIONS: list[tuple[dict[str, str], str, tuple[str, str] | None]] = [
    ({"acronym": "ESSAI-DOMICILE",
      "title": "Des visites d’essai à domicile pour les patients qui vivent loin",
      "summary_language": "fr",
      "lay_summary": "Beaucoup de patients renoncent à un essai parce que le centre est loin. "
                     "Une infirmière fera chez eux une partie des visites de l’essai. Nous "
                     "comparerons le nombre de personnes qui participent et restent dans "
                     "l’essai, avec ou sans ces visites.",
      "team": "Équipe d’hospitalisation à domicile et service d’oncologie",
      "institutions": "AP-HP – Hôpital Saint-Louis",
      "keywords": "essais cliniques, domicile, distance"},
     Decision.FUNDED,
     ("Trial visits at home for patients who live far away",
      "Many patients give up a trial because the centre is far away. A nurse will make some "
      "of the trial visits at their home. We will compare how many people take part and "
      "stay in the trial, with or without these visits.")),
    ({"acronym": "GUIDE-ESSAIS",
      "title": "A plain-language guide to clinical trials, written with patients",
      "summary_language": "en",
      "lay_summary": "Patients told us that trials are hard to understand. With patients "
                     "and carers, we will write a short guide in plain language and test "
                     "whether it helps people talk about trials with their doctor.",
      "team": "Clinical research unit and patient partners",
      "institutions": "Gustave Roussy",
      "keywords": "clinical trials, information, plain language"},
     Decision.FUNDED,
     ("Un guide des essais cliniques en langage clair, écrit avec des patients",
      "Des patients nous ont dit que les essais sont difficiles à comprendre. Avec des "
      "patients et des proches, nous écrirons un guide court en langage clair et nous "
      "verrons s’il aide à parler des essais avec son médecin.")),
    ({"acronym": "NAVETTE",
      "title": "Des navettes vers les centres d’essais",
      "summary_language": "fr",
      "lay_summary": "Une navette gratuite relierait les gares aux centres d’essais.",
      "team": "Service des transports",
      "institutions": "AP-HP – Hôpital Avicenne",
      "keywords": "transport, essais cliniques"},
     Decision.NOT_FUNDED, None),
]
# Lay reviewers of the decided call: the lay review demo's, and one more, so that the
# published count (5 and over only) shows.
EXTRA_REVIEWER = ("reviewer5@example.org", "Denise Lambert", "fr", ParticipantType.CARER, "77",
                  "essais cliniques, proches aidants, transport", "")
ASSIGNED = {"ESSAI-DOMICILE": (0, 1, 2), "GUIDE-ESSAIS": (3, 4)}  # reviewer indexes
PROJECT_UPDATE = {
    "fr": "Le projet a commencé : les premières visites à domicile ont eu lieu en Seine-"
          "Saint-Denis et dans le Val-d’Oise.",
    "en": "The project has started: the first home visits took place in Seine-Saint-Denis "
          "and Val-d’Oise.",
}


def load_demo() -> None:
    officer = _officer()
    if db.session.scalar(select(FundingCallTranslation.id).where(
            FundingCallTranslation.title == CALL_TITLE_FR)) is not None:
        return  # already loaded
    moderator = db.session.scalar(select(User).where(User.email == "moderator@example.org"))
    summary = _demo_summary()
    reviewers = _reviewers()
    if moderator is None or summary is None or reviewers is None:
        return  # the other areas' demo data come first
    response = services.response_to(summary=summary) or _respond(officer, summary)
    exercise = _published_exercise(moderator)
    call = _decided_call(moderator, reviewers)
    travel = next((c for c in response.commitments
                   if c.status == CommitmentStatus.IN_PROGRESS), None)
    first = db.session.scalar(select(IndicativeQuestion).where(
        IndicativeQuestion.exercise_id == exercise.id, IndicativeQuestion.final_rank == 1))
    services.link_call(officer, call, question=first)
    if travel is not None and response.is_published:
        services.link_call(officer, call, commitment=travel)
    _publish_projects(officer, call)
    db.session.flush()


def _officer() -> User:
    officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    if officer is None:
        officer = User(email=OFFICER_EMAIL, display_name=OFFICER_NAME, role=Role.OFFICER,
                       departement=Departement("75"), language="fr",
                       email_confirmed_at=utcnow(), privacy_consent_at=utcnow())
        officer.set_password(DEMO_PASSWORD)
        db.session.add(officer)
        db.session.flush()
    return officer


def _demo_summary() -> Summary | None:
    return db.session.scalar(
        select(Summary).join(Consultation, Consultation.id == Summary.consultation_id)
        .join(ConsultationTranslation)
        .where(ConsultationTranslation.language == "fr",
               ConsultationTranslation.title == CONSULTATION_TITLE_FR,
               Summary.status == SummaryStatus.PUBLISHED))


def _respond(officer: User, summary: Summary) -> Response:
    """The published response: one commitment per status, citing the summary's citations."""
    cited = list(db.session.scalars(select(Citation.contribution_id)
                                    .where(Citation.summary_id == summary.id)
                                    .order_by(Citation.contribution_id).distinct()))
    ids = {f"c{index}": cited[min(index, len(cited) - 1)] if cited else 0
           for index in range(5)}
    today = local_today()
    response, _created = services.start_response(officer, summary=summary)
    for status, french, english, owner, extra in COMMITMENTS:
        data = services.CommitmentInput(
            texts={"fr": (french[0], french[1].format(**ids)),
                   "en": (english[0], english[1].format(**ids))},
            owner=owner, starts_on=today - timedelta(days=120),
            reasons=extra.get("reasons", {}))
        if "due_days" in extra:
            data.due_on = today + timedelta(days=extra["due_days"])
        if status == CommitmentStatus.DONE:
            data.status, data.done_on = status, today + timedelta(days=extra["done_days"])
        elif status == CommitmentStatus.NOT_RETAINED:
            data.status = status
        services.add_commitment(officer, response, data)
    services.publish(officer, response)
    in_progress = next(c for c, (status, *_rest) in zip(response.commitments, COMMITMENTS,
                                                         strict=True)
                       if status == CommitmentStatus.IN_PROGRESS)
    services.add_update(officer, in_progress, texts=UPDATE_TEXTS, happened_on=today,
                        status=CommitmentStatus.IN_PROGRESS, links=UPDATE_LINKS)
    return response


def _published_exercise(moderator: User) -> Exercise:
    """The finished exercise whose top 10 the call takes up (made once)."""
    title = EXERCISE_TEXTS["fr"]["title"]
    existing = db.session.scalar(select(Exercise).join(ExerciseTranslation).where(
        ExerciseTranslation.title == title))
    if existing is not None:
        return existing
    now = utcnow()
    exercise = Exercise(
        stage=Stage.PUBLISHED, stage_changed_at=now - timedelta(days=20),
        gathering_ends_on=(now - timedelta(days=200)).date(),
        ranking_ends_on=(now - timedelta(days=90)).date(),
        workshop_on=(now - timedelta(days=30)).date(), workshop_size=10,
        published_at=now - timedelta(days=20), created_by_id=moderator.id,
        translations=[ExerciseTranslation(language=code, **texts)
                      for code, texts in EXERCISE_TEXTS.items()])
    exercise.created_at = now - timedelta(days=260)
    stages = list(Stage)
    days = [250, 200, 120, 90, 20]
    exercise.stage_changes = [
        StageChange(from_stage=before, to_stage=after, changed_at=now - timedelta(days=ago),
                    changed_by_id=moderator.id)
        for before, after, ago in zip(stages[:-1], stages[1:], days, strict=True)]
    exercise.groups = [
        StakeholderGroup(position=position, code=code, translations=[
            GroupTranslation(language=code_, label=label) for code_, label in labels.items()])
        for position, (code, labels) in enumerate(DEFAULT_GROUPS.items(), start=1)]
    db.session.add(exercise)
    for rank, (french, english) in enumerate(TOP_QUESTIONS, start=1):
        db.session.add(IndicativeQuestion(
            exercise=exercise, number=rank, interim_rank=rank, final_rank=rank,
            created_by_id=moderator.id,
            translations=[QuestionTranslation(language="fr", text=french),
                          QuestionTranslation(language="en", text=english)]))
    db.session.flush()
    return exercise


def _reviewers() -> list[User] | None:
    """The lay reviewers of the decided call (None without the lay review demo)."""
    emails = [row[0] for row in DEMO_REVIEWERS]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    if len(users) < len(emails):
        return None
    email, name, language, participant_type, departement, themes, institutions = EXTRA_REVIEWER
    extra = db.session.scalar(select(User).where(User.email == email))
    if extra is None:
        extra = User(email=email, display_name=name, role=Role.PARTICIPANT,
                     participant_type=participant_type, departement=Departement(departement),
                     language=language, lay_reviewer=True, email_confirmed_at=utcnow(),
                     privacy_consent_at=utcnow())
        extra.set_password(DEMO_PASSWORD)
        db.session.add(extra)
        db.session.flush()
        db.session.add(ReviewerProfile(user_id=extra.id, themes=themes,
                                       institutions=institutions))
        db.session.flush()
    return [*(users[email] for email in emails), extra]


def _decided_call(moderator: User, reviewers: list[User]) -> FundingCall:
    """The call, through lay review's services: applications, assignments, submitted
    reviews, review closed, call decided, decisions recorded."""
    today = local_today()
    call = reviews.create_call(moderator, texts=CALL_TEXTS,
                               review_opens_on=today - timedelta(days=45),
                               review_deadline=today)
    applications = {}
    for fields, _decision, _other in APPLICATIONS:
        applications[fields["acronym"]] = reviews.create_application(
            moderator, call, **cast(dict[str, Any], fields))
    for acronym, indexes in ASSIGNED.items():
        for index in indexes:
            reviews.assign(moderator, applications[acronym], reviewers[index], notify=False)
    # Opened as lay review's demo opens its call: without emailing the demo reviewers.
    call.open_for_review(today)
    db.session.flush()
    for acronym, indexes in ASSIGNED.items():
        for index in indexes:
            reviewer = reviewers[index]
            assignment = next(a for a in applications[acronym].assignments
                              if a.reviewer_id == reviewer.id)
            reviews.declare(reviewer, assignment, links=[], details="", no_conflict=True,
                            confidentiality=True)
            for_applicants, for_committee = REVIEW_COMMENTS[reviewer.language]
            reviews.save_review(
                reviewer, assignment,
                criteria={c.id: reviews.CriterionInput(4, for_applicants, for_committee)
                          for c in call.criteria},
                overall_score=4, overall_applicant_comment=for_applicants,
                overall_committee_comment=for_committee, submit=True)
    reviews.change_call_status(moderator, call, "close")
    reviews.change_call_status(moderator, call, "decide")
    for fields, decision, _other in APPLICATIONS:
        reviews.record_decision(moderator, applications[fields["acronym"]], decision, "")
    return call


def _publish_projects(officer: User, call: FundingCall) -> None:
    """The call's funded projects: completed in the other language, published; the first
    tells that it started."""
    services.create_funded_projects(officer, call)
    others = {fields["acronym"]: (fields, other) for fields, _decision, other in APPLICATIONS}
    projects = [cast(tuple[FundedProject, str], tuple(row)) for row in db.session.execute(
        select(FundedProject, Application.acronym)
        .join(Application, Application.id == FundedProject.application_id)
        .where(FundedProject.call_id == call.id)
        .order_by(Application.acronym.desc()))]
    for project, acronym in projects:
        fields, other = others[acronym]
        assert other is not None  # only funded applications become projects
        own = fields["summary_language"]
        texts = {own: (fields["title"], fields["lay_summary"]),
                 ("en" if own == "fr" else "fr"): other}
        services.edit_project(officer, project, texts=texts, institution=project.institution)
        services.publish_project(officer, project)
    started = next(project for project, acronym in projects if acronym == "ESSAI-DOMICILE")
    services.add_project_update(officer, started, kind="started", texts=PROJECT_UPDATE,
                                happened_on=local_today())
