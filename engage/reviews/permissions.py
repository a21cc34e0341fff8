"""Who may do what in lay review: pure functions of the user, the object and the time.

Moderators and admins run calls; lay reviewers see only the applications assigned
to them, once the call is open, and read them only after declaring no conflict of
interest and accepting the confidentiality agreement.
"""

from datetime import datetime

from engage.reviews.models import Assignment, CallStatus, FundingCall

EDITABLE = {CallStatus.DRAFT, CallStatus.OPEN}
VISIBLE_TO_REVIEWERS = {CallStatus.OPEN, CallStatus.CLOSED, CallStatus.DECIDED}


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def _moderator(user) -> bool:
    return _signed_in(user) and user.is_moderator


def _writing_moderator(user) -> bool:
    return _moderator(user) and user.can_write


def is_lay_reviewer(user) -> bool:
    return _signed_in(user) and bool(user.lay_reviewer)


def can_use_lay_review(user) -> bool:
    """The menu entry: lay reviewers and moderators."""
    return is_lay_reviewer(user) or _moderator(user)


def can_edit_reviewer_profile(user) -> bool:
    return is_lay_reviewer(user) and user.can_write


def can_manage_calls(user) -> bool:
    return _moderator(user)


def can_create_call(user) -> bool:
    return _writing_moderator(user)


def can_edit_call(user, call: FundingCall) -> bool:
    """Texts and dates: while the call is a draft or open for review."""
    return _writing_moderator(user) and call.status in EDITABLE


def can_edit_rubric(user, call: FundingCall) -> bool:
    """Criteria change only before any review exists."""
    return _writing_moderator(user) and call.status == CallStatus.DRAFT


def can_add_applications(user, call: FundingCall) -> bool:
    return _writing_moderator(user) and call.status in EDITABLE


def can_assign(user, call: FundingCall) -> bool:
    return _writing_moderator(user) and call.status in EDITABLE


def can_change_status(user, call: FundingCall) -> bool:
    return _writing_moderator(user) and call.status != CallStatus.DECIDED


def can_view_dashboard(user, call: FundingCall) -> bool:
    return _moderator(user) and call.status != CallStatus.DRAFT


def can_record_decision(user, call: FundingCall) -> bool:
    return _writing_moderator(user) and call.status == CallStatus.DECIDED


def can_export_feedback(user, call: FundingCall) -> bool:
    return _moderator(user) and call.status == CallStatus.DECIDED


def _own_active(user, assignment: Assignment | None) -> bool:
    return (
        assignment is not None
        and _signed_in(user)
        and assignment.reviewer_id == user.id
        and assignment.is_active
        and assignment.application.call.status in VISIBLE_TO_REVIEWERS
    )


def can_see_assignment(user, assignment: Assignment | None) -> bool:
    """The reviewer sees the acronym, the title and the deadline."""
    return _own_active(user, assignment)


def can_declare(user, assignment: Assignment | None) -> bool:
    """Declarations are made while the call is open for review."""
    return (
        assignment is not None
        and _own_active(user, assignment)
        and user.can_write
        and assignment.application.call.status == CallStatus.OPEN
    )


def can_open_application(user, application, assignment: Assignment | None) -> bool:
    """Read the lay summary, the team and the full project."""
    if _moderator(user):
        return True
    return assignment is not None and _own_active(user, assignment) and assignment.is_cleared


def can_edit_review(user, assignment: Assignment | None, now: datetime | None = None) -> bool:
    if assignment is None or not (_own_active(user, assignment) and assignment.is_cleared
                                  and user.can_write):
        return False
    if assignment.is_submitted:
        return False
    return assignment.application.call.accepts_reviews(now)


def can_see_outcome(user, assignment: Assignment | None) -> bool:
    """Decisions and the other reviewers' anonymized comments for the applicant."""
    return (
        assignment is not None
        and _own_active(user, assignment)
        and assignment.is_cleared
        and assignment.application.call.status == CallStatus.DECIDED
    )
