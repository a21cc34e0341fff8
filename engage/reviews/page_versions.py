"""Which version counters (engage.core.versions) a change in this area bumps: the funding
call it belongs to, and the list of calls."""

from sqlalchemy import select

from engage.core import versions
from engage.reviews.models import (
    Application,
    Assignment,
    ConflictDeclaration,
    Criterion,
    CriterionTranslation,
    FundingCall,
    FundingCallTranslation,
    Review,
    ReviewerProfile,
    ReviewReminder,
    ReviewScore,
)


def _of_assignment(assignment_id) -> list[str]:
    return [versions.call(versions.column_of(
        select(Application.call_id).join(Assignment, Assignment.application_id == Application.id)
        .where(Assignment.id == assignment_id)))]


def register() -> None:
    register = versions.register
    call = versions.call
    all_calls = [call(None)]
    register(FundingCall, lambda c: [call(c.id), versions.CALLS],
             bulk=[*all_calls, versions.CALLS])
    register(FundingCallTranslation, lambda t: [call(t.call_id), versions.CALLS],
             bulk=[*all_calls, versions.CALLS])
    register(Criterion, lambda c: [call(c.call_id)], bulk=all_calls)
    register(CriterionTranslation, lambda t: [call(
        versions.attribute_of(Criterion, t.criterion_id, "call_id"))], bulk=all_calls)
    register(Application, lambda a: [call(a.call_id), versions.CALLS],
             bulk=[*all_calls, versions.CALLS])
    register(ReviewerProfile, lambda p: [versions.user(p.user_id)], bulk=[versions.user(None)])
    register(Assignment, lambda a: [call(
        versions.attribute_of(Application, a.application_id, "call_id")),
        versions.user(a.reviewer_id)], bulk=[*all_calls, versions.user(None)])
    for model in (ConflictDeclaration, Review, ReviewReminder):
        register(model, lambda r: _of_assignment(r.assignment_id), bulk=all_calls)
    register(ReviewScore, lambda s: _of_assignment(
        versions.attribute_of(Review, s.review_id, "assignment_id")), bulk=all_calls)
