"""Paginating the lists of the pages: select() statements, lists counted by hand and lists
already computed. Every page has the attributes the `pagination` macro reads
(`templates/_macros/forms.html`): items, page, pages, has_prev, has_next, prev_num,
next_num."""

import math

from flask import current_app, request
from sqlalchemy import func, select

from engage.core import aggregate_cache
from engage.extensions import db

MAX_PER_PAGE = 100


def page_number(param: str = "page") -> int:
    """The page asked for in the query string; 1 when missing or below 1."""
    number = request.args.get(param, 1, type=int)
    return number if number and number > 0 else 1


def paginate(statement, per_page: int | None = None, page_param: str = "page",
             total_key=None, total_scopes=()):
    """A Flask-SQLAlchemy Pagination of `statement` for the `page_param` query parameter.

    With `total_key`, the total is counted once and kept while its `total_scopes` are
    unchanged (engage.core.versions; for lists that are the same for every reader)."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    if total_key is None:
        return db.paginate(statement, page=page_number(page_param), per_page=per_page,
                           max_per_page=MAX_PER_PAGE, error_out=False)
    page = db.paginate(statement, page=page_number(page_param), per_page=per_page,
                       max_per_page=MAX_PER_PAGE, error_out=False, count=False)
    page.total = aggregate_cache.remember(total_key, lambda: db.session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())), total_scopes)
    return page


class ListPage:
    """A page of results fetched and counted by hand, shaped like Flask-SQLAlchemy's
    Pagination."""

    def __init__(self, items, page: int, per_page: int, total: int):
        self.items = items
        self.page = page
        self.per_page = per_page
        self.total = total
        self.pages = max(1, math.ceil(total / per_page)) if total else 0

    @classmethod
    def of_list(cls, items: list, per_page: int, page_param: str = "page") -> "ListPage":
        """The asked page of an already computed list; a page past the end shows the last."""
        pages = max(math.ceil(len(items) / per_page), 1)
        number = min(page_number(page_param), pages)
        start = (number - 1) * per_page
        return cls(items[start:start + per_page], number, per_page, len(items))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None
