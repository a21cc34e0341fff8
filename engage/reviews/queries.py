"""Read models of lay review for pages: the reviewer's assignments and the home section."""

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from engage.extensions import db
from engage.reviews import permissions
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    FundingCall,
    Review,
    ReviewStatus,
)


def my_assignments_statement(user):
    return (
        select(Assignment)
        .join(Application, Assignment.application_id == Application.id)
        .join(FundingCall, Application.call_id == FundingCall.id)
        .where(Assignment.reviewer_id == user.id,
               Assignment.status == AssignmentStatus.ACTIVE,
               FundingCall.status.in_(list(permissions.VISIBLE_TO_REVIEWERS)))
        .options(
            selectinload(Assignment.review),
            joinedload(Assignment.application).joinedload(Application.call)
            .selectinload(FundingCall.translations),
        )
        .order_by(FundingCall.review_deadline.desc(), Application.acronym, Assignment.id)
    )


def home_section():
    if not permissions.is_lay_reviewer(current_user):
        return None
    pending = db.session.scalars(
        my_assignments_statement(current_user)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(FundingCall.status == CallStatus.OPEN,
               (Review.id.is_(None)) | (Review.status != ReviewStatus.SUBMITTED))
        .limit(5)
    ).all()
    return {"assignments": pending} if pending else None


# "My space" (engage.space)

SPACE_PER_PAGE = 10


def space_section(user, since) -> dict | None:
    """A lay reviewer's assignments, latest deadline first, with their state; nothing for
    anyone else."""
    from engage.core.pagination import paginate

    if not permissions.is_lay_reviewer(user):
        return None
    return {"page": paginate(my_assignments_statement(user), per_page=SPACE_PER_PAGE,
                             page_param="reviews_page"), "since": since}


# A person's lay reviews, counted for their administration page (registry.activity_counts).


def applications_assigned(user_id: int):
    return (select(func.count()).select_from(Assignment)
            .where(Assignment.reviewer_id == user_id))


def reviews_submitted(user_id: int):
    return (select(func.count()).select_from(Review)
            .join(Assignment, Assignment.id == Review.assignment_id)
            .where(Assignment.reviewer_id == user_id, Review.submitted_at.is_not(None)))
