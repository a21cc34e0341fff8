"""One action applied to several items of the queue."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from engage.core.errors import DomainError
from engage.moderation.services.audit import target_of
from engage.moderation.services.checks import _check_reason, _clean_note, _require
from engage.moderation.services.items import approve, dismiss_reports, hide, load_item, restore

BULK_ACTIONS = ("approve", "hide", "restore", "dismiss")


@dataclass
class BulkResult:
    done: int = 0
    refused: list[str] = field(default_factory=list)  # one message per refused item


def check_bulk(refs: list[str], action: str, *, reason: str = "", note: str = "") -> None:
    """Raise DomainError unless the request can go ahead (an action, items, a reason to
    hide, a note within its limit); changes nothing. `bulk` checks the same first; the
    queue checks it before asking to confirm hiding, so that it never asks in vain."""
    _require(action in BULK_ACTIONS, _l("Please choose what to do."))
    _require(bool(refs), _l("Please select at least one item."))
    if action == "hide":
        _check_reason(reason)
    _clean_note(note)


def bulk(actor, refs: list[str], action: str, *, reason: str = "", note: str = "",
         states: dict[str, str] | None = None) -> BulkResult:
    """Apply one action to several items: items already handled by someone else are skipped
    with a message, the others done."""
    check_bulk(refs, action, reason=reason, note=note)
    states = states or {}
    result = BulkResult()
    for ref in refs:
        target_type, _, number = ref.partition(":")
        item = load_item(target_type, int(number)) if number.isdigit() else None
        if item is None:
            result.refused.append(str(_l("An item no longer exists.")))
            continue
        # Every action checks everything before it changes anything: a refused item leaves
        # no trace, so no savepoint is needed.
        expected = states.get(ref)
        try:
            if action == "approve":
                approve(actor, item, expected)
            elif action == "hide":
                hide(actor, item, reason, note, expected)
            elif action == "restore":
                restore(actor, item, expected)
            else:
                dismiss_reports(actor, item, expected)
        except DomainError as error:
            label = target_of(item).label
            result.refused.append(f"{label} #{item.id}: {error.message}")
        else:
            result.done += 1
    return result
