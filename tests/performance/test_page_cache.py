"""The page cache (engage/core/page_cache.py) serves a page again only while it is the page
the view would render now: a write by any process, another reader, or a one-time key on
the page makes it render anew. On SQLite and PostgreSQL."""

import re

import pytest
from sqlalchemy import create_engine, select, text

from engage.accounts.models import User
from engage.consultations.models import Consultation, ConsultationTranslation
from engage.core import page_cache, shared_store
from engage.extensions import db
from tests.conftest import build_app, redis_url
from tests.factories import consultations as builders
from tests.factories import stored


@pytest.fixture
def cache_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    with app.app_context():
        page_cache.clear()
    yield
    with app.app_context():
        page_cache.clear()


@pytest.fixture
def other_instance(app):
    """Another instance on the same database, sharing this run's Redis."""
    instance = build_app(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=30,
                         REDIS_URL=redis_url())
    yield instance
    _dispose(instance)


def _dispose(instance) -> None:
    with instance.app_context():
        db.session.remove()
        db.engine.dispose()


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


def test_a_write_through_another_instance_shows_at_once(app, client, cache_on, other_instance):
    """Another instance (its own engine, store and session) writes through the ORM: the
    versions it bumps reach this one's next request."""
    consultation_id = _open_consultation(app)
    url = f"/en/consultations/{consultation_id}"
    assert "Living after cancer" in client.get(url).text
    assert "Living after cancer" in client.get(url).text  # from the cache
    with other_instance.app_context():
        translation = db.session.scalar(select(ConsultationTranslation).where(
            ConsultationTranslation.consultation_id == consultation_id,
            ConsultationTranslation.language == "en"))
        translation.title = "Living well after cancer"
        db.session.commit()
    hits = _hits()
    page = client.get(url).text
    assert _hits() == hits
    assert "Living well after cancer" in page
    assert "Living well after cancer" in client.get("/en/consultations/").text


def test_a_write_elsewhere_leaves_the_page_kept(app, client, factory, cache_on):
    shown, other = _open_consultation(app), _open_consultation(app)
    url = f"/en/consultations/{shown}"
    client.get(url)
    author = factory.user()
    with stored(app):
        builders.contribution(db.session.get(Consultation, other), db.session.get(User, author),
                              body="Ailleurs.")
    hits = _hits()
    client.get(url)
    assert _hits() == hits + 1  # another consultation changed, not this one
    with stored(app):
        builders.contribution(db.session.get(Consultation, shown), db.session.get(User, author),
                              body="Ici même.")
    page = client.get(url).text
    assert _hits() == hits + 1
    assert "Ici même." in page


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_a_write_in_another_database_of_the_server_leaves_the_page_kept(app, client, cache_on):
    url = f"/en/consultations/{_open_consultation(app)}"
    client.get(url)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"].rsplit("/", 1)[0] + "/postgres")
    try:
        with engine.begin() as connection:  # a transaction id taken on the same server
            connection.execute(text("CREATE TEMPORARY TABLE elsewhere (id int)"))
            connection.execute(text("INSERT INTO elsewhere VALUES (1)"))
    finally:
        engine.dispose()
    hits = _hits()
    client.get(url)
    assert _hits() == hits + 1


def test_instances_share_their_pages_through_redis(app, cache_on, other_instance):
    """With REDIS_URL, a page rendered by one instance is served by the other."""
    consultation_id = _open_consultation(app)
    url = f"/en/consultations/{consultation_id}"
    shared = build_app(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=30,
                       REDIS_URL=redis_url())
    with shared.app_context():
        page_cache.clear()
    try:
        first = shared.test_client().get(url).text
        hits = _hits()
        assert other_instance.test_client().get(url).text == first
        assert _hits() == hits + 1
    finally:
        _dispose(shared)


def test_an_unreachable_redis_is_a_miss(app, cache_on, caplog):
    consultation_id = _open_consultation(app)
    unreachable = build_app(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=30,
                            REDIS_URL="redis://127.0.0.1:9/0")
    client = unreachable.test_client()
    try:
        for _ in range(2):
            response = client.get(f"/en/consultations/{consultation_id}")
            assert response.status_code == 200
            assert "Living after cancer" in response.text
    finally:
        _dispose(unreachable)
    assert "cannot be reached" in caplog.text


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


def test_a_page_with_a_one_time_key_is_kept_with_fresh_keys(app, client, auth, cache_on):
    consultation_id = _open_consultation(app)
    auth.sign_in_as(language="en")
    client.get("/en/about")  # shows the welcome message left by signing in
    url = f"/en/consultations/{consultation_id}"
    hits = _hits()
    pages = [client.get(url).text for _ in range(3)]
    assert _hits() == hits + 2
    keys = [re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"',
                      page).group(1) for page in pages]
    assert len(set(keys)) == 3
    assert "once-" not in pages[1]


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


def test_the_memory_store_stays_within_its_budget():
    store = shared_store.MemoryStore(1)
    page = b"x" * (200 * 1024)
    for number in range(8):
        store.set(f"page-{number}", page, 30)
        assert store.size <= 1024 * 1024
    # The most recent pages are still there; the first were forgotten to make room.
    assert store.get("page-7") == page
    assert store.get("page-0") is None
    store.set("too-large", b"x" * (300 * 1024), 30)  # over a quarter of the budget
    assert store.get("too-large") is None


def test_a_page_that_flashes_a_message_is_not_stored(app):
    """A view may flash a message and show it in the same page (Flask's message_flashed
    signal marks the request)."""
    from flask import flash, g

    with app.test_request_context("/en/"):
        assert not g.get("page_not_cacheable")
        flash("Saved.")
        assert g.page_not_cacheable is True


def test_readers_with_the_same_rights_share_the_list_of_contributions(app, factory, cache_on):
    """The list is rendered once for both signed-in readers; each gets their own token and,
    once one supports a contribution, their own button."""
    from engage.core import fragments
    from tests.helpers import Auth, csrf_token

    consultation_id = _open_consultation(app)
    author = factory.user()
    with stored(app):
        contribution = builders.contribution(db.session.get(Consultation, consultation_id),
                                             db.session.get(User, author), body="Partagée.")
        contribution_id = contribution.id
    url = f"/en/consultations/{consultation_id}"
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        Auth(app, client, factory).sign_in_as(language="en")
        client.get("/en/about")  # shows the welcome message left by signing in
    hits = fragments.statistics["hits"]
    pages = {name: client.get(url).text for name, client in (("first", first),
                                                                ("second", second))}
    assert fragments.statistics["hits"] == hits + 1  # the second reader's list was kept
    tokens = {}
    for name, page in pages.items():
        # The support form carries the same token as the reader's other forms (sign-out).
        found = set(re.findall(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page))
        assert len(found) == 1, name
        assert re.search(r'action="[^"]*/support"', page), name
        tokens[name] = found.pop()
    assert tokens["first"] != tokens["second"]
    response = second.post(f"{url}/contributions/{contribution_id}/support",
                           data={"csrf_token": csrf_token(second.get("/en/about"))})
    assert response.status_code == 302
    assert "Withdraw my support" in second.get(url).text
    first_page = first.get(url).text
    assert "Withdraw my support" not in first_page
    assert "1 support<" in first_page
