"""Fixtures and the closing figures of the security tests."""

from contextlib import contextmanager

import pytest

from engage.extensions import db, limiter
from tests.conftest import SharedWorld, changes_undone
from tests.security.matrix import all_routes
from tests.security.world import build_world, build_world_with_sessions


def _sqlite_header(app) -> bytes | None:
    """The SQLite file's write mode and change counter (bytes 18 and 24–27 of its header);
    None on PostgreSQL."""
    with app.app_context():
        db.session.remove()
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        return None
    with open(url.database, "rb") as database:
        header = database.read(28)
    return header[18:19] + header[24:28]


class UndoneIfWritten(SharedWorld):
    """A shared world whose SQLite file is written back from the snapshot only after a case
    that wrote to it. Most cases (nine in ten of the authorization matrix) only read, and
    writing the file back cost about as much as the case itself. SQLite adds one to the
    header's change counter at each write transaction in its rollback-journal mode (write
    mode 1); in WAL mode (2) it does not, and every case is undone as before. PostgreSQL
    rolls back, as before."""

    @contextmanager
    def case(self):
        data = self.ensure()
        before = _sqlite_header(self.app)
        if before is None or before[:1] != b"\x01":
            with super().case() as copy:
                yield copy
            return
        try:
            yield dict(data)  # a case may add keys of its own
        finally:
            if _sqlite_header(self.app) != before:
                with changes_undone(self.app, self.snapshot):
                    pass  # leaving it writes the snapshot back


@pytest.fixture(autouse=True)
def _limiter_as_configured(request):
    """The limiter is one object shared by every application of the run, and a test that
    builds an application with limits leaves it switched on: give each test the setting of
    the application it uses."""
    if "app" in request.fixturenames:
        application = request.getfixturevalue("app")
        limiter.enabled = bool(application.config.get("RATELIMIT_ENABLED"))
    yield


@pytest.fixture(scope="module")
def shared_world(request, app):
    """The authorization matrix's world, built once per module and database; with a session
    of each role in the modules whose many cases sign in (`SESSIONS = True`)."""
    all_routes()  # the areas' world builders
    sessions = getattr(request.module, "SESSIONS", False)
    world = UndoneIfWritten(app, build_world_with_sessions if sessions else build_world)
    yield world
    world.close()


@pytest.fixture
def world(shared_world):
    """The shared world for one case: whatever the case changes is undone after it."""
    with shared_world.case() as data:
        yield data
