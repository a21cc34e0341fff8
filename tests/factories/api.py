"""The data the API tests read: public content, and next to it everything that must never
come out (each secret carries a marker the tests search for in the raw JSON).

Built through the areas' services where they exist (consultations, summaries, priorities,
reviews), straight in the database otherwise (answers, hidden items).
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask_babel import force_locale

from engage.accounts.models import Departement, ParticipantType
from engage.consultations.models import (
    ConsultationAnswer,
    ConsultationResponse,
    ContributionSupport,
)
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.moderated import ModerationStatus, Report
from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.priorities import services as priorities
from engage.priorities.models import (
    Comment,
    QuestionStatus,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    Stage,
    Submission,
    text_fingerprint,
)
from engage.summaries import services as summaries
from tests.factories import consultations as builders

# Everything that must never appear in an API response.
SECRETS = {
    "hidden_body": "HIDDEN-CONTRIBUTION-MARKER",
    "pending_body": "PENDING-CONTRIBUTION-MARKER",
    "deleted_body": "DELETED-CONTRIBUTION-MARKER",
    "orphan_reply": "REPLY-TO-HIDDEN-MARKER",
    "moderation_note": "MODERATION-NOTE-MARKER",
    "report_details": "REPORT-DETAILS-MARKER",
    "draft_title": "DRAFT-CONSULTATION-MARKER",
    "draft_contribution": "CONTRIBUTION-IN-DRAFT-MARKER",
    "upcoming_title": "UPCOMING-CONSULTATION-MARKER",
    "draft_summary": "UNPUBLISHED-SUMMARY-MARKER",
    "review_note": "SUMMARY-REVIEW-NOTE-MARKER",
    "free_text_answer": "FREE-TEXT-ANSWER-MARKER",
    "unpublished_exercise": "UNPUBLISHED-EXERCISE-MARKER",
    "submission": "PRIORITY-SUBMISSION-MARKER",
    "priority_comment": "PRIORITY-COMMENT-MARKER",
    "application": "REVIEW-APPLICATION-MARKER",
    "review_comment": "LAY-REVIEW-COMMENT-MARKER",
    "declaration": "CONFLICT-DECLARATION-MARKER",
    "pseudonymous_real_name": "Realname Behind-Pseudonym",
    "pseudonymous_email": "pseudonymous-author@secret.example",
    "public_author_email": "public-author@secret.example",
    "representative_email": "representative@secret.example",
    "respondent_email": "respondent@secret.example",
}
PSEUDONYM = "Lune Pseudonyme"
PUBLIC_NAME = "Camille Public"


@dataclass
class World:
    ids: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.ids[key]


def _people(world: World) -> dict:
    pseudonymous = builders.user(
        "participant", email=SECRETS["pseudonymous_email"],
        display_name=SECRETS["pseudonymous_real_name"], pseudonym=PSEUDONYM,
        use_pseudonym=True, participant_type=ParticipantType.PATIENT,
        departement=Departement.PARIS)
    public = builders.user("participant", email=SECRETS["public_author_email"],
                           display_name=PUBLIC_NAME, participant_type=ParticipantType.CARER,
                           departement=Departement.ESSONNE)
    representative = builders.user("representative", email=SECRETS["representative_email"],
                                   display_name="Rep Resentative",
                                   participant_type=ParticipantType.ASSOCIATION)
    # Seven patients from Paris answer the questionnaire (the first one leaves a draft), and
    # three people who did not say who they are: cells of at least 5 people are shown.
    respondents = [builders.user("participant", participant_type=ParticipantType.PATIENT,
                                 departement=Departement.PARIS,
                                 email=f"{n}-{SECRETS['respondent_email']}")
                   for n in range(7)]
    respondents += [builders.user("participant", email=f"{n}-{SECRETS['respondent_email']}")
                    for n in range(7, 10)]
    moderator = builders.user("moderator")
    world.ids.update(pseudonymous_id=pseudonymous.id, public_id=public.id,
                     moderator_id=moderator.id)
    return {"pseudonymous": pseudonymous, "public": public, "representative": representative,
            "respondents": respondents, "moderator": moderator}


def _answers(consultation, respondents) -> None:
    """Submitted questionnaires (and one draft): choice, scale, ranking and free text."""
    single, multiple, scale, ranking, free = consultation.questions
    for index, person in enumerate(respondents):
        response = ConsultationResponse(consultation_id=consultation.id, user_id=person.id,
                                        submitted_at=utcnow() if index else None)
        response.answers = [
            ConsultationAnswer(question_id=single.id, option_id=single.options[index % 2].id),
            ConsultationAnswer(question_id=multiple.id, option_id=multiple.options[0].id),
            ConsultationAnswer(question_id=multiple.id, option_id=multiple.options[2].id),
            ConsultationAnswer(question_id=scale.id, number=(index % 5) + 1),
            ConsultationAnswer(question_id=ranking.id, option_id=ranking.options[0].id,
                               number=1),
            ConsultationAnswer(question_id=ranking.id, option_id=ranking.options[1].id,
                               number=2),
            ConsultationAnswer(question_id=free.id,
                               text=f"{SECRETS['free_text_answer']} {index}"),
        ]
        db.session.add(response)


def _consultations(world: World, people: dict) -> None:
    health = builders.theme("Santé", "Health")
    work = builders.theme("Travail", None)  # French only: English readers get the fallback
    closed = builders.consultation("closed", with_questions=True, themes=[health],
                                   author=people["moderator"])
    opened = builders.consultation("open", themes=[work], author=people["moderator"])
    draft = builders.consultation("draft", author=people["moderator"], texts={
        "fr": builders.services.ConsultationText(SECRETS["draft_title"], "", ""),
        "en": builders.services.ConsultationText(SECRETS["draft_title"], "", "")})
    upcoming = builders.consultation("upcoming", author=people["moderator"], texts={
        "fr": builders.services.ConsultationText(SECRETS["upcoming_title"], "", "")})
    association = builders.association("Association Soleil", people["representative"])

    pseudonymous, public = people["pseudonymous"], people["public"]
    first = builders.contribution(closed, pseudonymous, "Des essais plus près de chez nous.",
                                  language="fr", theme_id=health.id)
    second = builders.contribution(closed, public, "Rembourser le transport.", language="en")
    position = builders.contribution(closed, people["representative"],
                                     "Notre association demande un registre.",
                                     association_id=association.id, language="fr")
    reply = builders.contribution(closed, public, "I agree.", parent_id=first.id,
                                  language="en")
    hidden = builders.contribution(closed, public, SECRETS["hidden_body"])
    hidden.hide(people["moderator"], "offensive", SECRETS["moderation_note"])
    orphan = builders.contribution(closed, pseudonymous, SECRETS["orphan_reply"],
                                   parent_id=hidden.id)
    pending = builders.contribution(closed, public, SECRETS["pending_body"],
                                    moderation_status=ModerationStatus.PENDING)
    deleted = builders.contribution(closed, public, SECRETS["deleted_body"],
                                    deleted_at=utcnow())
    in_draft = builders.contribution(draft, public, SECRETS["draft_contribution"])
    on_open = builders.contribution(opened, pseudonymous, "Le travail après un cancer.",
                                    language="fr", theme_id=work.id)
    db.session.flush()
    # A moderator's theme tag (besides the author's choice) and supports.
    db.session.add(ContributionTheme(contribution_id=second.id, theme_id=work.id))
    db.session.add_all([ContributionSupport(contribution_id=first.id, user_id=u.id)
                        for u in (public, people["representative"])])
    first.support_count = 2
    db.session.add(Report(target_type="contribution", target_id=first.id,
                          reporter_id=public.id, reason="other",
                          details=SECRETS["report_details"]))
    first.open_report_count = 1
    _answers(closed, people["respondents"])
    db.session.flush()
    world.ids.update(
        health_theme=health.id, work_theme=work.id, closed_id=closed.id, open_id=opened.id,
        draft_id=draft.id, upcoming_id=upcoming.id, association_id=association.id,
        first_id=first.id, second_id=second.id, position_id=position.id, reply_id=reply.id,
        hidden_id=hidden.id, orphan_id=orphan.id, pending_id=pending.id, deleted_id=deleted.id,
        in_draft_id=in_draft.id, on_open_id=on_open.id,
        public_contributions=[first.id, second.id, position.id, reply.id, on_open.id],
    )


def _summaries(world: World, people: dict) -> None:
    from engage.consultations.models import Consultation

    moderator, second_moderator = people["moderator"], builders.user("moderator")
    closed = db.session.get(Consultation, world["closed_id"])
    summary, _created = summaries.start(moderator, closed)
    summaries.save(moderator, summary, {
        "fr": f"Les patients veulent des essais proches [#{world['first_id']}]. "
              f"Texte masqué [#{world['hidden_id']}].",
        "en": f"Patients want trials nearby [#{world['first_id']}]."})
    summaries.submit(moderator, summary)
    summaries.approve(second_moderator, summary)
    summaries.save_response(moderator, summary, {"fr": "Nous agirons.", "en": "We will act."},
                            local_today())
    other = builders.consultation("closed", author=moderator)
    draft, _created = summaries.start(moderator, other)
    summaries.save(moderator, draft, {"fr": SECRETS["draft_summary"],
                                      "en": SECRETS["draft_summary"]})
    summaries.submit(moderator, draft)
    summaries.return_to_draft(second_moderator, draft, SECRETS["review_note"])
    db.session.flush()
    world.ids.update(summary_id=summary.id, draft_summary_id=draft.id,
                     unsummarised_id=other.id)


def _exercise(people: dict, title: str, **fields):
    return priorities.create_exercise(people["moderator"], texts={
        "fr": {"title": title, "description": "Description", "scope": "Périmètre"},
        "en": {"title": title, "description": "Description", "scope": "Scope"}}, **fields)


def _priorities(world: World, people: dict) -> None:
    moderator = people["moderator"]
    published = _exercise(people, "Priorités publiées", workshop_size=2)
    patients, professionals = published.groups
    submission = Submission(exercise_id=published.id, group_id=patients.id,
                            author_id=people["public"].id, text=SECRETS["submission"],
                            text_hash=text_fingerprint(SECRETS["submission"]), language="fr")
    db.session.add(submission)
    questions = []
    for number in range(1, 5):
        rows = [QuestionTranslation(language="fr", text=f"Question {number} ?"),
                QuestionTranslation(language="en", text=f"Question {number}?",
                                    population="Adults")]
        status = QuestionStatus.KEPT if number < 4 else QuestionStatus.OUT_OF_SCOPE
        from engage.priorities.models import IndicativeQuestion

        question = IndicativeQuestion(exercise_id=published.id, number=number, status=status,
                                      translations=rows)
        db.session.add(question)
        questions.append(question)
    db.session.flush()
    questions[0].submissions = [submission]
    db.session.add(Comment(question_id=questions[0].id, author_id=people["public"].id,
                           body=SECRETS["priority_comment"],
                           body_hash=text_fingerprint(SECRETS["priority_comment"])))
    published.stage = Stage.INTERIM_RANKING
    for person, group, order in (
        (people["public"], patients, [questions[0], questions[1]]),
        (people["pseudonymous"], patients, [questions[1], questions[0], questions[2]]),
        (people["representative"], professionals, [questions[2]]),
    ):
        db.session.add(Ranking(exercise_id=published.id, user_id=person.id, group_id=group.id,
                               entries=[RankingEntry(question_id=q.id, position=p)
                                        for p, q in enumerate(order, start=1)]))
    db.session.flush()
    priorities.move_stage(moderator, published, Stage.FINAL_WORKSHOP)
    shortlisted = priorities.shortlist(published)
    priorities.record_workshop_order(moderator, published, {
        q.id: place for place, q in enumerate(reversed(shortlisted), start=1)})
    priorities.move_stage(moderator, published, Stage.PUBLISHED)
    hidden = _exercise(people, SECRETS["unpublished_exercise"])
    hidden.stage = Stage.INTERIM_RANKING
    db.session.flush()
    world.ids.update(exercise_id=published.id, unpublished_exercise_id=hidden.id,
                     priority_question_ids=[q.id for q in questions],
                     patients_group=patients.id, professionals_group=professionals.id)


def _reviews(world: World, people: dict) -> None:
    from engage.reviews import services as reviews
    from engage.reviews.models import (
        Application,
        Assignment,
        CallStatus,
        ConflictDeclaration,
        Review,
    )

    call = reviews.create_call(people["moderator"], texts={"en": ("Call", "")},
                               review_opens_on=local_today() - timedelta(days=1),
                               review_deadline=local_today() + timedelta(days=10))
    call.status = CallStatus.OPEN
    application = Application(call=call, acronym="SECRET", title=SECRETS["application"],
                              lay_summary=SECRETS["application"], summary_language="en")
    assignment = Assignment(application=application, reviewer=people["public"],
                            no_conflict_declared_at=utcnow(),
                            confidentiality_accepted_at=utcnow())
    declaration = ConflictDeclaration(assignment=assignment, links=[],
                                      details=SECRETS["declaration"])
    review = Review(assignment=assignment, overall_score=4,
                    overall_applicant_comment=SECRETS["review_comment"])
    db.session.add_all([application, assignment, declaration, review])
    db.session.flush()


def _record(world: World) -> None:
    """The network's record: a published commitment answering the published summary, and a
    published project of a call decided without lay reviewers (issue 19)."""
    from engage.accountability import services as accountability
    from engage.summaries.models import Summary
    from tests.factories import accountability as record

    officer = builders.user("officer")
    summary = db.session.get(Summary, world["summary_id"])
    response, _created = accountability.start_response(officer, summary=summary)
    accountability.add_commitment(officer, response, record.commitment_input(
        text=f"Trials nearby [#{world['first_id']}]."))
    accountability.publish(officer, response)
    (project,) = accountability.create_funded_projects(
        officer, record.decided_call(0, title="Funded call"))
    accountability.publish_project(officer, project)
    db.session.flush()
    world.ids.update(commitment_id=response.commitments[0].id, project_id=project.id)


def build(app) -> World:
    """Everything, committed; ids in the returned World."""
    world = World()
    with app.test_request_context("/en/"), force_locale("en"):
        people = _people(world)
        _consultations(world, people)
        _summaries(world, people)
        _priorities(world, people)
        _reviews(world, people)
        _record(world)
        db.session.commit()
    return world


@pytest.fixture
def world(app):
    """The API tests' world (tests/api: `world`)."""
    return build(app)
