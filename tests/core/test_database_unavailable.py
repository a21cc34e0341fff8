"""While the database restarts: a styled, translated 503 with Retry-After and the security
headers, for visitors and signed-in people alike, never Werkzeug's bare 500
(engage/core/errors.py). The real servers are never stopped: the database under test is
made unreachable for the app under test only."""

import socket
from contextlib import contextmanager

import pytest
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from engage.consultations.models import Contribution
from engage.core.errors import ERROR_TITLES
from engage.core.security import CONTENT_SECURITY_POLICY
from engage.extensions import db
from tests.conftest import build_app
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import count_in, csrf_token, hidden_value, sign_in_new

FRENCH = ("Code d’erreur\u00a0: 503", "Aller à la page d’accueil", "Aller au contenu principal")
ENGLISH = ("Error code: 503", "Go to the home page", "Skip to main content")


def _port_where_nothing_listens() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def app_without_database(request, tmp_path_factory):
    """An app whose database cannot be reached: PostgreSQL on a port where nothing listens,
    or SQLite in a folder that does not exist."""
    if request.param == "postgresql":
        url = (f"postgresql+psycopg://postgres@127.0.0.1:{_port_where_nothing_listens()}"
               "/engage_helper_d_unreachable")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('gone') / 'missing' / 'engage.sqlite3'}"
    return build_app(url)


def assert_styled_page_with_headers(response, status: int, language: str):
    assert response.status_code == status, response.text
    html = response.text
    assert "Internal Server Error" not in html
    assert f'<html lang="{language}">' in html
    assert '<link rel="stylesheet" href="/static/css/engage.css' in html
    assert '<main id="main"' in html and html.count("<h1>") == 1
    for text in FRENCH if language == "fr" else ENGLISH:
        assert text.replace("503", str(status)) in html, text
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def assert_unavailable(app, response, language: str):
    assert_styled_page_with_headers(response, 503, language)
    assert int(response.headers["Retry-After"]) > 0
    with app.test_request_context(), force_locale(language):
        assert f"<h1>{ERROR_TITLES[503]}</h1>" in response.text


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("path", ["/", "/consultations/", "/summaries/"])
def test_a_visitor_gets_503_from_a_database_that_cannot_be_reached(app_without_database,
                                                                    language, path):
    response = app_without_database.test_client().get(f"/{language}{path}")
    assert_unavailable(app_without_database, response, language)


def test_the_api_answers_503_in_json_while_the_database_cannot_be_reached(app_without_database):
    response = app_without_database.test_client().get("/api/v1/consultations?lang=en")
    assert response.status_code == 503, response.text
    assert response.is_json
    assert response.json["error"]["status"] == 503
    assert "temporarily unavailable" in response.json["error"]["message"]
    assert int(response.headers["Retry-After"]) > 0


@contextmanager
def database_down(app):
    """The app's database stops answering: pooled connections are dropped and every new
    connection is refused, as while PostgreSQL restarts."""
    with app.app_context():
        engine = db.engine
    dbapi_error = engine.dialect.loaded_dbapi.OperationalError

    def refuse(dialect, record, cargs, cparams):
        raise dbapi_error("the database system is shutting down")

    engine.dispose()
    event.listen(engine, "do_connect", refuse)
    try:
        yield
    finally:
        event.remove(engine, "do_connect", refuse)
        engine.dispose()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_signed_in_reader_during_a_restart_then_after_it(app, client, auth, language):
    sign_in_new(app, auth, language=language)
    with database_down(app):
        for path in (f"/{language}/account/", f"/{language}/consultations/"):
            assert_unavailable(app, client.get(path), language)
        # Without a language in the address, the browser's: the reader's own preference is
        # in the database.
        assert_unavailable(app, client.get("/", headers={"Accept-Language": language}),
                           language)
    # The session was kept: once the database is back, the reader is still signed in.
    assert client.get(f"/{language}/account/").status_code == 200


@pytest.mark.parametrize("language", ["fr", "en"])
def test_another_error_page_renders_without_the_database(app, client, auth, language):
    """A page that does not exist, for someone signed in: its layout reads the user from
    the database. The answer stays a 404, on the page that needs no database."""
    sign_in_new(app, auth, language=language)
    with database_down(app):
        response = client.get(f"/{language}/no-such-page")
    assert_styled_page_with_headers(response, 404, language)


def test_a_form_sent_while_the_database_is_down_gets_a_page_too(app, client, auth):
    sign_in_new(app, auth)
    with database_down(app):
        response = client.post("/en/account/sign-out", data={"csrf_token": "stale"})
    assert_styled_page_with_headers(response, 400, "en")


@pytest.fixture
def open_consultation(app):
    with stored(app):
        return builders.consultation("open").id


def test_a_commit_refused_by_a_database_gone_down_answers_503(app, client, auth,
                                                              open_consultation, monkeypatch):
    """The view worked, the commit (after it) fails: outside the tests, Flask hands that
    error to the handlers wrapped in a 500. Nothing is kept, and the answer says so."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    sign_in_new(app, auth)
    url = f"/en/consultations/{open_consultation}"
    page = client.get(url)

    def connection_lost(session):
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    event.listen(db.session, "before_commit", connection_lost)
    try:
        response = client.post(f"{url}/contributions", data={
            "body": "Lost in the restart.", "csrf_token": csrf_token(page),
            "submission_key": hidden_value(page.text, "submission_key")})
    finally:
        event.remove(db.session, "before_commit", connection_lost)
    assert_unavailable(app, response, "en")
    assert count_in(app, Contribution) == 0
