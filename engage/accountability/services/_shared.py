"""What the area's write operations share: refusing an invalid move, the audit log, row
locks, the texts and attachments of updates, and the files that follow the transaction."""

import json
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from engage.accountability.models import (
    TEXT_MAX_LENGTH,
    AccountabilityAuditEntry,
    AuditAction,
    UpdateDocument,
    clean_texts,
    require_length,
)
from engage.core import uploads
from engage.core.errors import DomainError
from engage.extensions import db

DOCUMENTS_MAX = 5


def require(allowed: bool, message) -> None:
    if not allowed:
        raise DomainError(message)


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def lock(row) -> None:
    """Lock the row until the end of the transaction (PostgreSQL) and read it afresh: two
    officers acting at once act one after the other, the second on what the first left."""
    model = type(row)
    db.session.execute(select(model.id).where(model.id == row.id).with_for_update())
    db.session.refresh(row)


def _plain(value):
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in an audit state")


def record(actor, action: AuditAction, target, *, before: dict | None = None,
           after: dict | None = None) -> AccountabilityAuditEntry:
    """One entry of the area's audit log; `target` is flushed (it has an id)."""
    entry = AccountabilityAuditEntry(
        actor_id=actor.id if actor is not None else None, action=action,
        target_type=target.AUDIT_TARGET, target_id=target.id,
        before=json.dumps(before or {}, ensure_ascii=False, sort_keys=True, default=_plain),
        after=json.dumps(after or {}, ensure_ascii=False, sort_keys=True, default=_plain))
    db.session.add(entry)
    return entry


def update_texts(texts: dict | None, row_class) -> list:
    """The translation rows of an update's text: at least one language, each within bounds."""
    cleaned = clean_texts(texts, languages())
    for text in cleaned.values():
        require_length(text, TEXT_MAX_LENGTH, _l(
            "A text can have at most %(max)d characters.", max=TEXT_MAX_LENGTH))
    require(any(cleaned.values()), _l("Please write what happened, in one language at least."))
    return [row_class(language=code, text=text) for code, text in cleaned.items() if text]


def store_documents(documents) -> list[UpdateDocument]:
    """`documents`: (title, uploaded file) pairs; each PDF is checked and stored with the
    public documents (engage.core.uploads), and removed again if the transaction rolls back."""
    documents = [(title, upload) for title, upload in documents or ()
                 if upload is not None and bool(getattr(upload, "filename", None))]
    require(len(documents) <= DOCUMENTS_MAX,
            _l("An update can have at most %(max)d documents.", max=DOCUMENTS_MAX))
    rows = []
    for title, upload in documents:
        stored = uploads.DOCUMENTS.store(upload)
        db.session.info.setdefault(_FILES_CREATED, []).append(stored.stored_name)
        rows.append(UpdateDocument(
            title=(" ".join((title or "").split()) or stored.original_name)[:200],
            original_name=stored.original_name[:200], stored_name=stored.stored_name,
            size=stored.size))
    return rows


# Stored files follow the transaction: those stored for a transaction that rolls back are
# deleted (documents are never removed once added).
_FILES_CREATED = "accountability_files_created"


def _forget_files(session) -> None:
    session.info.pop(_FILES_CREATED, None)


def _delete_files(session) -> None:
    for stored_name in session.info.pop(_FILES_CREATED, []):
        uploads.DOCUMENTS.delete(stored_name)


def init_files() -> None:
    """Called by the area's init_app: once per process."""
    if not event.contains(Session, "after_commit", _forget_files):
        event.listen(Session, "after_commit", _forget_files)
        event.listen(Session, "after_rollback", _delete_files)
