"""Who may do what in consultations: pure functions, used by views, services and templates.

`user` may be anonymous (Flask-Login's AnonymousUserMixin): every rule checks
`is_authenticated` first.
"""

from datetime import date

from engage.accounts.models import Role
from engage.consultations.models import (
    Audience,
    Consultation,
    ConsultationStatus,
    Contribution,
)
from engage.core.moderated import ModerationStatus


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_manage(user) -> bool:
    """Create and edit consultations, questions, documents and themes."""
    return _signed_in(user) and user.has_role(Role.MODERATOR)


def can_view(user, consultation: Consultation) -> bool:
    return consultation.is_public or can_manage(user)


def can_edit(user, consultation: Consultation) -> bool:
    """Texts, dates, themes, audience: until it is archived."""
    return can_manage(user) and consultation.status != ConsultationStatus.ARCHIVED


def can_edit_questions(user, consultation: Consultation) -> bool:
    """Questions are fixed once people can answer."""
    return can_manage(user) and consultation.status == ConsultationStatus.DRAFT


def can_change_status(user, consultation: Consultation) -> bool:
    return can_manage(user) and consultation.next_status is not None


def in_audience(user, consultation: Consultation) -> bool:
    if not _signed_in(user):
        return False
    if consultation.audience == Audience.REPRESENTATIVES:
        return user.has_role(Role.REPRESENTATIVE)
    return True


def can_participate(user, consultation: Consultation, today: date | None = None) -> bool:
    """Answer, contribute, reply, support: open, in the audience, allowed to write."""
    return (
        _signed_in(user)
        and user.can_write
        and consultation.is_accepting(today)
        and in_audience(user, consultation)
    )


def can_answer(user, consultation: Consultation, today: date | None = None) -> bool:
    return bool(consultation.questions) and can_participate(user, consultation, today)


def can_contribute(user, consultation: Consultation, today: date | None = None) -> bool:
    return can_participate(user, consultation, today)


def can_post_as(user, association) -> bool:
    """Post on behalf of an association the user represents."""
    return _signed_in(user) and association in user.represented_associations()


def can_reply(user, contribution: Contribution, today: date | None = None) -> bool:
    return (
        not contribution.is_reply
        and contribution.is_visible
        and can_participate(user, contribution.consultation, today)
    )


def is_author(user, contribution: Contribution) -> bool:
    return _signed_in(user) and contribution.author_id == user.id


def can_support(user, contribution: Contribution, today: date | None = None) -> bool:
    return (
        contribution.is_visible
        and not is_author(user, contribution)
        and can_participate(user, contribution.consultation, today)
    )


def can_edit_contribution(user, contribution: Contribution, today: date | None = None) -> bool:
    """The author, while the consultation is open."""
    return (
        is_author(user, contribution)
        and not contribution.is_deleted
        and user.can_write
        and contribution.consultation.is_accepting(today)
    )


def can_delete_contribution(user, contribution: Contribution, today: date | None = None) -> bool:
    return can_edit_contribution(user, contribution, today)


def can_see_contribution(user, contribution: Contribution) -> bool:
    """Everyone sees what is published; authors see their own pending or hidden items."""
    if not can_view(user, contribution.consultation):
        return False
    if contribution.is_visible:
        return True
    if contribution.is_deleted:
        # Only its place remains ("deleted by its author"), with the replies it received.
        return contribution.moderation_status == ModerationStatus.PUBLISHED \
            or can_manage(user)
    return is_author(user, contribution) or can_manage(user)


def can_see_history(user, contribution: Contribution) -> bool:
    return is_author(user, contribution) or can_manage(user)


def can_report(user, contribution: Contribution) -> bool:
    """Any signed-in user who may write, on a published contribution of someone else."""
    return (
        _signed_in(user)
        and user.can_write
        and contribution.is_visible
        and not is_author(user, contribution)
        and contribution.consultation.is_public
    )


def can_follow(user, consultation: Consultation) -> bool:
    """Until the summary is published: upcoming, open or closed consultations."""
    return (
        _signed_in(user)
        and user.is_confirmed
        and consultation.is_public
        and consultation.status in (
            ConsultationStatus.DRAFT, ConsultationStatus.OPEN, ConsultationStatus.CLOSED
        )
    )


def can_see_results(user, consultation: Consultation) -> bool:
    return consultation.shows_results and can_view(user, consultation)
