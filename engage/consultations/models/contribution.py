"""What participants write in a consultation: contributions, replies, supports, revisions."""

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db import AwareDateTime, TimestampMixin, enum_check, utcnow
from engage.core.markdown import plain_text
from engage.core.moderated import ModeratedMixin, ModerationStatus
from engage.core.search import normalize
from engage.extensions import Model

CONTRIBUTION_MAX_LENGTH = 5000
# Rows the moderation queue lists (engage.moderation.queries): a partial index holds them.
IN_QUEUE = "moderation_status = 'pending' OR open_report_count > 0"
POSITION = "parent_id IS NULL AND association_id IS NOT NULL"
REPLY_MAX_LENGTH = 2000


class Contribution(ModeratedMixin, TimestampMixin, Model):
    """A contribution, or a reply to one (one level: a reply has a parent, never children).

    With an association, a top-level contribution is that association's position.
    """

    __tablename__ = "consultation_contributions"
    __table_args__ = (
        enum_check(ModerationStatus, "moderation_status"),
        # A consultation's contributions, newest or most supported first (paginated lists;
        # partial, so that the index order is the list's order).
        Index("ix_consultation_contributions_newest", "consultation_id", "created_at", "id",
              postgresql_where=text("parent_id IS NULL"), sqlite_where=text("parent_id IS NULL")),
        Index("ix_consultation_contributions_supported", "consultation_id", "support_count",
              "created_at", "id", postgresql_where=text("parent_id IS NULL"),
              sqlite_where=text("parent_id IS NULL")),
        # Association positions (a few per consultation), newest first.
        Index("ix_consultation_contributions_positions", "consultation_id", "created_at", "id",
              postgresql_where=text(POSITION), sqlite_where=text(POSITION)),
        # The replies of a contribution, oldest first (its thread).
        Index("ix_consultation_contributions_replies", "parent_id", "created_at", "id",
              postgresql_where=text("parent_id IS NOT NULL"),
              sqlite_where=text("parent_id IS NOT NULL")),
        # Every contribution, newest first (search results).
        Index("ix_consultation_contributions_created", "created_at", "id"),
        # The few deleted ones (kept in the lists while they carry replies).
        Index("ix_consultation_contributions_deleted", "consultation_id",
              postgresql_where=text("deleted_at IS NOT NULL"),
              sqlite_where=text("deleted_at IS NOT NULL")),
        # What the moderation queue lists: awaiting approval or reported.
        Index("ix_consultation_contributions_queue", "open_report_count", "created_at",
              postgresql_where=text(IN_QUEUE), sqlite_where=text(IN_QUEUE)),
    )
    MODERATION_TARGET = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_contributions.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    # The interface language the author wrote in (for the lang attribute of the text).
    language: Mapped[str | None] = mapped_column(String(10))
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Kept on the row so that sorting by support needs no aggregate.
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    edited_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Deleted by its author: the text is gone; the row stays while replies hang on it.
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    consultation = relationship("Consultation")
    author = relationship("User", foreign_keys=[author_id])
    association = relationship("Association")
    theme = relationship("Theme")
    parent: Mapped["Contribution | None"] = relationship(remote_side=[id])
    revisions: Mapped[list["ContributionRevision"]] = relationship(
        back_populates="contribution", cascade="all, delete-orphan",
        order_by="ContributionRevision.id",
    )

    def __repr__(self) -> str:
        return f"<Contribution {self.id} {self.moderation_status}>"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_position(self) -> bool:
        return self.association_id is not None and self.parent_id is None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        """Shown to everyone and counted: published and not deleted."""
        return self.moderation_status == ModerationStatus.PUBLISHED and not self.is_deleted

    @property
    def moderation_label(self) -> str:
        return ModerationStatus(self.moderation_status).label

    @classmethod
    def visible_clause(cls):
        return and_(cls.moderation_status == ModerationStatus.PUBLISHED,
                    cls.deleted_at.is_(None))

    def refresh_search_text(self) -> None:
        self.search_text = "" if self.is_deleted else normalize(plain_text(self.body))


@event.listens_for(Contribution, "before_insert")
@event.listens_for(Contribution, "before_update")
def _index_contribution(mapper, connection, target) -> None:
    target.refresh_search_text()


class ContributionRevision(Model):
    """The text of a contribution before an edit."""

    __tablename__ = "consultation_contribution_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_contributions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    contribution: Mapped[Contribution] = relationship(back_populates="revisions")
    edited_by = relationship("User")


class ContributionSupport(Model):
    """A participant backs a contribution: once, and can withdraw."""

    __tablename__ = "consultation_supports"
    __table_args__ = (
        UniqueConstraint("contribution_id", "user_id", name="uq_consultation_supports_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_contributions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
