"""Shared fixtures: the app on each database, a clean database per test, shared worlds
whose changes are undone after each case, clients; factories (tests/factories) and request
helpers (tests/helpers.py) re-exported.

How the isolation works is told in tests/README.md.
"""

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import text
from sqlalchemy.engine import make_url

pytest.register_assert_rewrite("tests.helpers", "tests.factories")

from engage import create_app  # noqa: E402
from engage.core import shared_store  # noqa: E402
from engage.core.outbox import OutboxMessage  # noqa: E402
from engage.extensions import db  # noqa: E402

# Test data and request helpers live in tests/factories and tests/helpers.py; the names
# below stay importable from here.
from tests.factories.users import PASSWORD, Factory  # noqa: E402, F401
from tests.helpers import Auth, csrf_token  # noqa: E402, F401

pytest_plugins = ["tests.factories.users"]  # fixtures `factory` and `auth` for every test

PROJECT = Path(__file__).resolve().parents[1]
# In CI a missing PostgreSQL or browser is a failure, not a skip.
REQUIRE_ALL = os.environ.get("ENGAGE_REQUIRE_ALL_BACKENDS") == "1"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
# Each pytest-xdist worker ("gw0", "gw1", ...) has its own databases, Redis databases and
# instance folder; a run without xdist is worker 0.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER[2:]) if WORKER.startswith("gw") else 0


def _backends():
    return ["sqlite", "postgresql"]


def missing(reason: str):
    """Skip locally, fail in CI."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def redis_url(purpose: int = 0) -> str:
    """A Redis database of this worker's own: TEST_REDIS_URL's number plus two per worker
    (`purpose` 0 for the in-process apps, 1 for the gunicorn instances)."""
    base = make_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12"))
    number = int(base.database or 0) + 2 * WORKER_INDEX + purpose
    return f"redis://{base.host}:{base.port or 6379}/{number}"


def create_postgresql_database(name: str) -> str:
    """A new, empty PostgreSQL database beside TEST_DATABASE_URL's (dropped first if a
    previous run left it, whoever is still connected to it)."""
    import psycopg

    base = make_url(TEST_DATABASE_URL)
    admin = base.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


def worker_database_name(suffix: str = "") -> str:
    name = make_url(TEST_DATABASE_URL).database
    if WORKER:
        name = f"{name}_{WORKER}"
    return f"{name}{suffix}"


def database_url(backend: str, tmp_path_factory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'engage-test.sqlite3'}"
    if not TEST_DATABASE_URL:
        missing("TEST_DATABASE_URL is not set: PostgreSQL tests not run")
    if not WORKER:
        return TEST_DATABASE_URL
    return create_postgresql_database(worker_database_name())


def _catalogs_are_stale() -> bool:
    for catalog in (PROJECT / "translations").glob("*/LC_MESSAGES/messages.po"):
        compiled = catalog.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < catalog.stat().st_mtime:
            return True
    return False


def pytest_configure(config):
    if not os.environ.get("ENGAGE_INSTANCE_PATH"):
        # Uploads, secret key: each worker writes in a folder of its own.
        os.environ["ENGAGE_INSTANCE_PATH"] = tempfile.mkdtemp(prefix=f"engage-{WORKER or 'main'}-")
    # French pages need the compiled catalogs: compile them once, before the workers start.
    if not hasattr(config, "workerinput") and _catalogs_are_stale():
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile",
                        "-d", str(PROJECT / "translations")], check=True,
                       capture_output=True)


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker: send the figures
        from tests.security.site import export_figures

        session.config.workeroutput["security_figures"] = export_figures()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.security.site import merge_figures

    merge_figures(getattr(node, "workeroutput", {}).get("security_figures", {}))


def pytest_terminal_summary(terminalreporter):
    """The security figures of the whole run, every worker's added up."""
    from tests.security.site import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("security figures")
        for line in lines:
            terminalreporter.write_line(line)


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


CLEAN_UPS = {"count": 0}  # how many times tables were emptied: a shared world older is gone


def empty_tables(app):
    """Deletes the rows of the tables that have any, and starts their ids from 1 again.
    Far cheaper than TRUNCATE ... CASCADE over every table, which PostgreSQL pays for even
    on empty tables."""
    shared_store.of(app).clear()  # what was kept was keyed by versions that start again
    CLEAN_UPS["count"] += 1
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as connection:
            quote = connection.dialect.identifier_preparer.quote
            probe = " UNION ALL ".join(
                f"SELECT {index} FROM (SELECT 1 FROM {quote(table.name)} LIMIT 1) AS t{index}"
                for index, table in enumerate(tables))
            filled = [tables[row[0]] for row in connection.execute(text(probe))]
            filled.sort(key=tables.index)
            for table in filled:
                connection.execute(table.delete())
            if connection.dialect.name == "postgresql":
                for table in filled:
                    column = table.autoincrement_column
                    if column is not None:
                        connection.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{quote(table.name)}', "
                            f"'{column.name}'), 1, false)"))
            elif filled and connection.execute(text(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first():
                names = ", ".join(f"'{table.name}'" for table in filled)
                connection.execute(text(f"DELETE FROM sqlite_sequence WHERE name IN ({names})"))


class SessionOnConnection(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session picks an engine and ignores a session-wide bind: this one
    honours it, so that every session of a case works inside the case's outer transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@contextmanager
def changes_undone(app, snapshot=None):
    """Whatever happens inside is undone at the end.

    PostgreSQL: one outer transaction on one connection, which every session joins with
    `join_transaction_mode="create_savepoint"` (the app's commits release savepoints), and
    which is rolled back. SQLite: the database file is restored from `snapshot` (an
    in-memory copy taken by `take_snapshot`)."""
    with app.app_context():
        db.session.remove()
        engine = db.engine
    if engine.dialect.name != "postgresql":
        try:
            yield
        finally:
            with app.app_context():
                db.session.remove()
            engine.dispose()
            restore_snapshot(engine, snapshot)
            shared_store.of(app).clear()  # kept under versions now undone
        return
    factory = db.session.session_factory
    saved_class, saved_options = factory.class_, dict(factory.kw)
    connection = engine.connect()
    outer = connection.begin()
    factory.class_ = SessionOnConnection
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        factory.class_, factory.kw = saved_class, saved_options
        outer.rollback()
        connection.close()
        shared_store.of(app).clear()  # kept under versions now undone


def take_snapshot(app):
    """An in-memory copy of a SQLite database (None on PostgreSQL, which rolls back)."""
    with app.app_context():
        db.session.remove()
        engine = db.engine
    if engine.dialect.name == "postgresql":
        return None
    engine.dispose()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    with sqlite3.connect(engine.url.database) as source:
        source.backup(copy)
    source.close()
    return copy


def restore_snapshot(engine, snapshot) -> None:
    target = sqlite3.connect(engine.url.database)
    try:
        snapshot.backup(target)
    finally:
        target.close()


class SharedWorld:
    """Data built once (per module and database) and kept: each case's changes are undone
    (`changes_undone`). Built again if a test of the same module emptied the tables."""

    def __init__(self, app, build):
        self.app = app
        self.build = build
        self.data = None
        self.snapshot = None
        self.built_after = None

    def ensure(self) -> dict:
        if self.data is None or self.built_after != CLEAN_UPS["count"]:
            empty_tables(self.app)
            self.data = self.build(self.app)
            self.snapshot = take_snapshot(self.app)
            self.built_after = CLEAN_UPS["count"]
        return self.data

    @contextmanager
    def case(self):
        data = self.ensure()
        with changes_undone(self.app, self.snapshot):
            yield dict(data)  # a case may add keys of its own

    def close(self):
        if self.snapshot is not None:
            self.snapshot.close()
        empty_tables(self.app)


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
    """Every test that uses the app starts from empty tables; tests on a shared world
    (`shared_world`, e.g. tests/security/conftest.py) leave the undoing to it."""
    if "app" not in request.fixturenames or "shared_world" in request.fixturenames:
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
