"""What "My space" keeps of its own: when each person last opened it (for "new since your
last visit") and the digests sent (one per person, period and day or week)."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db import AwareDateTime, LabelledEnum, enum_check, utcnow
from engage.extensions import Model


class DigestPeriod(LabelledEnum):
    DAILY = "daily"
    WEEKLY = "weekly"

    @classmethod
    def labels(cls):
        return {cls.DAILY: _l("Daily digest"), cls.WEEKLY: _l("Weekly digest")}


class SpaceVisit(Model):
    """A person's visits to My space. A visit lasts VISIT_LENGTH (engage.space.services):
    opening it again within that time, or going to its next page, keeps the same "since"."""

    __tablename__ = "space_visits"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    # The start of the visit before: what is newer is "new since your last visit".
    previous_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class NotificationDigest(Model):
    """A digest email sent: at most one per person, period and period start, so that the
    command can run again (or twice at once) without sending a second one."""

    __tablename__ = "notification_digests"
    __table_args__ = (
        UniqueConstraint("user_id", "period", "period_start",
                         name="uq_notification_digests_user_period"),
        enum_check(DigestPeriod, "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    # The day (daily) or the Monday (weekly) the digest stands for, in Paris time.
    period_start: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    count: Mapped[int] = mapped_column(default=0)
