"""Long lists paged by key: each page starts where the link's cursor says, so the last page
costs what the first does, and a write between two page loads neither repeats nor skips a
row when following the links.

A list is ordered by a key of columns, all in one direction, whose last column is unique
(`(created_at, id)`, `(support_count, created_at, id)`). The links carry

- `page`: the page number the reader sees ("Page 3 of 40"), as it was when the link was
  made: under concurrent writes it may be one or two off for a while, never the rows;
- `after=<key of the last row shown>` (Next) or `before=<key of the first row shown>`
  (Previous): the rows strictly after, or strictly before, that key. A cursor is the key's
  values written out (dates as microseconds since 1970 UTC), e.g. `after=1718000000123456.42`,
  so a link stays valid, and shows the same rows, when the row it names changes or goes.

An address with a page number and no cursor (typed, or kept from before) still works: it
is read with an OFFSET counted from the nearer end of the list (in the reverse order for
the second half), so the deepest pages cost what the first ones do and only the middle
ones cost more. A cursor that cannot be read, or that leads to no row, falls back to it.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import request
from sqlalchemy import Integer, bindparam, tuple_

from engage.core.pagination import MAX_PER_PAGE, page_number
from engage.extensions import db

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_PART_LENGTH = 20  # digits of a microsecond timestamp, with room for a sign
_MAX_INTEGER = 2**63 - 1  # what the database compares


class Key:
    """The order of a list: its columns (the last one unique), their Python types (int or
    datetime, to read a cursor back), and the direction."""

    def __init__(self, columns: tuple, types: tuple[type, ...], descending: bool = True):
        self.columns = columns
        self.types = types
        self.descending = descending
        # The cursor's values, bound when the statement runs.
        self.bounds = tuple(bindparam(f"keyset_{index}", type_=column.type)
                            for index, column in enumerate(columns))

    def order_by(self, reverse: bool = False) -> list:
        descending = self.descending != reverse
        return [column.desc() if descending else column.asc() for column in self.columns]

    def beyond(self, reverse: bool = False):
        """The rows after the cursor in this order (before it with `reverse`)."""
        later, bound = tuple_(*self.columns), tuple_(*self.bounds)
        return later < bound if self.descending != reverse else later > bound

    def parameters(self, values: tuple) -> dict:
        return {bound.key: value for bound, value in zip(self.bounds, values, strict=True)}


_LIMIT = bindparam("keyset_limit", type_=Integer)
_OFFSET = bindparam("keyset_offset", type_=Integer)
# The variants of each list's statement, built once: a statement built anew for every
# request costs more Python than its rows do. Keyed by the identities of the statement and
# the key, which each entry holds (so that no other object takes their ids meanwhile).
_variants: dict[tuple[int, int], tuple[object, Key, dict]] = {}
_MAX_VARIANTS = 256  # more means statements built per request: forget them all then


def _variant(statement, key: Key, mode: str):
    entry = _variants.get((id(statement), id(key)))
    if entry is None:
        if len(_variants) >= _MAX_VARIANTS:
            _variants.clear()
        entry = _variants[id(statement), id(key)] = (statement, key, {})
    built = entry[2].get(mode)
    if built is None:
        built = entry[2][mode] = _build(statement, key, mode)
    return built


def _build(statement, key: Key, mode: str):
    if mode == "after":
        return statement.where(key.beyond()).order_by(*key.order_by()).limit(_LIMIT)
    if mode == "before":
        return (statement.where(key.beyond(reverse=True))
                .order_by(*key.order_by(reverse=True)).limit(_LIMIT))
    reverse = mode == "reverse"
    return statement.order_by(*key.order_by(reverse=reverse)).limit(_LIMIT).offset(_OFFSET)


def encode(values: Sequence) -> str:
    parts = []
    for value in values:
        if isinstance(value, datetime):
            value = (value - _EPOCH) // timedelta(microseconds=1)
        parts.append(str(int(value)))
    return ".".join(parts)


def decode(cursor: str | None, types: Sequence[type]) -> tuple | None:
    """The values of `cursor`, or None when it is missing or not a key of these types."""
    if not cursor:
        return None
    parts = cursor.split(".")
    if len(parts) != len(types):
        return None
    values: list[int | datetime] = []
    for part, kind in zip(parts, types, strict=True):
        if len(part) > _MAX_PART_LENGTH or not part.lstrip("-").isdigit():
            return None
        number = int(part)
        if abs(number) > _MAX_INTEGER:
            return None
        if kind is datetime:
            try:
                values.append(_EPOCH + timedelta(microseconds=number))
            except OverflowError:
                return None
        else:
            values.append(number)
    return tuple(values)


@dataclass
class KeysetPage:
    """One page of a list, shaped like Flask-SQLAlchemy's Pagination for what the page
    reads (items, page, pages, total, has_prev, has_next), with the query arguments of the
    Previous and Next links."""

    items: list
    page: int
    per_page: int
    total: int
    has_prev: bool
    has_next: bool
    prev_args: dict = field(default_factory=dict)
    next_args: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        counted = math.ceil(self.total / self.per_page)
        # Rows written since the total was counted may show before it says they exist.
        return max(counted, self.page + 1 if self.has_next else self.page if self.items else 0)

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def paginate_by_key(statement, key: Key, key_of: Callable[[object], tuple], *, total: int,
                    per_page: int, parameters: dict | None = None, page_param: str = "page",
                    cursor_prefix: str = "") -> KeysetPage:
    """The page of `statement` that the request's `page_param` and `<cursor_prefix>after` /
    `<cursor_prefix>before` arguments ask for. `statement` is a select without ORDER BY or
    LIMIT, built once (its variants are kept), whose bound `parameters` are given; `total`
    is the number of rows of the whole list; `key_of(row)` gives a row's key values."""
    per_page = min(per_page, MAX_PER_PAGE)
    parameters = parameters or {}

    def run(mode: str, limit: int, offset: int = 0, cursor: tuple | None = None) -> list:
        values = {**parameters, _LIMIT.key: limit, _OFFSET.key: offset}
        if cursor is not None:
            values.update(key.parameters(cursor))
        # A Core select of columns: run on the session's connection, past the ORM's layer.
        return list(db.session.connection().execute(_variant(statement, key, mode), values))

    after_param, before_param = f"{cursor_prefix}after", f"{cursor_prefix}before"
    pages = max(1, math.ceil(total / per_page))
    asked = min(page_number(page_param), pages)
    after = decode(request.args.get(after_param), key.types)
    before = decode(request.args.get(before_param), key.types) if after is None else None

    rows, has_prev, has_next = None, False, False
    if after is not None:
        found = run("after", per_page + 1, cursor=after)
        if found:
            rows, has_prev, has_next = found[:per_page], True, len(found) > per_page
    elif before is not None:
        found = run("before", per_page + 1, cursor=before)
        if found:
            rows = list(reversed(found[:per_page]))
            has_prev, has_next = len(found) > per_page, True
    if rows is None:  # no cursor, or one that leads nowhere: by number
        rows = _numbered(run, asked, per_page, total)
        has_prev, has_next = asked > 1, asked < pages
    number = _shown_number(asked, pages, has_prev, has_next)
    page = KeysetPage(rows, number, per_page, total, has_prev, has_next)
    if rows and has_prev:
        page.prev_args = {page_param: number - 1, before_param: encode(key_of(rows[0]))}
    if rows and has_next:
        page.next_args = {page_param: number + 1, after_param: encode(key_of(rows[-1]))}
    return page


def _numbered(run, number: int, per_page: int, total: int) -> list:
    """Page `number` by OFFSET, counted from the nearer end of the list."""
    start = (number - 1) * per_page
    end = min(start + per_page, total)
    if start <= total - end:
        return run("forward", per_page, start)
    return list(reversed(run("reverse", end - start, total - end)))


def _shown_number(asked: int, pages: int, has_prev: bool, has_next: bool) -> int:
    """The number the link asked for, made consistent with what the page found: 1 when
    nothing comes before, the last when nothing comes after."""
    if not has_prev:
        return 1
    if not has_next:
        return max(pages, 2)
    return min(max(asked, 2), max(pages - 1, 2))
