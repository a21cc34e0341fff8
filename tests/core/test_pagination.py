"""The one paginator of the pages: the page asked for, the last page, pages past the end."""

import pytest
from sqlalchemy import literal, select, union_all

from engage.core.pagination import ListPage, page_number, paginate


def numbers(count: int):
    """A statement of the numbers 1..count, in order."""
    rows = union_all(*[select(literal(n).label("n")) for n in range(1, count + 1)]).subquery()
    return select(rows.c.n).order_by(rows.c.n)


@pytest.mark.parametrize(("query", "expected"), [
    ("", 1), ("?page=3", 3), ("?page=0", 1), ("?page=-2", 1), ("?page=two", 1),
])
def test_the_page_asked_for(app, query, expected):
    with app.test_request_context(f"/en/{query}"):
        assert page_number() == expected


def test_a_list_has_its_own_page_parameter(app):
    with app.test_request_context("/en/?page=2&positions_page=4"):
        assert page_number("positions_page") == 4


def test_a_statement_in_pages(app):
    with app.test_request_context("/en/?page=2"):
        page = paginate(numbers(45), per_page=20)
        assert list(page.items) == list(range(21, 41))
        assert (page.page, page.pages, page.total) == (2, 3, 45)
        assert (page.prev_num, page.next_num) == (1, 3)


def test_the_last_page_holds_the_rest(app):
    with app.test_request_context("/en/?page=3"):
        page = paginate(numbers(45), per_page=20)
        assert list(page.items) == [41, 42, 43, 44, 45]
        assert page.has_prev and not page.has_next


def test_a_page_past_the_end_is_empty_not_an_error(app):
    with app.test_request_context("/en/?page=9"):
        page = paginate(numbers(45), per_page=20)
        assert list(page.items) == [] and page.pages == 3 and not page.has_next


def test_the_kept_total_is_counted(app):
    with app.test_request_context("/en/?page=2"):
        page = paginate(numbers(45), per_page=20, total_key=("pagination-test", 45))
        assert page.total == 45 and page.pages == 3 and next(iter(page.items)) == 21


def test_a_page_counted_by_hand():
    page = ListPage(["a", "b"], page=3, per_page=20, total=42)
    assert page.pages == 3
    assert (page.has_prev, page.has_next, page.prev_num, page.next_num) == (True, False, 2, None)
    assert ListPage([], page=1, per_page=20, total=0).pages == 0


@pytest.mark.parametrize(("query", "number", "first"), [
    ("?page=2", 2, 20), ("?page=3", 3, 40), ("?page=9", 3, 40), ("?page=0", 1, 0),
])
def test_a_computed_list_shows_its_last_page_past_the_end(app, query, number, first):
    with app.test_request_context(f"/en/{query}"):
        page = ListPage.of_list(list(range(45)), per_page=20)
        assert page.page == number and page.pages == 3 and page.total == 45
        assert page.items[0] == first and len(page.items) == (5 if number == 3 else 20)
