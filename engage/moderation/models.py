"""The audit log of moderation actions, moderators' theme tags and suggestion decisions."""

import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db import AwareDateTime, LabelledEnum, enum_check, utcnow
from engage.core.errors import DomainError
from engage.extensions import Model


class AuditAction(LabelledEnum):
    APPROVE = "approve"
    HIDE = "hide"
    AUTO_HIDE = "auto_hide"
    RESTORE = "restore"
    REDACT = "redact"
    DISMISS_REPORTS = "dismiss_reports"
    BLOCK = "block"
    UNBLOCK = "unblock"
    TAG = "tag"
    MERGE_THEMES = "merge_themes"
    ACCEPT_SUGGESTION = "accept_suggestion"
    IGNORE_SUGGESTION = "ignore_suggestion"
    SUMMARY_CREATE = "summary_create"
    SUMMARY_EDIT = "summary_edit"
    SUMMARY_SUBMIT = "summary_submit"
    SUMMARY_RETURN = "summary_return"
    SUMMARY_PUBLISH = "summary_publish"
    SUMMARY_RESPONSE = "summary_response"

    @classmethod
    def labels(cls):
        return {
            cls.APPROVE: _l("Approved"),
            cls.HIDE: _l("Hidden"),
            cls.AUTO_HIDE: _l("Hidden automatically after reports"),
            cls.RESTORE: _l("Restored"),
            cls.REDACT: _l("Passage removed"),
            cls.DISMISS_REPORTS: _l("Reports dismissed"),
            cls.BLOCK: _l("Author blocked"),
            cls.UNBLOCK: _l("Author unblocked"),
            cls.TAG: _l("Themes changed"),
            cls.MERGE_THEMES: _l("Themes merged"),
            cls.ACCEPT_SUGGESTION: _l("Suggested theme accepted"),
            cls.IGNORE_SUGGESTION: _l("Suggested theme ignored"),
            cls.SUMMARY_CREATE: _l("Summary started"),
            cls.SUMMARY_EDIT: _l("Summary edited"),
            cls.SUMMARY_SUBMIT: _l("Summary sent for review"),
            cls.SUMMARY_RETURN: _l("Summary returned to draft"),
            cls.SUMMARY_PUBLISH: _l("Summary approved and published"),
            cls.SUMMARY_RESPONSE: _l("Network response saved"),
        }


# What `before` and `after` hold once the account of the person an entry was about is
# deleted (engage.moderation.personal_data): the texts they quoted are gone.
ERASED = {"erased": True}


class AuditEntry(Model):
    """One moderation action: who, when, what, why, and the state before and after.

    Entries are only ever added: the model refuses updates and deletes. The original text
    of a redacted passage is kept here and nowhere else, until the account of its author
    is deleted: then `erase_texts` (engage.moderation.services.audit), the one change an
    entry accepts, replaces its note and states by ERASED; the action, who took it, when,
    the item's number and the reason stay.
    """

    __tablename__ = "moderation_audit_log"
    __table_args__ = (
        enum_check(AuditAction, "action"),
        Index("ix_moderation_audit_log_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow, index=True)
    # None: done by the platform itself (an item hidden after reports).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(30), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column()
    container_kind: Mapped[str | None] = mapped_column(String(20))
    container_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
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

    @property
    def is_erased(self) -> bool:
        return self.before_data == ERASED


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise DomainError(_l("Audit log entries cannot be changed."))


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise DomainError(_l("Audit log entries cannot be deleted."))


class ContributionTheme(Model):
    """A theme a moderator gave a contribution (besides the one its author chose)."""

    __tablename__ = "moderation_contribution_themes"

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_contributions.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    theme = relationship("Theme")


class SuggestionDecision(LabelledEnum):
    ACCEPTED = "accepted"
    IGNORED = "ignored"

    @classmethod
    def labels(cls):
        return {cls.ACCEPTED: _l("Accepted"), cls.IGNORED: _l("Ignored")}


class ThemeSuggestion(Model):
    """A moderator's decision on a suggested theme, so that it is not proposed again."""

    __tablename__ = "moderation_theme_suggestions"
    __table_args__ = (
        UniqueConstraint("consultation_id", "key", name="uq_moderation_theme_suggestions_key"),
        enum_check(SuggestionDecision, "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(10))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
