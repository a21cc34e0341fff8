"""Accountability: what the network's responses answer (a published summary, published
priority results), responses and commitments, decided funding calls with lay reviews.

Plain builders: inside an application context (a request context where a summary is
published: it sends emails), they flush and return objects.
"""

from datetime import date, timedelta

from engage.accountability import services
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities import services as priorities
from engage.priorities.models import (
    IndicativeQuestion,
    QuestionTranslation,
    Stage,
    Submission,
    text_fingerprint,
)
from engage.reviews import services as reviews
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    Decision,
    Review,
    ReviewScore,
    ReviewStatus,
)
from tests.factories import summaries
from tests.factories.users import user

# Written by reviewers and the committee: none of it may ever leave lay review.
CONFIDENTIAL = {
    "applicant comment": "Secret remark for the applicants 7391",
    "committee comment": "Secret remark for the committee 7392",
    "decision note": "Secret note of the committee 7393",
    "team": "Dr Confidential Teamleader",
}


def officer(**fields):
    return user("officer", **fields)


def published_summary():
    """(summary, contributions): a closed consultation's published summary, citing its two
    contributions."""
    moderator, consultation, items = summaries.closed_consultation()
    return summaries.published(moderator, consultation, items), items


def exercise(stage: str = Stage.PUBLISHED, questions: int = 3, author=None):
    """A priority exercise at `stage`, with `questions` indicative questions (Q1, Q2...)."""
    moderator = user("moderator")
    item = priorities.create_exercise(moderator, texts={
        "fr": {"title": "Cancers de l’enfant", "description": "", "scope": ""},
        "en": {"title": "Childhood cancers", "description": "", "scope": ""}})
    item.stage = stage
    author = author or user("participant")
    for number in range(1, questions + 1):
        text = f"Raw question {number}"
        db.session.add(IndicativeQuestion(
            exercise_id=item.id, number=number, final_rank=number,
            submissions=[Submission(exercise_id=item.id, group_id=item.groups[0].id,
                                    author_id=author.id, text=text,
                                    text_hash=text_fingerprint(text), language="en")],
            translations=[QuestionTranslation(language="en", text=f"Question {number}?")]))
    db.session.flush()
    return item


def commitment_input(title: str = "Pay travel costs back", **fields):
    texts = fields.pop("texts", None) or {
        "en": (title, fields.pop("text", "We will pay travel costs back.")),
        "fr": (fields.pop("title_fr", "Rembourser les transports"),
               "Nous rembourserons les transports."),
    }
    return services.CommitmentInput(texts=texts, owner=fields.pop("owner", "Patient office"),
                                    **fields)


def response(actor, *, summary=None, exercise=None, commitments: int = 1, publish=True):
    """A response with `commitments` planned commitments, published unless told not to."""
    item, _created = services.start_response(actor, summary=summary, exercise=exercise)
    for number in range(commitments):
        services.add_commitment(actor, item, commitment_input(f"Commitment {number + 1}"))
    if publish:
        services.publish(actor, item)
    return item


def followed_commitment(person, published_exercise):
    """A published commitment answering the exercise's results, followed by `person`."""
    item = response(officer(), exercise=published_exercise)
    commitment = item.commitments[0]
    services.follow(person, commitment)
    return commitment


def decided_call(reviewers: int, *, decisions=(Decision.FUNDED,), title="Living after cancer",
                 status: str = CallStatus.DECIDED):
    """A call (decided unless told otherwise) whose applications got `decisions` (APP1,
    APP2...); `reviewers` lay reviewers each submitted a review of the first application
    (scores and comments in CONFIDENTIAL)."""
    moderator = user("moderator")
    call = reviews.create_call(moderator, texts={"en": (title, ""), "fr": (title, "")},
                               review_opens_on=local_today() - timedelta(days=30),
                               review_deadline=local_today() - timedelta(days=1))
    applications = []
    for number, decision in enumerate(decisions, start=1):
        application = Application(
            call=call, acronym=f"APP{number}", title=f"Walking after chemotherapy {number}",
            lay_summary=f"We will see whether walking helps, project {number}.",
            summary_language="en", team=CONFIDENTIAL["team"],
            institutions="Institut Curie\nHôpital Saint-Louis", decision=decision,
            decision_note=CONFIDENTIAL["decision note"], decided_at=utcnow(),
            decided_by_id=moderator.id)
        db.session.add(application)
        applications.append(application)
    db.session.flush()
    for _number in range(reviewers):
        reviewer = user("participant", lay_reviewer=True)
        assignment = Assignment(application_id=applications[0].id, reviewer_id=reviewer.id,
                                no_conflict_declared_at=utcnow(),
                                confidentiality_accepted_at=utcnow())
        db.session.add(assignment)
        db.session.flush()
        review = Review(assignment_id=assignment.id, status=ReviewStatus.SUBMITTED,
                        overall_score=2, submitted_at=utcnow(),
                        overall_applicant_comment=CONFIDENTIAL["applicant comment"],
                        overall_committee_comment=CONFIDENTIAL["committee comment"])
        review.scores = [ReviewScore(criterion_id=criterion.id, score=2,
                                     applicant_comment=CONFIDENTIAL["applicant comment"],
                                     committee_comment=CONFIDENTIAL["committee comment"])
                         for criterion in call.criteria]
        db.session.add(review)
    call.status = status
    db.session.flush()
    return call


def some_day(days: int = 0) -> date:
    return date(2026, 3, 1) + timedelta(days=days)

