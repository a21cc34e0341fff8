"""Moderation actions: plain functions taking an explicit `actor`; they flush, never commit,
write the audit entry, tell the author, and raise DomainError on an invalid move.

Two moderators may open the same item at once. Forms carry the item's state as it was
shown (`item_state`); an action on an item whose state has changed since is refused with
a clear message, and nothing is done twice: the row is locked (PostgreSQL) and its state
checked again inside the transaction.

By subject: audit.py (the audit log), checks.py (state, lock, input), items.py (actions on
one item), bulk.py (one action on several items), authors.py (blocking), themes.py (themes
and suggested themes). Callers use `from engage.moderation import services`.
"""

from engage.moderation.services.audit import erase_texts, record, target_of
from engage.moderation.services.authors import block, unblock
from engage.moderation.services.bulk import BULK_ACTIONS, BulkResult, bulk, check_bulk
from engage.moderation.services.checks import NOTE_MAX_LENGTH, StaleItem, item_state, lock
from engage.moderation.services.items import (
    REDACTION_MARKERS,
    PreviewOutdated,
    RedactionPlan,
    approve,
    dismiss_reports,
    hide,
    load_item,
    marker_for,
    on_auto_hide,
    plan_redaction,
    redact,
    restore,
    split_passages,
)
from engage.moderation.services.themes import (
    BULK_THEME_ACTIONS,
    accept_suggestion,
    change_themes,
    ignore_suggestion,
    merge_themes,
    set_themes,
    themes_of,
)

__all__ = [
    "BULK_ACTIONS",
    "BULK_THEME_ACTIONS",
    "NOTE_MAX_LENGTH",
    "REDACTION_MARKERS",
    "BulkResult",
    "PreviewOutdated",
    "RedactionPlan",
    "StaleItem",
    "accept_suggestion",
    "approve",
    "block",
    "bulk",
    "change_themes",
    "check_bulk",
    "dismiss_reports",
    "erase_texts",
    "hide",
    "ignore_suggestion",
    "item_state",
    "load_item",
    "lock",
    "marker_for",
    "merge_themes",
    "on_auto_hide",
    "plan_redaction",
    "record",
    "redact",
    "restore",
    "set_themes",
    "split_passages",
    "target_of",
    "themes_of",
    "unblock",
]
