"""What lay review holds about a person ("download my data"), and what happens to it when
the account is deleted. Registered at import (engage/reviews/views.py imports this module).

On deletion, the reviewer profile goes. Submitted reviews and conflict declarations stay,
for the record of the committee's decisions, attached to the pseudonymized account (shown
as "Former participant"); the free-text details of a declaration, which may say who the
reviewer is, are removed. Unfinished assignments of calls still under review are withdrawn
(their drafts deleted) so that the moderators can ask another reviewer.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from engage.core.db import utcnow
from engage.core.registry import PersonalDataSection, Registry
from engage.extensions import db
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    Review,
    ReviewerProfile,
    ReviewStatus,
)


def _iso(value):
    return value.isoformat() if value else None


def _assignments(user) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).where(Assignment.reviewer_id == user.id)
        .options(selectinload(Assignment.application).selectinload(Application.call),
                 selectinload(Assignment.declarations),
                 selectinload(Assignment.review).selectinload(Review.scores))
        .order_by(Assignment.id)
    ))


def _application(assignment: Assignment, language: str) -> dict:
    application = assignment.application
    return {"call": application.call.title(language), "application": application.acronym}


def _profile(user) -> list[dict]:
    profile = db.session.scalar(select(ReviewerProfile).where(ReviewerProfile.user_id == user.id))
    if profile is None:
        return []
    return [{"themes": profile.themes, "institutions": profile.institutions,
             "saved_at": _iso(profile.updated_at or profile.created_at)}]


def _declarations(user) -> list[dict]:
    rows = []
    for assignment in _assignments(user):
        rows.append({
            **_application(assignment, user.language),
            "assigned_at": _iso(assignment.created_at),
            "assignment": assignment.status_label,
            "no_conflict_declared_at": _iso(assignment.no_conflict_declared_at),
            "confidentiality_accepted_at": _iso(assignment.confidentiality_accepted_at),
            "withdrawn_at": _iso(assignment.withdrawn_at),
        })
        for declaration in assignment.declarations:
            rows.append({
                **_application(assignment, user.language),
                "declared_at": _iso(declaration.created_at),
                "links_of_interest": ", ".join(str(label) for label in declaration.link_labels)
                or None,
                "details": declaration.details or None,
                "conflict": declaration.has_conflict,
                "confidentiality_accepted": declaration.confidentiality_accepted,
            })
    return rows


def _reviews(user) -> list[dict]:
    rows = []
    for assignment in _assignments(user):
        review = assignment.review
        if review is None:
            continue
        labels = {c.id: c.label(user.language) for c in assignment.application.call.criteria}
        scores = "\n".join(
            f"{labels.get(score.criterion_id, '')}: "
            f"{score.score if score.score is not None else '—'} | "
            f"{score.applicant_comment} | {score.committee_comment}"
            for score in sorted(review.scores, key=lambda s: s.criterion_id))
        rows.append({
            **_application(assignment, user.language),
            "status": review.status,
            "overall_score": review.overall_score,
            "overall_comment_for_the_applicants": review.overall_applicant_comment,
            "overall_comment_for_the_committee": review.overall_committee_comment,
            "criteria_scores_and_comments": scores or None,
            "saved_at": _iso(review.updated_at or review.created_at),
            "submitted_at": _iso(review.submitted_at),
        })
    return rows


def erase(user, delete_content: bool) -> None:
    """Account deletion (see the module's docstring); `delete_content` changes nothing here:
    submitted reviews are part of the committee's record."""
    db.session.execute(delete(ReviewerProfile).where(ReviewerProfile.user_id == user.id))
    for assignment in _assignments(user):
        for declaration in assignment.declarations:
            declaration.details = ""
        review = assignment.review
        submitted = review is not None and review.status == ReviewStatus.SUBMITTED
        under_review = assignment.application.call.status in (CallStatus.DRAFT, CallStatus.OPEN)
        if assignment.status == AssignmentStatus.ACTIVE and under_review and not submitted:
            if review is not None:
                db.session.delete(review)
            assignment.status = AssignmentStatus.WITHDRAWN
            assignment.withdrawn_at = utcnow()
            assignment.application.needs_reassignment = True
    db.session.flush()


def register(registry: Registry) -> None:
    """What this area adds to "download my data" and to account deletion."""
    registry.personal_data.extend([
        PersonalDataSection("reviewer_profile", _l("Your lay reviewer profile"), _profile),
        PersonalDataSection("review_declarations",
                            _l("Your review assignments and declarations of interest"),
                            _declarations),
        PersonalDataSection("reviews", _l("Your reviews of funding applications"), _reviews),
    ])
    registry.account_erasers.append(erase)
