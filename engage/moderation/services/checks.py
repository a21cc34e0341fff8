"""What every action checks before it changes anything: the state the moderator saw
(two moderators may open the same item at once), the row lock, and the input."""

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.core.errors import DomainError
from engage.core.moderated import ReportReason
from engage.extensions import db

NOTE_MAX_LENGTH = 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class StaleItem(DomainError):
    """The item changed since the moderator opened it (another moderator acted first)."""


def item_state(item) -> str:
    """What the moderator saw: status, open reports and the time of the last action."""
    stamp = ""
    if item.moderated_at is not None:
        stamp = str((item.moderated_at - _EPOCH) // timedelta(microseconds=1))
    return f"{item.moderation_status}.{item.open_report_count or 0}.{stamp}"


def lock(row) -> None:
    """Lock the row until the end of the transaction (PostgreSQL) and read it afresh.

    The lock is taken by its own small query: FOR UPDATE cannot apply to the outer joins
    of the eager loads that `refresh` would use.
    """
    model = type(row)
    db.session.execute(select(model.id).where(model.id == row.id).with_for_update())
    db.session.refresh(row)


def _prepare(item, expected: str | None) -> None:
    """Lock the row, read it afresh and compare it with what the moderator saw."""
    lock(item)
    if expected and expected != item_state(item):
        raise StaleItem(_l(
            "Another moderator has already handled this item, or it changed since you opened "
            "it. Nothing was changed: please check it again."
        ))


def _require(condition: bool, message) -> None:
    if not condition:
        raise DomainError(message)


def _clean_note(note: str | None) -> str:
    note = (note or "").strip()
    _require(len(note) <= NOTE_MAX_LENGTH,
             _l("Please keep the note under %(max)d characters.", max=NOTE_MAX_LENGTH))
    return note


def _check_reason(reason: str | None) -> str:
    if reason is None or reason not in {r.value for r in ReportReason}:
        raise DomainError(_l("Please choose a reason from the list."))
    return reason
