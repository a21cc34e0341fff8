"""The page cache (engage/core/page_cache.py) serves a page again only while it is the page
the view would render now: a write by any process, another reader, or a one-time key on
the page makes it render anew. On SQLite and PostgreSQL."""

import re

import pytest
from sqlalchemy import create_engine, text

from engage.core import page_cache
from tests.factories import consultations as builders
from tests.factories import stored

# Any write on the PostgreSQL server moves the cache's marker: no other worker writes meanwhile.
pytestmark = pytest.mark.quiet_postgresql


@pytest.fixture
def cache_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    page_cache.clear()
    yield
    page_cache.clear()


def _open_consultation(app) -> int:
    with stored(app):
        return builders.consultation(status="open").id


def _hits() -> int:
    return page_cache.statistics["hits"]


def test_a_page_is_served_again_while_nothing_is_written(app, client, cache_on):
    consultation_id = _open_consultation(app)
    url = f"/en/consultations/{consultation_id}"
    first = client.get(url)
    hits = _hits()
    second = client.get(url)
    assert _hits() == hits + 1
    assert second.status_code == 200
    assert second.text == first.text
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_write_by_another_process_shows_at_once(app, client, cache_on):
    consultation_id = _open_consultation(app)
    url = f"/en/consultations/{consultation_id}"
    assert "Living after cancer" in client.get(url).text
    assert "Living after cancer" in client.get(url).text  # from the cache
    # Another process: its own connection, none of this app's events.
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "UPDATE consultation_translations SET title = 'Living well after cancer' "
                "WHERE consultation_id = :id AND language = 'en'"), {"id": consultation_id})
    finally:
        engine.dispose()
    hits = _hits()
    page = client.get(url).text
    assert _hits() == hits
    assert "Living well after cancer" in page
    assert "Living well after cancer" in client.get("/en/consultations/").text


def test_each_reader_has_their_own_page(app, factory, cache_on):
    from tests.helpers import Auth

    _open_consultation(app)
    visitor, first, second = app.test_client(), app.test_client(), app.test_client()
    Auth(app, first, factory).sign_in_as(language="en", display_name="First Reader")
    Auth(app, second, factory).sign_in_as(language="en", display_name="Second Reader")
    url = "/en/"
    readers = (("visitor", visitor), ("first", first), ("second", second))
    for _name, reader in readers:
        reader.get("/en/about")  # shows the message left by signing in
    pages = {name: reader.get(url).text for name, reader in readers}
    hits = _hits()
    again = {name: reader.get(url).text for name, reader in readers}
    assert _hits() == hits + 3
    assert again == pages
    assert "Sign out" not in pages["visitor"]
    tokens = {name: re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
              for name, page in pages.items() if name != "visitor"}
    assert tokens["first"] != tokens["second"]
    # Each signed-in reader's token works with their own session.
    response = first.post("/en/account/sign-out", data={"csrf_token": tokens["first"]})
    assert response.status_code == 302


def test_a_page_with_a_one_time_key_is_never_served_twice(app, client, auth, cache_on):
    consultation_id = _open_consultation(app)
    auth.sign_in_as(language="en")
    url = f"/en/consultations/{consultation_id}"
    keys = [re.search(r'name="submission_key" type="hidden" value="([^"]+)"',
                      client.get(url).text).group(1) for _ in range(2)]
    assert keys[0] != keys[1]


def test_flash_messages_are_not_kept(app, client, auth, cache_on):
    auth.sign_in_as(language="en")
    # Signing in leaves a welcome message for the next page.
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message shown once.")]
    assert "A message shown once." in client.get("/en/").text
    assert "A message shown once." not in client.get("/en/").text



def test_a_visitors_page_with_a_form_is_not_shared(app, cache_on):
    from flask_wtf.csrf import generate_csrf

    @page_cache.cached_page
    def page_with_a_form():
        return f'<form method="post"><input name="csrf_token" value="{generate_csrf()}"></form>'

    def visit() -> str:
        with app.test_request_context("/en/a-page-with-a-form"):
            return page_with_a_form().get_data(as_text=True)

    stored = page_cache.statistics["stored"]
    assert visit() != visit()  # each visitor gets a token of their own session
    assert page_cache.statistics["stored"] == stored


def test_a_cached_page_is_sent_compressed_as_the_reader_accepts(app, client, cache_on):
    import gzip

    import brotli

    consultation_id = _open_consultation(app)
    url = f"/en/consultations/{consultation_id}"
    plain = client.get(url).text
    hits = _hits()
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress),
                                 ("identity", None)):
        for _ in range(2):  # compressed once, then kept
            response = client.get(url, headers={"Accept-Encoding": encoding})
            assert "Accept-Encoding" in response.headers["Vary"]
            if decompress is None:
                assert "Content-Encoding" not in response.headers
                assert response.text == plain
            else:
                assert response.headers["Content-Encoding"] == encoding
                assert decompress(response.data).decode() == plain
    assert _hits() == hits + 6


def test_the_cache_stays_within_its_memory(app, client, cache_on, monkeypatch):
    ids = [_open_consultation(app) for _ in range(6)]
    client.get(f"/en/consultations/{ids[0]}")
    page_bytes = page_cache.statistics["bytes"]
    page_cache.clear()
    budget = page_bytes * 2.5 * 4 / 3  # room for two such pages and their compressed forms
    monkeypatch.setitem(app.config, "PAGE_CACHE_MEGABYTES", budget / 1024 / 1024)
    for consultation_id in ids:
        client.get(f"/en/consultations/{consultation_id}")
        assert 0 < page_cache.statistics["bytes"] * 4 / 3 <= budget
    # The most recent page is still there; the first was forgotten to make room.
    hits = _hits()
    client.get(f"/en/consultations/{ids[-1]}")
    assert _hits() == hits + 1
    client.get(f"/en/consultations/{ids[0]}")
    assert _hits() == hits + 1


def test_a_page_that_flashes_a_message_is_not_stored(app):
    """A view may flash a message and show it in the same page (Flask's message_flashed
    signal marks the request)."""
    from flask import flash, g

    with app.test_request_context("/en/"):
        assert not g.get("page_not_cacheable")
        flash("Saved.")
        assert g.page_not_cacheable is True
