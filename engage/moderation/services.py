"""Moderation actions: plain functions taking an explicit `actor`; they flush, never commit,
write the audit entry, tell the author, and raise DomainError on an invalid move.

Two moderators may open the same item at once. Forms carry the item's state as it was
shown (`item_state`); an action on an item whose state has changed since is refused with
a clear message, and nothing is done twice: the row is locked (PostgreSQL) and its state
checked again inside the transaction.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from engage.consultations.models import (
    Consultation,
    Contribution,
    Theme,
    consultation_themes,
)
from engage.core.db import utcnow
from engage.core.errors import DomainError
from engage.core.moderated import (
    MODERATED_TARGETS,
    ModeratedTarget,
    ModerationStatus,
    Report,
    ReportReason,
    ReportStatus,
)
from engage.extensions import db
from engage.moderation import notifications, permissions
from engage.moderation.models import (
    AuditAction,
    AuditEntry,
    ContributionTheme,
    SuggestionDecision,
    ThemeSuggestion,
)

NOTE_MAX_LENGTH = 1000
# What replaces a removed passage, in the language of the text.
REDACTION_MARKERS = {
    "fr": "[passage supprimé par la modération]",
    "en": "[passage removed by moderation]",
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class StaleItem(DomainError):
    """The item changed since the moderator opened it (another moderator acted first)."""


# The audit log


def record(actor, action: AuditAction, *, target_type: str, target_id: int | None = None,
           container: tuple[str | None, int | None] = (None, None), reason: str | None = None,
           note: str = "", before: dict | None = None, after: dict | None = None) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        container_kind=container[0],
        container_id=container[1],
        reason=reason,
        note=note or "",
        before=json.dumps(before or {}, ensure_ascii=False, sort_keys=True),
        after=json.dumps(after or {}, ensure_ascii=False, sort_keys=True),
    )
    db.session.add(entry)
    return entry


def target_of(item) -> ModeratedTarget:
    return MODERATED_TARGETS[item.MODERATION_TARGET]


def _record_item(actor, action: AuditAction, item, **kwargs) -> AuditEntry:
    target = target_of(item)
    return record(actor, action, target_type=target.name, target_id=item.id,
                  container=(target.container_kind, target.container_of(item)), **kwargs)


def _snapshot(item) -> dict:
    return {
        "status": item.moderation_status,
        "reason": item.hidden_reason,
        "open_reports": item.open_report_count or 0,
    }


# Loading and state


def load_item(target_type: str, target_id: int):
    target = MODERATED_TARGETS.get(target_type)
    if target is None:
        return None
    return db.session.scalar(
        select(target.model).where(target.model.id == target_id)
        .options(*target.load_options())
    )


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
    _require(reason in {r.value for r in ReportReason}, _l("Please choose a reason from the list."))
    return reason


def _close_reports(item, actor, status: ReportStatus) -> int:
    target = target_of(item)
    result = db.session.execute(
        update(Report)
        .where(Report.target_type == target.name, Report.target_id == item.id,
               Report.status == ReportStatus.OPEN)
        .values(status=status, handled_by_id=actor.id, handled_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    item.open_report_count = 0
    return result.rowcount or 0


def _touch(item, actor) -> None:
    item.moderated_at = utcnow()
    item.moderated_by_id = actor.id


# Actions on an item


def approve(actor, item, expected: str | None = None) -> None:
    _prepare(item, expected)
    _require(permissions.can_approve(actor, item),
             _l("This item is not awaiting moderation any more."))
    before = _snapshot(item)
    item.approve(actor)
    db.session.flush()
    _record_item(actor, AuditAction.APPROVE, item, before=before, after=_snapshot(item))
    notifications.tell_author(item, "approved")


def hide(actor, item, reason: str, note: str = "", expected: str | None = None) -> None:
    _prepare(item, expected)
    reason = _check_reason(reason)
    note = _clean_note(note)
    _require(permissions.can_hide(actor, item), _l("This item is already hidden."))
    before = _snapshot(item)
    if permissions.is_auto_hidden(item):  # hidden after reports: the moderator confirms it
        item._moderate(ModerationStatus.HIDDEN, actor, reason, note or None)
    else:
        item.hide(actor, reason, note or None)
    closed = _close_reports(item, actor, ReportStatus.UPHELD)
    db.session.flush()
    _record_item(actor, AuditAction.HIDE, item, reason=reason, note=note, before=before,
                 after={**_snapshot(item), "reports_upheld": closed})
    notifications.tell_author(item, "hidden", reason=ReportReason.labels()[reason], note=note)


def restore(actor, item, expected: str | None = None) -> None:
    _prepare(item, expected)
    _require(permissions.can_restore(actor, item), _l("This item is not hidden."))
    before = _snapshot(item)
    item.restore(actor)
    closed = _close_reports(item, actor, ReportStatus.DISMISSED)
    db.session.flush()
    _record_item(actor, AuditAction.RESTORE, item, before=before,
                 after={**_snapshot(item), "reports_dismissed": closed})
    notifications.tell_author(item, "restored")


def dismiss_reports(actor, item, expected: str | None = None) -> None:
    """The reports are unfounded: close them; an item hidden by them is published again."""
    _prepare(item, expected)
    _require(permissions.can_dismiss_reports(actor, item),
             _l("This item has no open reports any more."))
    before = _snapshot(item)
    was_auto_hidden = permissions.is_auto_hidden(item)
    closed = _close_reports(item, actor, ReportStatus.DISMISSED)
    if was_auto_hidden:
        item.restore(actor)
    else:
        _touch(item, actor)
    db.session.flush()
    _record_item(actor, AuditAction.DISMISS_REPORTS, item, before=before,
                 after={**_snapshot(item), "reports_dismissed": closed})
    if was_auto_hidden:
        notifications.tell_author(item, "restored")


def split_passages(passages: str | None) -> list[str]:
    lines = (passages or "").replace("\r\n", "\n").split("\n")
    found: list[str] = []
    for line in lines:
        line = line.strip()
        if line and line not in found:
            found.append(line)
    return found


def marker_for(item) -> str:
    language = getattr(item, "language", None)
    if language not in REDACTION_MARKERS and getattr(item, "author", None) is not None:
        language = item.author.language
    return REDACTION_MARKERS.get(language or "", REDACTION_MARKERS["fr"])


def redact(actor, item, passages: str, reason: str, note: str = "",
           expected: str | None = None) -> str:
    """Replace each passage (one per line) by a marker; the original text goes to the audit
    log only. Open reports are upheld and an item hidden by reports is published again."""
    _prepare(item, expected)
    target = target_of(item)
    reason = _check_reason(reason)
    note = _clean_note(note)
    _require(permissions.can_redact(actor, item, target.text_attribute),
             _l("This text cannot be changed."))
    wanted = split_passages(passages)
    _require(bool(wanted), _l("Please copy the passage to remove."))
    original = getattr(item, target.text_attribute) or ""
    for passage in wanted:
        # gettext, not _l: a lazy string's parameters are not escaped in templates.
        _require(passage in original, gettext(
            "This passage is not in the text: “%(passage)s”. Copy it exactly as it is written.",
            passage=passage[:80]))
    marker = marker_for(item)

    def replace(text: str) -> str:
        for passage in wanted:
            text = (text or "").replace(passage, marker)
        return text

    before = _snapshot(item)
    redacted = replace(original)
    setattr(item, target.text_attribute, redacted)
    if target.redact_related is not None:
        target.redact_related(item, replace)
    closed = _close_reports(item, actor, ReportStatus.UPHELD)
    if permissions.is_auto_hidden(item):
        item.restore(actor)
    else:
        _touch(item, actor)
    db.session.flush()
    _record_item(actor, AuditAction.REDACT, item, reason=reason, note=note,
                 before={**before, "text": original},
                 after={**_snapshot(item), "text": redacted, "reports_upheld": closed})
    notifications.tell_author(item, "redacted", reason=ReportReason.labels()[reason], note=note)
    return redacted


# Authors


def block(actor, author, reason: str) -> None:
    """Blocked people can read, not write."""
    reason = (reason or "").strip()
    _require(bool(reason), _l("Please say why this person is blocked."))
    _require(len(reason) <= NOTE_MAX_LENGTH,
             _l("Please keep the note under %(max)d characters.", max=NOTE_MAX_LENGTH))
    lock(author)
    if author.is_blocked:
        raise StaleItem(_l("This person is already blocked."))
    _require(permissions.can_block(actor, author), _l("You cannot block this person."))
    author.blocked_at = utcnow()
    author.blocked_reason = reason
    db.session.flush()
    record(actor, AuditAction.BLOCK, target_type="user", target_id=author.id, note=reason,
           before={"blocked": False}, after={"blocked": True})
    notifications.tell_user(author, "blocked", reason=reason)


def unblock(actor, author) -> None:
    lock(author)
    if not author.is_blocked:
        raise StaleItem(_l("This person is not blocked any more."))
    _require(permissions.can_unblock(actor, author), _l("You cannot unblock this person."))
    previous = author.blocked_reason or ""
    author.blocked_at = None
    author.blocked_reason = None
    db.session.flush()
    record(actor, AuditAction.UNBLOCK, target_type="user", target_id=author.id,
           before={"blocked": True, "reason": previous}, after={"blocked": False})
    notifications.tell_user(author, "unblocked")


# Bulk actions from the queue

BULK_ACTIONS = ("approve", "hide", "restore", "dismiss")


@dataclass
class BulkResult:
    done: int = 0
    refused: list[str] = field(default_factory=list)  # one message per refused item


def bulk(actor, refs: list[str], action: str, *, reason: str = "", note: str = "",
         states: dict[str, str] | None = None) -> BulkResult:
    """Apply one action to several items: items already handled by someone else are skipped
    with a message, the others done."""
    _require(action in BULK_ACTIONS, _l("Please choose what to do."))
    _require(bool(refs), _l("Please select at least one item."))
    if action == "hide":
        _check_reason(reason)
    _clean_note(note)
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


# Themes


def themes_of(contribution: Contribution) -> list[int]:
    """The themes of a contribution: its author's choice and the moderators' tags."""
    tagged = list(db.session.scalars(
        select(ContributionTheme.theme_id)
        .where(ContributionTheme.contribution_id == contribution.id)
    ))
    chosen = [contribution.theme_id] if contribution.theme_id else []
    return sorted(set(chosen + tagged))


def _add_to_consultation(consultation: Consultation, themes: list[Theme]) -> None:
    present = {t.id for t in consultation.themes}
    for theme in themes:
        if theme.id not in present:
            consultation.themes.append(theme)


def set_themes(actor, contribution: Contribution, theme_ids: list[int]) -> bool:
    """Give a contribution exactly these themes; False when nothing changed."""
    _require(permissions.can_tag(actor, contribution), _l("This contribution cannot be tagged."))
    wanted = sorted(set(theme_ids))
    themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(wanted)))) \
        if wanted else []
    _require(len(themes) == len(wanted), _l("Please choose themes from the list."))
    before = themes_of(contribution)
    if before == wanted:
        return False
    if contribution.theme_id and contribution.theme_id not in wanted:
        contribution.theme_id = None
    db.session.execute(delete(ContributionTheme)
                       .where(ContributionTheme.contribution_id == contribution.id))
    for theme_id in wanted:
        if theme_id != contribution.theme_id:
            db.session.add(ContributionTheme(contribution_id=contribution.id, theme_id=theme_id,
                                             tagged_by_id=actor.id))
    _add_to_consultation(contribution.consultation, themes)
    db.session.flush()
    record(actor, AuditAction.TAG, target_type="contribution", target_id=contribution.id,
           container=("consultation", contribution.consultation_id),
           before={"themes": before}, after={"themes": wanted})
    return True


def tag_many(actor, consultation: Consultation, contribution_ids: list[int], theme: Theme) -> int:
    """Add one theme to several contributions of a consultation; how many gained it."""
    contributions = list(db.session.scalars(
        select(Contribution).where(Contribution.id.in_(contribution_ids),
                                   Contribution.consultation_id == consultation.id)
    )) if contribution_ids else []
    added = 0
    for contribution in contributions:
        current = themes_of(contribution)
        if theme.id not in current:
            set_themes(actor, contribution, current + [theme.id])
            added += 1
    _add_to_consultation(consultation, [theme])
    db.session.flush()
    return added


def _labels(theme: Theme) -> dict[str, str]:
    return {t.language: t.label for t in theme.translations}


def merge_themes(actor, source: Theme, target: Theme) -> None:
    """Everything tagged with `source` gets `target`; `source` disappears."""
    _require(permissions.can_manage_themes(actor), _l("Only moderators can merge themes."))
    _require(source.id != target.id, _l("Please choose two different themes."))
    before = {"source": source.id, "source_labels": _labels(source), "target": target.id}
    already = select(ContributionTheme.contribution_id).where(
        ContributionTheme.theme_id == target.id).scalar_subquery()
    db.session.execute(delete(ContributionTheme).where(
        ContributionTheme.theme_id == source.id, ContributionTheme.contribution_id.in_(already)))
    db.session.execute(update(ContributionTheme).where(ContributionTheme.theme_id == source.id)
                       .values(theme_id=target.id)
                       .execution_options(synchronize_session=False))
    moved = db.session.execute(
        update(Contribution).where(Contribution.theme_id == source.id)
        .values(theme_id=target.id).execution_options(synchronize_session=False)
    ).rowcount or 0
    # A contribution tagged with the target that its author filed under the source theme.
    db.session.execute(delete(ContributionTheme).where(
        ContributionTheme.theme_id == target.id,
        ContributionTheme.contribution_id.in_(
            select(Contribution.id).where(Contribution.theme_id == target.id))))
    have_target = select(consultation_themes.c.consultation_id).where(
        consultation_themes.c.theme_id == target.id).scalar_subquery()
    missing = list(db.session.scalars(
        select(consultation_themes.c.consultation_id).where(
            consultation_themes.c.theme_id == source.id,
            consultation_themes.c.consultation_id.not_in(have_target))))
    if missing:
        db.session.execute(insert(consultation_themes),
                           [{"consultation_id": cid, "theme_id": target.id} for cid in missing])
    db.session.execute(delete(consultation_themes)
                       .where(consultation_themes.c.theme_id == source.id))
    db.session.flush()
    db.session.expire_all()
    source = db.session.get(Theme, before["source"])
    db.session.delete(source)
    db.session.flush()
    record(actor, AuditAction.MERGE_THEMES, target_type="theme", target_id=target.id,
           before=before, after={"target": target.id, "target_labels": _labels(target),
                                 "contributions_moved": moved})


# Suggested themes


def _decided(consultation: Consultation, key: str) -> bool:
    return db.session.scalar(
        select(ThemeSuggestion.id).where(ThemeSuggestion.consultation_id == consultation.id,
                                         ThemeSuggestion.key == key)
    ) is not None


def _valid_key(key: str) -> str:
    key = (key or "").strip()
    _require(key.startswith(("keyword:", "group:")) and len(key) <= 200,
             _l("This suggestion does not exist any more."))
    return key


def accept_suggestion(actor, consultation: Consultation, key: str, contribution_ids: list[int],
                      *, theme_id: int | None = None,
                      labels: dict[str, str] | None = None) -> Theme:
    """Give the suggestion's contributions an existing theme, or a new one named `labels`."""
    from engage.consultations import services as consultation_services

    _require(permissions.can_manage_themes(actor), _l("Only moderators can manage themes."))
    key = _valid_key(key)
    if _decided(consultation, key):
        raise StaleItem(_l("Another moderator has already handled this suggestion."))
    if theme_id:
        theme = db.session.get(Theme, theme_id)
        _require(theme is not None, _l("Please choose themes from the list."))
    else:
        theme = consultation_services.create_theme(actor, labels or {})
    added = tag_many(actor, consultation, contribution_ids, theme)
    db.session.add(ThemeSuggestion(consultation_id=consultation.id, key=key,
                                   decision=SuggestionDecision.ACCEPTED,
                                   decided_by_id=actor.id))
    db.session.flush()
    record(actor, AuditAction.ACCEPT_SUGGESTION, target_type="theme", target_id=theme.id,
           container=("consultation", consultation.id), note=key,
           after={"theme": theme.id, "labels": _labels(theme), "contributions": added})
    return theme


def ignore_suggestion(actor, consultation: Consultation, key: str) -> None:
    _require(permissions.can_manage_themes(actor), _l("Only moderators can manage themes."))
    key = _valid_key(key)
    if _decided(consultation, key):
        raise StaleItem(_l("Another moderator has already handled this suggestion."))
    db.session.add(ThemeSuggestion(consultation_id=consultation.id, key=key,
                                   decision=SuggestionDecision.IGNORED, decided_by_id=actor.id))
    db.session.flush()
    record(actor, AuditAction.IGNORE_SUGGESTION, target_type="consultation",
           target_id=consultation.id, container=("consultation", consultation.id), note=key)
