"""Lay review: calls, applications, reviewers, assignments, reviews (`ReviewWorld`, the
`world` fixture of tests/reviews: each call commits and returns an id), and the review form's
data (`review_payload`)."""

from datetime import timedelta

import pytest

from engage.accounts.models import Role, User
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.extensions import db
from engage.reviews import services
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    FundingCall,
    Review,
    ReviewerProfile,
    ReviewScore,
    ReviewStatus,
)
from tests.factories import detached


class ReviewWorld:
    def __init__(self, app, factory):
        self.app = app
        self.factory = factory
        self.acronyms = 0
        self._staff_id = None

    @property
    def staff_id(self) -> int:
        """The moderator who creates the calls (built on first use)."""
        if self._staff_id is None:
            self._staff_id = self.moderator(email="review-staff@example.org")
        return self._staff_id

    def moderator(self, **fields) -> int:
        return self.factory.user(role=Role.MODERATOR, language="en", **fields)

    def call(self, status=CallStatus.OPEN, deadline_in=10, reviews_per_application=3,
             title_en="Living better after cancer", title_fr="Mieux vivre après un cancer") -> int:
        staff_id = self.staff_id
        with self.app.app_context():
            actor = db.session.get(User, staff_id)
            texts = {"en": (title_en, "A call."), "fr": (title_fr, "Un appel.")}
            call = services.create_call(
                actor, texts=texts, review_opens_on=local_today() - timedelta(days=30),
                review_deadline=local_today() + timedelta(days=deadline_in),
                reviews_per_application=reviews_per_application)
            call.status = status
            db.session.commit()
            return call.id

    def criteria(self, call_id) -> list[int]:
        with self.app.app_context():
            return list(db.session.scalars(
                db.select(Criterion.id).where(Criterion.call_id == call_id)
                .order_by(Criterion.position, Criterion.id)))

    def application(self, call_id, acronym=None, **fields) -> int:
        self.acronyms += 1
        with self.app.app_context():
            application = Application(
                call_id=call_id, acronym=acronym or f"APP{self.acronyms}",
                title=fields.pop("title", f"Project {self.acronyms}"),
                lay_summary=fields.pop("lay_summary", "We will test a new care pathway. "
                                       "Patients will tell us how they feel."),
                summary_language=fields.pop("summary_language", "en"), **fields)
            db.session.add(application)
            db.session.commit()
            return application.id

    def reviewer(self, themes="", institutions="", language="en", **fields) -> int:
        user_id = self.factory.user(lay_reviewer=True, language=language, **fields)
        if themes or institutions:
            with self.app.app_context():
                db.session.add(ReviewerProfile(user_id=user_id, themes=themes,
                                               institutions=institutions))
                db.session.commit()
        return user_id

    def assign(self, application_id, reviewer_id, cleared=True) -> int:
        with self.app.app_context():
            assignment = Assignment(application_id=application_id, reviewer_id=reviewer_id)
            db.session.add(assignment)
            db.session.flush()
            if cleared:
                assignment.no_conflict_declared_at = utcnow()
                assignment.confidentiality_accepted_at = utcnow()
                db.session.add(ConflictDeclaration(assignment_id=assignment.id, links=[],
                                                   confidentiality_accepted=True))
            db.session.commit()
            return assignment.id

    def review(self, assignment_id, scores, overall, submit=True, applicant="Fine.",
               committee="Between us.") -> int:
        """`scores`: one per criterion, in rubric order (None for no score)."""
        with self.app.app_context():
            assignment = db.session.get(Assignment, assignment_id)
            criteria = assignment.application.call.criteria
            if isinstance(scores, int):
                scores = [scores] * len(criteria)
            review = Review(assignment=assignment, overall_score=overall,
                            overall_applicant_comment=applicant,
                            overall_committee_comment=committee)
            for criterion, score in zip(criteria, scores, strict=False):
                review.scores.append(ReviewScore(criterion_id=criterion.id, score=score,
                                                 applicant_comment=applicant,
                                                 committee_comment=committee))
            if submit:
                review.status = ReviewStatus.SUBMITTED
                review.submitted_at = utcnow()
            db.session.add(review)
            db.session.commit()
            return review.id

    def set_status(self, call_id, status):
        with self.app.app_context():
            db.session.get(FundingCall, call_id).status = status
            db.session.commit()

    def get(self, model, object_id):
        """A detached copy for assertions."""
        return detached(self.app, model, object_id)


@pytest.fixture
def world(app, factory):
    return ReviewWorld(app, factory)


def review_payload(criterion_ids, scores=4, comment="Clear for patients.", overall=4,
                   action="submit", committee="For the committee."):
    data = {"action": action}
    if isinstance(scores, int | None):
        scores = [scores] * len(criterion_ids)
    for criterion_id, score in zip(criterion_ids, scores, strict=True):
        if score is not None:
            data[f"score_{criterion_id}"] = str(score)
        data[f"applicant_{criterion_id}"] = comment
        data[f"committee_{criterion_id}"] = committee
    if overall is not None:
        data["overall_score"] = str(overall)
    data["overall_applicant"] = comment
    data["overall_committee"] = committee
    return data
