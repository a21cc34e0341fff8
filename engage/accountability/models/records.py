"""What the area's records share: the texts of dated updates, their PDF documents, people's
follows, and the area's audit log."""

import json
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.content import pick_translation
from engage.core.db import AwareDateTime, LabelledEnum, enum_check, utcnow
from engage.core.errors import DomainError
from engage.extensions import Model

TITLE_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000
LINKS_MAX = 10
LINK_URL_MAX_LENGTH = 500
LINK_LABEL_MAX_LENGTH = 200

NOTHING_DELETED = _l("Nothing of what the network has published can be deleted: a correction "
                     "is an update.")


def exactly_one(first: str, second: str) -> str:
    """SQL: one of two columns is set, never both, never neither."""
    return (f"({first} IS NOT NULL AND {second} IS NULL) OR "
            f"({first} IS NULL AND {second} IS NOT NULL)")


def clean_texts(texts: dict | None, languages) -> dict[str, str]:
    """Texts by language, without surrounding spaces and with Unix line ends."""
    texts = texts or {}
    return {code: (texts.get(code) or "").replace("\r\n", "\n").strip() for code in languages}


def require_length(text: str, limit: int, message) -> None:
    if len(text) > limit:
        raise DomainError(message)


class UpdateMixin:
    """A dated update (of a commitment or a funded project): its text in each language, links
    (URL and label) and PDF documents. Updates are added, never changed nor deleted."""

    happened_on: Mapped[date] = mapped_column(Date)
    # [{"url": ..., "label": ...}]: what the update points to (an article, a report...).
    links: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    translations: list  # each model declares its own relationship

    def text(self, language: str) -> str:
        shown = pick_translation(self.translations, language)
        return shown.text if shown else ""

    def set_links(self, links) -> None:
        """`links`: (url, label) pairs; blank pairs are left out, a missing label is the URL."""
        kept = []
        for url, label in links or ():
            url, label = (url or "").strip(), " ".join((label or "").split())
            if not url and not label:
                continue
            if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
                raise DomainError(_l("A link must be a web address starting with https://."))
            require_length(url, LINK_URL_MAX_LENGTH, _l(
                "A web address can have at most %(max)d characters.", max=LINK_URL_MAX_LENGTH))
            require_length(label, LINK_LABEL_MAX_LENGTH, _l(
                "A link's label can have at most %(max)d characters.",
                max=LINK_LABEL_MAX_LENGTH))
            kept.append({"url": url, "label": label or url})
        if len(kept) > LINKS_MAX:
            raise DomainError(_l("An update can have at most %(max)d links.", max=LINKS_MAX))
        self.links = kept


class UpdateDocument(Model):
    """A PDF attached to an update, stored with the public documents (core.uploads)."""

    __tablename__ = "accountability_documents"
    __table_args__ = (
        CheckConstraint(exactly_one("commitment_update_id", "project_update_id"),
                        name="one_update"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("accountability_commitment_updates.id", ondelete="CASCADE"), index=True)
    project_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("accountability_project_updates.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    @property
    def download_name(self) -> str:
        return self.original_name if self.original_name.lower().endswith(".pdf") \
            else f"{self.original_name}.pdf"


class Follow(Model):
    """A person follows a published commitment or funded project, to hear of its updates."""

    __tablename__ = "accountability_follows"
    __table_args__ = (
        CheckConstraint(exactly_one("commitment_id", "project_id"), name="one_target"),
        # One follow per person and item (NULLs never clash: the other target is set).
        UniqueConstraint("user_id", "commitment_id", name="uq_accountability_follows_commitment"),
        UniqueConstraint("user_id", "project_id", name="uq_accountability_follows_project"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("accountability_commitments.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("accountability_funded_projects.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    commitment = relationship("Commitment")
    project = relationship("FundedProject")


class AuditAction(LabelledEnum):
    RESPONSE_START = "response_start"
    RESPONSE_DISCARD = "response_discard"
    RESPONSE_PUBLISH = "response_publish"
    COMMITMENT_ADD = "commitment_add"
    COMMITMENT_EDIT = "commitment_edit"
    COMMITMENT_REMOVE = "commitment_remove"
    COMMITMENT_UPDATE = "commitment_update"
    COMMITMENT_CORRECT = "commitment_correct"
    CALL_LINK = "call_link"
    CALL_UNLINK = "call_unlink"
    PROJECT_CREATE = "project_create"
    PROJECT_EDIT = "project_edit"
    PROJECT_PUBLISH = "project_publish"
    PROJECT_UPDATE = "project_update"

    @classmethod
    def labels(cls):
        return {
            cls.RESPONSE_START: _l("Response started"),
            cls.RESPONSE_DISCARD: _l("Draft response discarded"),
            cls.RESPONSE_PUBLISH: _l("Response published"),
            cls.COMMITMENT_ADD: _l("Commitment added"),
            cls.COMMITMENT_EDIT: _l("Commitment edited"),
            cls.COMMITMENT_REMOVE: _l("Commitment removed from the draft"),
            cls.COMMITMENT_UPDATE: _l("Commitment updated"),
            cls.COMMITMENT_CORRECT: _l("Commitment corrected"),
            cls.CALL_LINK: _l("Funding call linked"),
            cls.CALL_UNLINK: _l("Funding call unlinked"),
            cls.PROJECT_CREATE: _l("Funded project created"),
            cls.PROJECT_EDIT: _l("Funded project edited"),
            cls.PROJECT_PUBLISH: _l("Funded project published"),
            cls.PROJECT_UPDATE: _l("Funded project updated"),
        }


class AccountabilityAuditEntry(Model):
    """One change to the network's record: who, when, what, and the state before and after.
    Entries are only ever added: the model refuses updates and deletes."""

    __tablename__ = "accountability_audit_log"
    __table_args__ = (
        enum_check(AuditAction, "action"),
        Index("ix_accountability_audit_log_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column()
    before: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    after: Mapped[str] = mapped_column(Text, default="{}")  # JSON

    actor = relationship("User")

    @property
    def action_label(self) -> str:
        return AuditAction(self.action).label

    @property
    def before_data(self) -> dict:
        return json.loads(self.before or "{}")

    @property
    def after_data(self) -> dict:
        return json.loads(self.after or "{}")


@event.listens_for(AccountabilityAuditEntry, "before_update")
def _refuse_audit_update(mapper, connection, target) -> None:
    raise DomainError(_l("The audit log of the network’s record cannot be changed."))


@event.listens_for(AccountabilityAuditEntry, "before_delete")
def _refuse_audit_delete(mapper, connection, target) -> None:
    raise DomainError(_l("The audit log of the network’s record cannot be deleted."))


@event.listens_for(UpdateDocument, "before_delete")
def _keep_documents(mapper, connection, target) -> None:
    raise DomainError(NOTHING_DELETED)


def updates_are_kept(model) -> None:
    """Refuse the deletion of any row of an update model (called once per model)."""
    def refuse(mapper, connection, target) -> None:
        raise DomainError(NOTHING_DELETED)

    event.listen(model, "before_delete", refuse)
