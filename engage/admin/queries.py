"""Read models of the people pages: the filtered list of accounts, and one person's page
(roles, associations, activity, the decisions about the account).

`admin` reads the other areas only through core: what people wrote through the registry of
moderated items (`engage.core.moderated.MODERATED_TARGETS`, one kind per area), their reports
and sign-in sessions through core's tables. Each page issues a fixed number of queries.
"""

from dataclasses import dataclass

from flask import Request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from engage.accounts.models import (
    AccountAuditEntry,
    AccountState,
    Association,
    Membership,
    MembershipStatus,
    Role,
    User,
)
from engage.core import registry
from engage.core.moderated import MODERATED_TARGETS, ModerationStatus, Report
from engage.core.sessions import SignInSession
from engage.extensions import db

SEARCH_MAX_LENGTH = 100
# The states the list filters by (a deleted account is not listed: it holds nothing to manage).
LISTED_STATES = (AccountState.ACTIVE, AccountState.UNCONFIRMED, AccountState.INVITED,
                 AccountState.DEACTIVATED, AccountState.BLOCKED)
HISTORY_LENGTH = 50


@dataclass(frozen=True)
class UserFilters:
    """What the list is narrowed to; values that are not a choice are ignored."""

    query: str = ""
    role: str = ""
    state: str = ""
    association_id: int | None = None

    @classmethod
    def from_request(cls, request: Request) -> "UserFilters":
        role = request.args.get("role", "")
        state = request.args.get("state", "")
        association = request.args.get("association", type=int)
        return cls(
            query=request.args.get("q", "").strip()[:SEARCH_MAX_LENGTH],
            role=role if role in {r.value for r in Role} else "",
            state=state if state in {s.value for s in LISTED_STATES} else "",
            association_id=association if association and association > 0 else None,
        )

    def as_args(self) -> dict:
        """The filters as query parameters (for the pages of the list)."""
        return {key: value for key, value in (
            ("q", self.query), ("role", self.role), ("state", self.state),
            ("association", self.association_id)) if value}


def user_list(filters: UserFilters) -> Select:
    """The accounts matching `filters`, newest first (the caller paginates)."""
    statement = select(User).where(User.deleted_at.is_(None)) \
        .order_by(User.created_at.desc(), User.id.desc())
    if filters.query:
        words = filters.query.lower()
        statement = statement.where(or_(
            func.lower(User.email).contains(words, autoescape=True),
            func.lower(User.display_name).contains(words, autoescape=True),
            func.lower(User.pseudonym).contains(words, autoescape=True),
        ))
    if filters.role:
        statement = statement.where(User.role == filters.role)
    if filters.state:
        statement = statement.where(User.in_state(AccountState(filters.state)))
    if filters.association_id is not None:
        statement = statement.where(exists().where(
            Membership.user_id == User.id,
            Membership.association_id == filters.association_id,
            Membership.status == MembershipStatus.APPROVED,
        ))
    return statement


def association_choices() -> list[tuple[int, str]]:
    return [(row.id, row.name) for row in db.session.execute(
        select(Association.id, Association.name).order_by(Association.name))]


def person(user_id: int) -> User | None:
    """The account with its requests to represent associations and their associations."""
    return db.session.scalar(
        select(User).where(User.id == user_id)
        .options(selectinload(User.memberships).joinedload(Membership.association))
    )


@dataclass(frozen=True)
class Activity:
    """What one kind of item counts for a person."""

    label: object  # a lazy string
    total: int
    hidden: int | None = None  # None: nothing of this kind can be hidden


def activity(user_id: int) -> list[Activity]:
    """What the person wrote in each area (by kind of moderated item, hidden ones told
    apart), the reports they made, their open sign-in sessions and the areas' own figures
    (`registry.activity_counts`): one query."""
    targets = sorted(MODERATED_TARGETS.values(), key=lambda target: target.name)
    parts = []
    for index, target in enumerate(targets):
        model = target.model
        author = getattr(model, target.author_attribute)
        hidden = func.coalesce(func.sum(case(
            (model.moderation_status == ModerationStatus.HIDDEN, 1), else_=0)), 0)
        parts.append(select(literal(index).label("kind"), func.count().label("total"),
                            hidden.label("hidden")).select_from(model).where(author == user_id))
    reports, sessions = len(targets), len(targets) + 1
    parts.append(select(literal(reports), func.count(), literal(0))
                 .select_from(Report).where(Report.reporter_id == user_id))
    parts.append(select(literal(sessions), func.count(), literal(0))
                 .select_from(SignInSession).where(SignInSession.user_id == user_id))
    areas = registry.of().activity_counts  # supports, rankings, reviews...: each area's own
    for index, count in enumerate(areas, start=sessions + 1):
        parts.append(select(literal(index), count.counted(user_id).scalar_subquery(),
                            literal(0)))
    counted = {row[0]: (row[1], row[2]) for row in db.session.execute(union_all(*parts))}
    labels = [target.label for target in targets]
    labels += [_l("Reports made to the moderators"), _l("Open sign-in sessions")]
    labels += [count.label for count in areas]
    return [Activity(label, counted.get(index, (0, 0))[0],
                     counted.get(index, (0, 0))[1] if index < len(targets) else None)
            for index, label in enumerate(labels)]


def history(user_id: int) -> list[AccountAuditEntry]:
    """The latest decisions about the account, newest first, with who took them."""
    return list(db.session.scalars(
        select(AccountAuditEntry).where(AccountAuditEntry.user_id == user_id)
        .options(joinedload(AccountAuditEntry.actor))
        .order_by(AccountAuditEntry.created_at.desc(), AccountAuditEntry.id.desc())
        .limit(HISTORY_LENGTH)
    ))
