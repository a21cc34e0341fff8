"""Who may do what with the network's record: pure functions, used by services (and, later,
views and templates).

Network officers (and administrators, who rank above them) write the record; everyone reads
what is published; a signed-in person with a confirmed address may follow it.
"""

from engage.accountability.models import Commitment, FundedProject, Response
from engage.accounts.models import Role
from engage.priorities.models import Stage
from engage.reviews.models import CallStatus


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_manage(user) -> bool:
    """Record responses, commitments, updates, call links and funded projects."""
    return _signed_in(user) and user.has_role(Role.OFFICER)


def can_start_response(user, *, summary=None, exercise=None,
                       existing: Response | None = None) -> bool:
    """To a published summary or to an exercise's published results; one response each."""
    if not can_manage(user) or existing is not None:
        return False
    if summary is not None:
        return summary.is_published
    return exercise is not None and exercise.at(Stage.PUBLISHED)


def can_view_response(user, response: Response) -> bool:
    return response.is_published or can_manage(user)


def can_edit_response(user, response: Response) -> bool:
    """Edit, add or remove commitments, discard the response: while it is a draft."""
    return can_manage(user) and not response.is_published


def can_publish(user, response: Response) -> bool:
    return can_edit_response(user, response) and bool(response.commitments)


def can_update(user, commitment: Commitment) -> bool:
    """Add an update (or a correction) to a commitment: once its response is published."""
    return can_manage(user) and commitment.is_published


def can_link_call(user, *, question=None, commitment: Commitment | None = None) -> bool:
    """A call declares it answers a research priority (a question of published results) or
    a published commitment, at any stage of the call (adding to the chain removes nothing)."""
    if not can_manage(user):
        return False
    if commitment is not None:
        return commitment.is_published
    return question is not None and question.exercise.at(Stage.PUBLISHED)


def can_unlink_call(user, call) -> bool:
    """A call's declaration can be withdrawn until the call is decided."""
    return can_manage(user) and call.status != CallStatus.DECIDED


def can_create_projects(user, call) -> bool:
    """Funded projects come from the decisions of a decided call."""
    return can_manage(user) and call.status == CallStatus.DECIDED


def can_edit_project(user, project: FundedProject) -> bool:
    return can_manage(user) and not project.is_published


def can_update_project(user, project: FundedProject) -> bool:
    return can_manage(user) and project.is_published


def can_view_project(user, project: FundedProject) -> bool:
    return project.is_published or can_manage(user)


def can_follow(user, item) -> bool:
    """A published commitment or funded project, by a signed-in person whose address is
    confirmed (updates are told by email too)."""
    return _signed_in(user) and user.is_confirmed and user.deleted_at is None \
        and item.is_published
