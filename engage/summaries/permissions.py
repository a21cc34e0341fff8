"""Who may do what with summaries: pure functions, used by views, services and templates.

`editors` is the set of ids of the people who wrote the summary (see
`services.editor_ids`): none of them may approve it.
"""

from engage.accounts.models import Role
from engage.consultations.models import ConsultationStatus
from engage.summaries.models import Summary, SummaryStatus

SUMMARISABLE = (ConsultationStatus.CLOSED, ConsultationStatus.SUMMARIZED)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_manage(user) -> bool:
    return _signed_in(user) and user.has_role(Role.MODERATOR)


def can_start(user, consultation, existing: Summary | None = None) -> bool:
    """A summary is written once the consultation is closed; one per consultation."""
    return can_manage(user) and existing is None and consultation.status in SUMMARISABLE


def can_view(user, summary: Summary) -> bool:
    return summary.is_published or can_manage(user)


def can_edit(user, summary: Summary) -> bool:
    return can_manage(user) and summary.status == SummaryStatus.DRAFT


def can_submit(user, summary: Summary) -> bool:
    return can_manage(user) and summary.status == SummaryStatus.DRAFT


def can_return(user, summary: Summary) -> bool:
    return can_manage(user) and summary.status == SummaryStatus.IN_REVIEW


def can_approve(user, summary: Summary, editors: set[int]) -> bool:
    """A second moderator: neither one who wrote it nor the one who sent it for review."""
    return (
        can_manage(user)
        and summary.status == SummaryStatus.IN_REVIEW
        and user.id not in editors
        and user.id != summary.submitted_by_id
    )


def can_edit_response(user, summary: Summary) -> bool:
    return can_manage(user) and summary.status == SummaryStatus.PUBLISHED
