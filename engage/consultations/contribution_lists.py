"""Reading the contributions that a consultation's page and a thread list, cheaply.

A page lists up to a hundred contributions and replies: they are read as rows of the
columns shown (`ContributionItem`), never as ORM entities with their author's whole
account, in a fixed number of queries:

- each list is paged by key (engage.core.keyset), in an order whose key is (value, id);
- its total is counted once per version of the consultation (engage.core.aggregate_cache),
  plus, for a signed-in reader, their own texts awaiting moderation, which only they see;
- what is the reader's own (their supports, whether they follow, their answers, the
  associations they speak for and the positions these gave) comes with the rows or in one
  more query (`reader_facts`).
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased

from engage.accounts.models import Association, Membership, MembershipStatus, User
from engage.consultations.models import (
    Consultation,
    ConsultationFollow,
    ConsultationQuestion,
    ConsultationResponse,
    Contribution,
    ContributionSupport,
    Theme,
)
from engage.core import aggregate_cache, versions
from engage.core.db import AwareDateTime
from engage.core.keyset import Key, KeysetPage, paginate_by_key
from engage.core.moderated import ModerationStatus
from engage.extensions import db

REPLIES_SHOWN = 3

# The orders of the lists, each ending with the id: sort name -> key.
ORDERS = {
    "newest": Key((Contribution.created_at, Contribution.id), (datetime, int)),
    "supported": Key((Contribution.support_count, Contribution.created_at, Contribution.id),
                     (int, datetime, int)),
}
THREAD_ORDER = Key((Contribution.created_at, Contribution.id), (datetime, int),
                   descending=False)


class _Author(NamedTuple):
    """The columns of an account that its public name is made of."""

    display_name: str
    pseudonym: str | None
    use_pseudonym: bool
    deleted_at: datetime | None


@dataclass(slots=True)
class ContributionItem:
    """A contribution or a reply as the pages show it."""

    id: int
    consultation_id: int
    parent_id: int | None
    author_id: int | None
    association_id: int | None
    theme_id: int | None
    body: str
    language: str | None
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    moderation_status: str
    support_count: int
    author_name: str | None  # the author's public name; None once the account is gone
    association_name: str | None
    supported: bool = False  # by the reader

    # The model's own definitions, so that a row and an entity answer the same.
    is_reply = Contribution.is_reply
    is_position = Contribution.is_position
    is_deleted = Contribution.is_deleted
    is_visible = Contribution.is_visible

    @classmethod
    def of(cls, contribution: Contribution, supported: bool = False) -> "ContributionItem":
        """The row of an entity loaded with its author and association."""
        author, association = contribution.author, contribution.association
        return cls(
            contribution.id, contribution.consultation_id, contribution.parent_id,
            contribution.author_id, contribution.association_id, contribution.theme_id,
            contribution.body, contribution.language, contribution.created_at,
            contribution.edited_at, contribution.deleted_at, contribution.moderation_status,
            contribution.support_count, author.public_name if author is not None else None,
            association.name if association is not None else None, supported,
        )


_ITEM_COLUMNS = (
    Contribution.id, Contribution.consultation_id, Contribution.parent_id,
    Contribution.author_id, Contribution.association_id, Contribution.theme_id,
    Contribution.body, Contribution.language, Contribution.created_at, Contribution.edited_at,
    Contribution.deleted_at, Contribution.moderation_status, Contribution.support_count,
)
_AUTHOR_COLUMNS = (User.display_name, User.pseudonym, User.use_pseudonym, User.deleted_at)
_AUTHOR_ID = 3  # in _ITEM_COLUMNS
_AUTHOR = slice(len(_ITEM_COLUMNS), len(_ITEM_COLUMNS) + len(_AUTHOR_COLUMNS))
_ASSOCIATION_NAME, _SUPPORTED = _AUTHOR.stop, _AUTHOR.stop + 1

# The statements are built once, with these parameters bound when they run: building a
# statement anew for every request costs more Python than reading its rows.
_CONSULTATION = bindparam("consultation_id", type_=Integer)
_READER = bindparam("reader_id", type_=Integer)
_THEME = bindparam("theme_id", type_=Integer)
_PARENT = bindparam("parent_id", type_=Integer)
_PARENTS = bindparam("parent_ids", type_=Integer, expanding=True)


def _items_select(signed_in: bool, *extra):
    """The columns of `ContributionItem` (with `extra` ones after them), the author's and
    association's names joined; whether the reader supports each when they are signed in."""
    supported = exists().where(
        ContributionSupport.contribution_id == Contribution.id,
        ContributionSupport.user_id == _READER,
    ) if signed_in else false()
    return (
        select(*_ITEM_COLUMNS, *_AUTHOR_COLUMNS, Association.name, supported.label("supported"),
               *extra)
        .outerjoin(User, User.id == Contribution.author_id)
        .outerjoin(Association, Association.id == Contribution.association_id)
    )


# The rule of User.public_name, applied to the columns read rather than to an account.
_public_name = vars(User)["public_name"].fget


def _item(row) -> ContributionItem:
    name = _public_name(_Author(*row[_AUTHOR])) if row[_AUTHOR_ID] is not None else None
    values: tuple = (*row[:_AUTHOR.start], name, row[_ASSOCIATION_NAME], bool(row[_SUPPORTED]))
    return ContributionItem(*values)


def _items(rows) -> list[ContributionItem]:
    return [_item(row) for row in rows]


def _execute(statement, parameters: dict):
    """Core selects of columns run on the session's connection (in its transaction), past
    the ORM's layer, which costs a fifth of a millisecond a query for nothing here."""
    return db.session.connection().execute(statement, parameters)


def _reader_id(user) -> int | None:
    return user.id if user is not None and user.is_authenticated else None


def _parameters(consultation_id: int | None = None, reader_id: int | None = None,
                theme_id: int | None = None) -> dict:
    values = {_CONSULTATION.key: consultation_id, _THEME.key: theme_id}
    if reader_id is not None:
        values[_READER.key] = reader_id
    return values


# Which contributions a reader sees listed


def _own_clause():
    return and_(Contribution.author_id == _READER, Contribution.deleted_at.is_(None))


def _public_top_level_clause():
    """Published and not deleted; deleted ones that still carry replies."""
    reply = aliased(Contribution, name="reply")
    deleted = aliased(Contribution, name="deleted")
    # The few deleted contributions of this consultation are looked up first (a partial
    # index holds them): an EXISTS on the outer row would make PostgreSQL hash every reply.
    deleted_with_replies = select(deleted.id).where(
        deleted.consultation_id == _CONSULTATION,
        deleted.deleted_at.is_not(None),
        deleted.moderation_status == ModerationStatus.PUBLISHED,
        exists().where(
            reply.parent_id == deleted.id,
            reply.moderation_status == ModerationStatus.PUBLISHED,
            reply.deleted_at.is_(None),
        ),
    )
    return or_(Contribution.visible_clause(), Contribution.id.in_(deleted_with_replies))


def _shown_top_level_clause(signed_in: bool):
    """What everyone sees, and the reader's own (pending or hidden ones included)."""
    public = _public_top_level_clause()
    return or_(public, _own_clause()) if signed_in else public


def _own_unpublished_clause():
    """The reader's own that only they see: not deleted, not published."""
    return and_(Contribution.author_id == _READER, Contribution.deleted_at.is_(None),
                Contribution.moderation_status != ModerationStatus.PUBLISHED)


def _replies_clause(signed_in: bool):
    visible = Contribution.visible_clause()
    return or_(visible, _own_clause()) if signed_in else visible


def _in_theme(themed: bool):
    return Contribution.theme_id == _THEME if themed else true()


def _count_where(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# What the consultation's page counts


@dataclass(frozen=True)
class PageCounts:
    """What everyone sees listed on a consultation's page (with a theme filter on the
    contributions), and its number of questions."""

    contributions: int
    positions: int
    questions: int


def page_counts(consultation: Consultation, theme_id: int | None) -> PageCounts:
    """One query, whose result is kept while the consultation is unchanged."""
    return aggregate_cache.remember(
        ("consultation-page-counts", consultation.id, theme_id),
        lambda: _count_page(consultation.id, theme_id),
        [versions.consultation(consultation.id)])


@cache
def _page_counts_statement(themed: bool):
    is_position = Contribution.association_id.is_not(None)
    questions = (select(func.count(ConsultationQuestion.id))
                 .where(ConsultationQuestion.consultation_id == _CONSULTATION)
                 .scalar_subquery())
    return (
        select(_count_where(and_(~is_position, _in_theme(themed))), _count_where(is_position),
               questions)
        .where(Contribution.consultation_id == _CONSULTATION,
               Contribution.parent_id.is_(None),
               _public_top_level_clause())
    )


def _count_page(consultation_id: int, theme_id: int | None) -> PageCounts:
    row = _execute(_page_counts_statement(bool(theme_id)),
                   _parameters(consultation_id, theme_id=theme_id)).one()
    return PageCounts(row[0] or 0, row[1] or 0, row[2] or 0)


# The reader's own facts on a consultation's page


@dataclass(frozen=True)
class GivenPosition:
    """The position an association the reader speaks for has given here."""

    association_id: int
    association_name: str
    contribution_id: int
    author_id: int | None
    moderation_status: str

    # Read among those not deleted, at the top level: what permissions.item_rights reads.
    is_deleted = False
    is_reply = False

    @property
    def id(self) -> int:
        return self.contribution_id

    @property
    def is_visible(self) -> bool:
        return self.moderation_status == ModerationStatus.PUBLISHED


@dataclass(frozen=True)
class Response:
    """The reader's questionnaire response: a draft until submitted."""

    id: int
    submitted_at: datetime | None

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass
class ReaderFacts:
    """What a consultation's page shows of the reader's own; empty for a visitor."""

    following: bool = False
    response: Response | None = None
    associations: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    positions: dict[int, GivenPosition] = field(default_factory=dict)  # by association
    own_unpublished_contributions: int = 0  # in the theme filter, if any
    own_unpublished_positions: int = 0

    @property
    def given_positions(self) -> list[GivenPosition]:
        """One per association that has spoken, in the order of the associations."""
        return [self.positions[a_id] for a_id, _name in self.associations
                if a_id in self.positions]


_KIND, _ID, _NUMBER, _OTHER, _TEXT, _AT = range(6)


def _fact(kind: str, id_=None, number=None, other=None, text=None, at=None):
    """One kind of fact, in the columns that all kinds share."""
    return select(
        literal(kind, String).label("kind"),
        cast(null(), Integer) if id_ is None else id_,
        cast(null(), Integer) if number is None else number,
        cast(null(), Integer) if other is None else other,
        cast(null(), String) if text is None else text,
        cast(null(), AwareDateTime()) if at is None else at,
    )


@cache
def _facts_statement(themed: bool):
    spoken_for = select(Membership.association_id).where(
        Membership.user_id == _READER, Membership.status == MembershipStatus.APPROVED)
    is_position = Contribution.association_id.is_not(None)
    return union_all(
        _fact("follow", ConsultationFollow.id).where(
            ConsultationFollow.consultation_id == _CONSULTATION,
            ConsultationFollow.user_id == _READER),
        _fact("response", ConsultationResponse.id, at=ConsultationResponse.submitted_at)
        .where(ConsultationResponse.consultation_id == _CONSULTATION,
               ConsultationResponse.user_id == _READER),
        _fact("association", Association.id, text=Association.name)
        .where(Association.id.in_(spoken_for)),
        _fact("position", Contribution.id, Contribution.association_id,
              Contribution.author_id, Contribution.moderation_status)
        .where(Contribution.consultation_id == _CONSULTATION,
               Contribution.association_id.in_(spoken_for),
               Contribution.parent_id.is_(None), Contribution.deleted_at.is_(None)),
        _fact("own", number=_count_where(and_(~is_position, _in_theme(themed))),
              other=_count_where(is_position))
        .where(Contribution.consultation_id == _CONSULTATION,
               Contribution.parent_id.is_(None), _own_unpublished_clause()),
    )


def reader_facts(user, consultation: Consultation, theme_id: int | None) -> ReaderFacts:
    """One query for a signed-in reader, none for a visitor."""
    reader_id = _reader_id(user)
    facts = ReaderFacts()
    if reader_id is None:
        return facts
    rows = _execute(_facts_statement(bool(theme_id)),
                    _parameters(consultation.id, reader_id, theme_id)).all()
    names = {}
    positions = []
    for row in rows:
        kind = row[_KIND]
        if kind == "follow":
            facts.following = True
        elif kind == "response":
            facts.response = Response(row[_ID], row[_AT])
        elif kind == "association":
            names[row[_ID]] = row[_TEXT]
        elif kind == "position":
            positions.append(row)
        elif kind == "own":
            facts.own_unpublished_contributions = row[_NUMBER] or 0
            facts.own_unpublished_positions = row[_OTHER] or 0
    facts.associations = sorted(names.items(), key=lambda pair: (pair[1].casefold(), pair[0]))
    # One per association (the latest, should there be more), as queries.positions_given.
    for row in sorted(positions, key=lambda row: row[_ID]):
        association_id = row[_NUMBER]
        facts.positions[association_id] = GivenPosition(
            association_id, names[association_id], row[_ID], row[_OTHER], row[_TEXT])
    return facts


# The lists


@cache
def _list_statement(signed_in: bool, positions: bool, themed: bool):
    statement = _items_select(signed_in).where(
        Contribution.consultation_id == _CONSULTATION,
        Contribution.parent_id.is_(None),
        Contribution.association_id.is_not(None) if positions
        else Contribution.association_id.is_(None),
        _shown_top_level_clause(signed_in),
    )
    return statement.where(_in_theme(True)) if themed else statement


def contributions_list(consultation: Consultation, user, *, positions: bool, sort: str,
                       theme_id: int | None, per_page: int, total: int,
                       page_param: str = "page", cursor_prefix: str = "") -> KeysetPage:
    """A page of the consultation's top-level contributions (or its association
    positions), as the reader sees them; `total` is the length of the whole list."""
    reader_id = _reader_id(user)
    page = paginate_by_key(
        _list_statement(reader_id is not None, positions, bool(theme_id)), ORDERS[sort],
        _key_of(sort), total=total, per_page=per_page,
        parameters=_parameters(consultation.id, reader_id, theme_id),
        page_param=page_param, cursor_prefix=cursor_prefix)
    page.items = _items(page.items)
    return page


def _key_of(sort: str):
    if sort == "supported":
        return lambda row: (row.support_count, row.created_at, row.id)
    return lambda row: (row.created_at, row.id)


@dataclass
class Replies:
    shown: list[ContributionItem] = field(default_factory=list)
    total: int = 0


@cache
def _preview_statement(signed_in: bool):
    position = func.row_number().over(
        partition_by=Contribution.parent_id,
        order_by=(Contribution.created_at, Contribution.id),
    ).label("position")
    total = func.count(Contribution.id).over(partition_by=Contribution.parent_id).label("total")
    ranked = (
        select(Contribution.id, position, total)
        .where(Contribution.parent_id.in_(_PARENTS), _replies_clause(signed_in))
        .subquery()
    )
    return (
        _items_select(signed_in, ranked.c.total)
        .join(ranked, ranked.c.id == Contribution.id)
        .where(ranked.c.position <= REPLIES_SHOWN)
        .order_by(Contribution.created_at, Contribution.id)
    )


def replies_preview(parent_ids: list[int], user) -> dict[int, Replies]:
    """The first replies of each contribution and how many there are: one query."""
    previews = {pid: Replies() for pid in parent_ids}
    if not parent_ids:
        return previews
    reader_id = _reader_id(user)
    rows = _execute(_preview_statement(reader_id is not None),
                    {**_parameters(reader_id=reader_id), _PARENTS.key: parent_ids})
    for row in rows:
        reply = _item(row)
        assert reply.parent_id is not None  # a reply always has its parent
        preview = previews[reply.parent_id]
        preview.shown.append(reply)
        preview.total = row[-1]
    return previews


@cache
def _thread_statements(signed_in: bool):
    shown = and_(Contribution.parent_id == _PARENT, _replies_clause(signed_in))
    return (select(func.count(Contribution.id)).where(shown),
            _items_select(signed_in).where(shown))


def replies_list(parent_id: int, user, per_page: int) -> KeysetPage:
    """A page of a contribution's replies, oldest first, and their number: two queries."""
    reader_id = _reader_id(user)
    count, rows = _thread_statements(reader_id is not None)
    parameters = {**_parameters(reader_id=reader_id), _PARENT.key: parent_id}
    total = _execute(count, parameters).scalar() or 0
    page = paginate_by_key(rows, THREAD_ORDER, _key_of("newest"), total=total,
                           per_page=per_page, parameters=parameters)
    page.items = _items(page.items)
    return page


def theme_labels(consultation: Consultation, items, language: str) -> dict[int, str]:
    """The label of each theme of `items`: those of the consultation are loaded with it;
    a theme it no longer has (rare) costs one more query."""
    labels = {theme.id: theme.label(language) for theme in consultation.themes}
    missing = {item.theme_id for item in items if item.theme_id is not None} - set(labels)
    if missing:
        labels.update((theme.id, theme.label(language))
                      for theme in db.session.scalars(select(Theme).where(Theme.id.in_(missing))))
    return labels
