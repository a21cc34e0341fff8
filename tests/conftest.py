"""Shared fixtures: the app on each database, a clean database per test,
clients, a sign-in helper and factories."""

import os
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from engage import create_app
from engage.accounts.models import Role, User
from engage.core.db import utcnow
from engage.core.outbox import OutboxMessage
from engage.extensions import db

PASSWORD = "correct horse battery"
# In CI a missing PostgreSQL or browser is a failure, not a skip.
REQUIRE_ALL = os.environ.get("ENGAGE_REQUIRE_ALL_BACKENDS") == "1"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def _backends():
    return ["sqlite", "postgresql"]


def missing(reason: str):
    """Skip locally, fail in CI."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def database_url(backend: str, tmp_path_factory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'engage-test.sqlite3'}"
    if not TEST_DATABASE_URL:
        missing("TEST_DATABASE_URL is not set: PostgreSQL tests not run")
    return TEST_DATABASE_URL


def build_app(url: str, **overrides):
    config = {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, **overrides}
    return create_app(config)


def reset_database(app):
    with app.app_context():
        db.session.remove()
        db.drop_all()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        db.create_all()


def empty_tables(app):
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(table.delete())


@pytest.fixture(scope="session", params=_backends())
def app(request, tmp_path_factory):
    url = database_url(request.param, tmp_path_factory)
    application = build_app(url)
    reset_database(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test that uses the app starts from empty tables."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    yield
    empty_tables(application)


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(response, prefix: str = "") -> str:
    """The CSRF token of a form in the page (`prefix` for prefixed forms)."""
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    for pattern in (rf'name="{name}" type="hidden" value="([^"]+)"',
                    rf'name="{name}" value="([^"]+)"'):
        match = re.search(pattern, response.text)
        if match:
            return match.group(1)
    raise AssertionError(f"no {name} in the page")


class Factory:
    """Builds objects straight in the database."""

    def __init__(self, app):
        self.app = app
        self.counter = 0

    def user(self, role=Role.PARTICIPANT, confirmed=True, language="fr", **fields) -> int:
        self.counter += 1
        with self.app.app_context():
            user = User(
                email=fields.pop("email", f"user{self.counter}@example.org"),
                display_name=fields.pop("display_name", f"User {self.counter}"),
                role=role,
                language=language,
                email_confirmed_at=utcnow() if confirmed else None,
                privacy_consent_at=utcnow(),
                **fields,
            )
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            return user.id


@pytest.fixture
def factory(app):
    return Factory(app)


class Auth:
    """Signs in through the real form, CSRF token included."""

    def __init__(self, app, client, factory=None):
        self.app = app
        self.client = client
        self.factory = factory or Factory(app)

    def sign_in(self, email, password=PASSWORD, lang="en"):
        page = self.client.get(f"/{lang}/account/sign-in")
        return self.client.post(
            f"/{lang}/account/sign-in",
            data={"email": email, "password": password, "csrf_token": csrf_token(page)},
        )

    def sign_in_as(self, role=Role.PARTICIPANT, **fields):
        user_id = self.factory.user(role=role, **fields)
        with self.app.app_context():
            email = db.session.get(User, user_id).email
        response = self.sign_in(email)
        assert response.status_code == 302, response.text
        return user_id

    def sign_out(self, lang="en"):
        page = self.client.get(f"/{lang}/")
        return self.client.post(f"/{lang}/account/sign-out", data={"csrf_token": csrf_token(page)})


@pytest.fixture
def auth(app, client, factory):
    return Auth(app, client, factory)


class QueryCounter:
    """Counts the SQL statements run inside a `with` block."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        with self.app.app_context():
            self.engine = db.engine
        self.count = 0
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter: client.get(...)`, then `counter.count`."""
    return lambda: QueryCounter(app)


def outbox(app, recipient=None) -> list[OutboxMessage]:
    with app.app_context():
        query = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        messages = db.session.scalars(query).all()
        db.session.expunge_all()
        return messages


def link_in(message: OutboxMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


# Browser tests: a live server on its own SQLite database, Debian's Chromium.

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} is not installed: browser tests not run")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected into the page: the CSP would block it.
    return {**browser_context_args, "bypass_csp": True, "locale": "fr-FR"}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'engage-live.sqlite3'}"
    application = build_app(url, SERVER_NAME=None)
    reset_database(application)
    return application


@pytest.fixture(scope="session")
def live_server(live_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server
