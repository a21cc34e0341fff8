"""Who may do what in consultations: pure functions, used by views, services and templates.

`user` may be anonymous (Flask-Login's AnonymousUserMixin): every rule checks
`is_authenticated` first.
"""

from collections.abc import Iterable
from dataclasses import dataclass
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


# The rules on one contribution come in two parts: what depends on the reader and the
# consultation only (checked once per page by `item_rights` below), and what depends on the
# contribution too (`_..._item`: the reader is named by their id, None for a visitor).


def _reader_id(user) -> int | None:
    return user.id if _signed_in(user) else None


def _is_author_id(reader_id: int | None, contribution) -> bool:
    return reader_id is not None and contribution.author_id == reader_id


def _repliable_item(contribution) -> bool:
    return not contribution.is_reply and contribution.is_visible


def can_reply(user, contribution: Contribution, today: date | None = None) -> bool:
    return (
        _repliable_item(contribution)
        and can_participate(user, contribution.consultation, today)
    )


def is_author(user, contribution: Contribution) -> bool:
    return _is_author_id(_reader_id(user), contribution)


def _supportable_item(reader_id: int | None, contribution) -> bool:
    return contribution.is_visible and not _is_author_id(reader_id, contribution)


def can_support(user, contribution: Contribution, today: date | None = None) -> bool:
    return (
        _supportable_item(_reader_id(user), contribution)
        and can_participate(user, contribution.consultation, today)
    )


def _may_edit_own(user, consultation: Consultation, today: date | None = None) -> bool:
    return _signed_in(user) and user.can_write and consultation.is_accepting(today)


def _editable_item(reader_id: int | None, contribution) -> bool:
    return _is_author_id(reader_id, contribution) and not contribution.is_deleted


def can_edit_contribution(user, contribution: Contribution, today: date | None = None) -> bool:
    """The author, while the consultation is open."""
    return (
        _editable_item(_reader_id(user), contribution)
        and _may_edit_own(user, contribution.consultation, today)
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


def _may_report(user, consultation: Consultation) -> bool:
    return _signed_in(user) and user.can_write and consultation.is_public


def _reportable_item(reader_id: int | None, contribution) -> bool:
    return contribution.is_visible and not _is_author_id(reader_id, contribution)


def can_report(user, contribution: Contribution) -> bool:
    """Any signed-in user who may write, on a published contribution of someone else."""
    return (
        _may_report(user, contribution.consultation)
        and _reportable_item(_reader_id(user), contribution)
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


# Many contributions of one consultation at once, for the pages that list them: the same
# rules as the functions above, whose reader and consultation parts are checked once.


@dataclass(frozen=True)
class ItemRights:
    """What the reader may do on a page listing contributions of one consultation: the
    ids of the listed contributions each right applies to, and the page's own rights."""

    can_participate: bool  # answer, contribute, reply, support: the page's forms
    supported: frozenset[int]  # supported by the reader, who may still withdraw it
    supportable: frozenset[int]  # can_support
    repliable: frozenset[int]  # can_reply
    editable: frozenset[int]  # can_edit_contribution and can_delete_contribution
    reportable: frozenset[int]  # can_report
    history: frozenset[int]  # can_see_history

    @property
    def can_support(self) -> bool:
        """Whether any support button can show (the page's forms need a CSRF token)."""
        return bool(self.supported or self.supportable)


def item_rights(user, consultation: Consultation, items: Iterable,
                supported: Iterable[int] = (), today: date | None = None) -> ItemRights:
    """The rights of `user` on `items` (contributions of `consultation`, or rows with the
    same attributes: id, author_id, is_reply, is_visible, is_deleted), given the ids of
    those they support."""
    items = list(items)
    reader_id = _reader_id(user)
    participating = can_participate(user, consultation, today)

    def ids(rule) -> frozenset[int]:
        return frozenset(item.id for item in items if rule(item))

    nothing: frozenset[int] = frozenset()
    return ItemRights(
        can_participate=participating,
        supported=frozenset(supported) & ids(lambda item: True) if participating else nothing,
        supportable=ids(lambda item: _supportable_item(reader_id, item))
        if participating else nothing,
        repliable=ids(_repliable_item) if participating else nothing,
        editable=ids(lambda item: _editable_item(reader_id, item))
        if _may_edit_own(user, consultation, today) else nothing,
        reportable=ids(lambda item: _reportable_item(reader_id, item))
        if _may_report(user, consultation) else nothing,
        history=ids(lambda item: True) if can_manage(user)
        else ids(lambda item: _is_author_id(reader_id, item)),
    )
