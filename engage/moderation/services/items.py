"""Actions on one item: approve, hide, restore, dismiss its reports, remove a passage;
and the audit entry of an item the platform hid after reports."""

import hashlib
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from engage.core.db import rows_changed, utcnow
from engage.core.errors import DomainError
from engage.core.moderated import (
    AUTO_HIDE_REASON,
    MODERATED_TARGETS,
    ModerationStatus,
    Report,
    ReportReason,
    ReportStatus,
)
from engage.extensions import db
from engage.moderation import notifications, permissions
from engage.moderation import passages as text_passages
from engage.moderation.models import AuditAction
from engage.moderation.services.audit import _record_item, target_of
from engage.moderation.services.checks import _check_reason, _clean_note, _prepare, _require

# What replaces a removed passage, in the language of the text.
REDACTION_MARKERS = {
    "fr": "[passage supprimé par la modération]",
    "en": "[passage removed by moderation]",
}


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
    return rows_changed(result) or 0


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


class PreviewOutdated(DomainError):
    """The text, or the passages, changed since the preview the moderator confirms."""


@dataclass(frozen=True)
class RedactionPlan:
    """What removing `passages` does to the text of one item: the preview shows it, the
    confirmation applies it (engage.moderation.passages says what matches)."""

    passages: tuple[str, ...]
    location: text_passages.Location
    marker: str
    # Of the text and the passages: a confirmation applies what its preview showed.
    fingerprint: str

    @property
    def count(self) -> int:
        """How many spans of the text are replaced."""
        return len(self.location.spans)

    @property
    def result(self) -> str:
        return text_passages.replace(self.location.text, self.location.spans, self.marker)

    def pieces(self) -> list[tuple[bool, str]]:
        return text_passages.pieces(self.location.text, self.location.spans)


def _fingerprint(text: str, passages: list[str]) -> str:
    content = "\x00".join([text, *passages]).encode()
    return hashlib.sha256(content).hexdigest()[:32]


def _not_found(missing: tuple[str, ...]) -> str:
    # gettext, not _l: a lazy string's parameters are not escaped in templates.
    sentences = [gettext("This passage is not in the text: “%(passage)s”.", passage=passage[:80])
                 for passage in missing]
    sentences.append(gettext(
        "Copy it as it is written, in whole words: quotes, apostrophes, dashes, spaces and "
        "capital letters may differ, accents may not."))
    return " ".join(sentences)


def plan_redaction(item, passages: str | None) -> RedactionPlan:
    """Where the passages (one per line) are in the item's text, and what replaces them;
    a DomainError when there is none, or when one of them is not in the text. Reads only."""
    wanted = split_passages(passages)
    _require(bool(wanted), _l("Please select or type the passage to remove."))
    original = getattr(item, target_of(item).text_attribute) or ""
    location = text_passages.locate(original, wanted)
    if location.missing:
        raise DomainError(_not_found(location.missing))
    return RedactionPlan(tuple(wanted), location, marker_for(item),
                         _fingerprint(original, wanted))


def redact(actor, item, passages: str, reason: str, note: str = "",
           expected: str | None = None, previewed: str | None = None) -> str:
    """Replace each passage (one per line, found as engage.moderation.passages says, every
    occurrence) by a marker; the original text goes to the audit log only. Open reports are
    upheld and an item hidden by reports is published again. `previewed`: the fingerprint of
    the preview the moderator confirms (PreviewOutdated if the text or passages changed)."""
    _prepare(item, expected)
    target = target_of(item)
    reason = _check_reason(reason)
    note = _clean_note(note)
    _require(permissions.can_redact(actor, item, target.text_attribute),
             _l("This text cannot be changed."))
    plan = plan_redaction(item, passages)
    if previewed is not None and previewed != plan.fingerprint:
        raise PreviewOutdated(_l(
            "The text or the passages changed since the preview: nothing was removed. Check "
            "the new preview, then confirm."))

    def replace(text: str) -> str:
        text = text or ""
        spans = text_passages.locate(text, plan.passages).spans
        return text_passages.replace(text, spans, plan.marker)

    before = _snapshot(item)
    republished = permissions.is_auto_hidden(item)
    original, redacted = plan.location.text, plan.result
    setattr(item, target.text_attribute, redacted)
    if target.redact_related is not None:
        target.redact_related(item, replace)
    closed = _close_reports(item, actor, ReportStatus.UPHELD)
    if republished:
        item.restore(actor)
    else:
        _touch(item, actor)
    db.session.flush()
    _record_item(actor, AuditAction.REDACT, item, reason=reason, note=note,
                 before={**before, "text": original},
                 after={**_snapshot(item), "text": redacted, "reports_upheld": closed,
                        "replaced": plan.count})
    notifications.tell_author_of_redaction(item, count=plan.count,
                                           reason=ReportReason.labels()[reason], note=note,
                                           republished=republished)
    return redacted


# Hidden by the platform


def on_auto_hide(item) -> None:
    """Listener of engage.core.moderated (registered by init_app): an item hidden once
    enough people reported it gets its audit entry, and the moderators are told."""
    _record_item(None, AuditAction.AUTO_HIDE, item, reason=AUTO_HIDE_REASON,
                 before={"status": "published"},
                 after={"status": item.moderation_status,
                        "open_reports": item.open_report_count})
    notifications.tell_moderators_auto_hidden(item)
