"""The newsletter's tables: who receives it (an address and a language, confirmed by double
opt-in) and the issues sent (their number, the period they cover and what they list)."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db import AwareDateTime, TimestampMixin, utcnow
from engage.extensions import Model

# What an issue lists, in the order it shows them: a key of `NewsletterIssue.content` each.
SECTIONS = ("summaries", "priorities", "commitments", "commitment_updates", "projects",
            "project_updates")


class Subscriber(TimestampMixin, Model):
    """An address that asked for the newsletter, with or without an account (the address is
    all that links them: nothing is kept of who asked). It receives issues once confirmed
    (`confirmed_at`); unsubscribing deletes the row.

    `secret` goes into the signed links of the address (confirmation, unsubscription): a
    link made for a row deleted since never works for a new row of the same address, or of
    the same id."""

    __tablename__ = "newsletter_subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    language: Mapped[str] = mapped_column(String(10))
    secret: Mapped[str] = mapped_column(String(32))
    confirmed_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), index=True)

    def __repr__(self) -> str:
        return f"<Subscriber {self.id} {'confirmed' if self.is_confirmed else 'waiting'}>"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def confirm(self) -> bool:
        """Confirm the address; False if it already was."""
        if self.is_confirmed:
            return False
        self.confirmed_at = utcnow()
        return True


class Issue(Model):
    """An issue sent: what was published after the previous issue's `period_end` up to its
    own. One issue per number and per day (`issued_on`, in the platform's time zone): the
    command run again that day, or twice at once, sends nothing more."""

    __tablename__ = "newsletter_issues"
    __table_args__ = (
        UniqueConstraint("number", name="uq_newsletter_issues_number"),
        UniqueConstraint("issued_on", name="uq_newsletter_issues_issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column()
    issued_on: Mapped[date] = mapped_column(Date)
    period_start: Mapped[datetime] = mapped_column(AwareDateTime())
    period_end: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    # {section: [ids]} for each of SECTIONS: what the issue lists, read again to show it.
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Issue {self.number}>"

    def ids(self, section: str) -> list[int]:
        return [int(item) for item in (self.content or {}).get(section, [])]

    @property
    def item_count(self) -> int:
        return sum(len(self.ids(section)) for section in SECTIONS)
