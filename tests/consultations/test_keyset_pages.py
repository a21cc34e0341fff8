"""The long lists of a consultation's page and of a thread are paged by key
(engage.core.keyset): the Next and Previous links carry the key of the row where the page
ends, so following them shows every contribution once even when people write meanwhile,
and the deepest page reads no more rows than the first. A page number alone still works.

The world, built once per database: an open consultation with 45 contributions ("Number 0"
the oldest to "Number 44" the newest, Number i with i % 4 supports) and 12 association
positions; another with a contribution that has 35 replies.
"""

import html
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from engage.core import keyset
from engage.core.db import utcnow
from engage.extensions import db
from tests.conftest import SharedWorld
from tests.factories import consultations as builders
from tests.factories import stored

PER_PAGE = 20  # routes.public.CONTRIBUTIONS_PER_PAGE
NEWEST = list(range(44, -1, -1))
# Most supported first (i % 4 supports), then newest first.
SUPPORTED = [i for count in (3, 2, 1, 0) for i in NEWEST if i % 4 == count]


def build_world(app) -> dict:
    with stored(app):
        item = builders.consultation("open")
        authors = [builders.user() for _ in range(3)]
        start = utcnow() - timedelta(days=30)
        for number in range(45):
            builders.contribution(item, authors[number % 3], f"Number {number}",
                                  created_at=start + timedelta(minutes=number),
                                  support_count=number % 4)
        for number in range(12):
            speaker = builders.user("representative")
            association = builders.association(f"Association {number}", representative=speaker)
            builders.contribution(item, speaker, f"Position {number}",
                                  association_id=association.id,
                                  created_at=start + timedelta(minutes=number))
        thread = builders.contribution(builders.consultation("open"), authors[0], "The thread")
        for number in range(35):
            builders.contribution(item, authors[number % 3], f"Reply {number}",
                                  parent_id=thread.id,
                                  created_at=start + timedelta(minutes=number))
        return {"item": item.id, "thread_item": thread.consultation_id, "thread": thread.id}


@pytest.fixture(scope="module")
def shared_world(app):
    world = SharedWorld(app, build_world)
    yield world
    world.close()


@pytest.fixture
def world(shared_world):
    with shared_world.case() as data:
        yield data


def section(page, name: str = "contributions") -> str:
    start = page.text.index(f'<section aria-labelledby="{name}"')
    return page.text[start:page.text.index("</section>", start)]


def numbers(page, word: str = "Number", name: str = "contributions") -> list[int]:
    return [int(n) for n in re.findall(rf"<p>{word} (\d+)</p>", section(page, name))]


def link(page, rel: str, name: str = "contributions") -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', section(page, name))
    return html.unescape(found.group(1)) if found else None


def walk(client, url: str, name: str = "contributions", word: str = "Number"):
    """The pages met following the Next links from `url`: [(numbers, page label)]."""
    pages = []
    while url:
        page = client.get(url)
        assert page.status_code == 200, url
        label = re.search(r'aria-current="page">([^<]+)<', section(page, name))
        pages.append((numbers(page, word, name), label.group(1) if label else None))
        url = link(page, "next", name)
        assert len(pages) <= 5, "the links go round"
    return pages


@pytest.mark.parametrize(("sort", "order"), [("newest", NEWEST), ("supported", SUPPORTED)])
def test_the_links_walk_every_contribution_once(client, world, sort, order):
    pages = walk(client, f"/en/consultations/{world['item']}?sort={sort}")
    assert pages == [(order[:20], "Page 1 of 3"), (order[20:40], "Page 2 of 3"),
                     (order[40:], "Page 3 of 3")]


@pytest.mark.parametrize(("sort", "order"), [("newest", NEWEST), ("supported", SUPPORTED)])
def test_the_links_carry_the_key_and_keep_the_sort(client, world, sort, order):
    first = client.get(f"/en/consultations/{world['item']}?sort={sort}")
    following = link(first, "next")
    assert f"sort={sort}" in following and "page=2" in following
    cursor = re.search(r"after=([0-9.]+)", following).group(1)
    # The key of the last contribution shown: its supports (by support), date and id.
    assert len(cursor.split(".")) == (3 if sort == "supported" else 2)
    second = client.get(following)
    back = link(second, "prev")
    assert "page=1" in back and "before=" in back
    assert numbers(client.get(back)) == order[:20]


@pytest.mark.parametrize(("sort", "order"), [("newest", NEWEST), ("supported", SUPPORTED)])
def test_a_page_number_alone_still_works(client, world, sort, order):
    base = f"/en/consultations/{world['item']}?sort={sort}"
    assert numbers(client.get(f"{base}&page=2")) == order[20:40]
    last = client.get(f"{base}&page=3")
    assert numbers(last) == order[40:] and "Page 3 of 3" in section(last)
    assert link(last, "next") is None
    # Beyond the end: the last page, as every list of the site does.
    assert numbers(client.get(f"{base}&page=9")) == order[40:]


@pytest.mark.parametrize(("sort", "order"), [("newest", NEWEST), ("supported", SUPPORTED)])
def test_a_contribution_posted_between_two_loads_neither_repeats_nor_hides_one(
        app, client, world, sort, order):
    first = client.get(f"/en/consultations/{world['item']}?sort={sort}")
    assert numbers(first) == order[:20]
    with stored(app):
        from engage.consultations.models import Consultation

        item = db.session.get(Consultation, world["item"])
        author = builders.user()
        builders.contribution(item, author, "Number 45")
        builders.contribution(item, author, "Number 46", support_count=9)
    rest = walk(client, link(first, "next"))
    seen = numbers(first) + [n for shown, _label in rest for n in shown]
    # Each once: the new ones only if they come after the first page (the one without
    # supports, when sorted by support).
    assert len(seen) == len(set(seen))
    assert [n for n in seen if n < 45] == order
    assert set(seen) - set(order) == ({45} if sort == "supported" else set())
    # The new ones are on the first page now; the count is exact on every page.
    fresh = client.get(f"/en/consultations/{world['item']}?sort={sort}")
    assert numbers(fresh)[:2] == ([46, 45] if sort == "newest" else [46, 43])
    assert "47 contributions." in section(fresh)
    assert "47 contributions." in section(client.get(link(first, "next")))


def test_going_back_after_a_write_shows_the_page_before_exactly(app, client, world):
    url = f"/en/consultations/{world['item']}"
    second = client.get(link(client.get(url), "next"))
    with stored(app):
        from engage.consultations.models import Consultation

        builders.contribution(db.session.get(Consultation, world["item"]), builders.user(),
                              "Number 45")
    back = client.get(link(second, "prev"))
    assert numbers(back) == NEWEST[:20]
    # Something new comes before it: the page says so, and leads there.
    assert link(back, "prev") is not None and "Page 2 of 3" in section(back)
    assert numbers(client.get(link(back, "prev"))) == [45]


def test_a_cursor_that_cannot_be_read_or_leads_nowhere_falls_back_to_the_number(
        app, client, world):
    base = f"/en/consultations/{world['item']}?page=2"
    for cursor in ("garbage", "1.2.3.4", "9" * 30, "", "-1.-1"):
        assert numbers(client.get(f"{base}&after={cursor}")) == NEWEST[20:40], cursor
    # After the oldest contribution there is nothing: the page number decides.
    with app.app_context():
        from engage.consultations.models import Contribution

        oldest = db.session.execute(db.select(Contribution.created_at, Contribution.id)
                                    .where(Contribution.body == "Number 0")).one()
    cursor = keyset.encode(tuple(oldest))
    assert numbers(client.get(f"{base}&after={cursor}")) == NEWEST[20:40]
    assert numbers(client.get(f"/en/consultations/{world['item']}?page=3&after={cursor}")) \
        == NEWEST[40:]


def test_a_theme_filter_pages_by_key_too(app, client, world):
    with stored(app):
        from engage.consultations.models import Consultation, Contribution

        item = db.session.get(Consultation, world["item"])
        theme = builders.theme("Travail", "Work")
        item.themes.append(theme)
        for contribution in db.session.scalars(db.select(Contribution).where(
                Contribution.body.in_([f"Number {n}" for n in range(0, 45, 2)]))):
            contribution.theme_id = theme.id
        theme_id = theme.id
    pages = walk(client, f"/en/consultations/{world['item']}?theme={theme_id}")
    assert pages == [(list(range(44, 4, -2)), "Page 1 of 2"), ([4, 2, 0], "Page 2 of 2")]


def test_positions_and_replies_are_paged_by_key(client, world):
    positions = walk(client, f"/en/consultations/{world['item']}", "positions", "Position")
    assert positions == [(list(range(11, 1, -1)), "Page 1 of 2"), ([1, 0], "Page 2 of 2")]
    first = client.get(f"/en/consultations/{world['item']}")
    assert "positions_after=" in link(first, "next", "positions")
    replies = walk(
        client, f"/en/consultations/{world['thread_item']}/contributions/{world['thread']}",
        "replies", "Reply")
    assert replies == [(list(range(30)), "Page 1 of 2"), (list(range(30, 35)), "Page 2 of 2")]


class Offsets:
    """The OFFSET each list statement asks for, while it is open."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.seen: list[int] = []

    def _record(self, conn, clauseelement, multiparams, params, execution_options):
        values = params or (multiparams[0] if multiparams else {})
        if isinstance(values, dict) and "keyset_limit" in values:
            self.seen.append(values.get("keyset_offset", 0))

    def __enter__(self):
        event.listen(self.engine, "before_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_execute", self._record)


def test_the_deepest_page_reads_no_more_than_the_first(app, client, count_queries, world):
    """Whether reached by its link or by its number: no OFFSET over the rows before it."""
    base = f"/en/consultations/{world['item']}"
    last_by_link = walk(client, base)[-1]
    assert last_by_link[0] == NEWEST[40:]
    with count_queries() as first_count, Offsets(app) as first:
        client.get(base)
    second_page = link(client.get(base), "next")
    deepest_link = link(client.get(second_page), "next")
    for url in (deepest_link, f"{base}?page=3"):
        with count_queries() as counted, Offsets(app) as deepest:
            assert numbers(client.get(url)) == NEWEST[40:]
        assert counted.count == first_count.count, url
        assert max(deepest.seen) <= max(first.seen) == 0, url


@pytest.mark.parametrize("values", [
    (0, datetime(2026, 3, 14, 15, 30, 1, 123456).astimezone(), 1),
    (2**31 - 1, datetime(1999, 12, 31, 23, 59, 59).astimezone(), 7),
])
def test_a_cursor_holds_the_key_exactly(values):
    types = (int, datetime, int)
    assert keyset.decode(keyset.encode(values), types) == values


@pytest.mark.parametrize("cursor", [None, "", "1.2", "1.2.3.4", "a.b.c", "1..2", "1.2.x",
                                    "1." + "9" * 40 + ".2", "1.2e3.4"])
def test_a_cursor_that_is_not_a_key_is_none(cursor):
    assert keyset.decode(cursor, (int, datetime, int)) is None


# The search lists the matching contributions newest first: its links carry their key too.


def found_numbers(page) -> list[int]:
    return [int(n) for n in re.findall(r"<mark>Number</mark> (\d+)", page.text)]


def search_walk(client, url: str) -> list[tuple[list[int], str]]:
    pages = []
    while url:
        page = client.get(url)
        assert page.status_code == 200, url
        label = re.search(r'aria-current="page">([^<]+)<', page.text)
        pages.append((found_numbers(page), label.group(1)))
        found = re.search(r'href="([^"]+)" rel="next"', page.text)
        url = html.unescape(found.group(1)) if found else None
        assert len(pages) <= 5, "the links go round"
    return pages


def test_the_search_pages_by_key_and_by_number(app, client, world):
    first = client.get("/en/consultations/search?q=number")
    following = html.unescape(re.search(r'href="([^"]+)" rel="next"', first.text).group(1))
    assert "after=" in following and "page=2" in following
    with stored(app):
        from engage.consultations.models import Consultation

        builders.contribution(db.session.get(Consultation, world["item"]), builders.user(),
                              "Number 45")
    rest = search_walk(client, following)
    assert [found_numbers(first)] + [shown for shown, _label in rest] == [
        NEWEST[:20], NEWEST[20:40], NEWEST[40:]]
    assert [label for _shown, label in rest] == ["Page 2 of 3", "Page 3 of 3"]
    # By number alone (the new one first now), and back by the key.
    by_number = client.get("/en/consultations/search?q=number&page=3")
    assert found_numbers(by_number) == [5, *NEWEST[40:]]
    second = client.get(following)
    last = client.get(html.unescape(re.search(r'href="([^"]+)" rel="next"', second.text)
                                    .group(1)))
    assert found_numbers(last) == NEWEST[40:]
    back = html.unescape(re.search(r'href="([^"]+)" rel="prev"', last.text).group(1))
    assert "before=" in back
    assert found_numbers(client.get(back)) == NEWEST[20:40]
