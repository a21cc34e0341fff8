"""Fixtures of the accountability tests: each module's world (its `build_world(app)`) is
built once per database and whatever a case changes is undone (tests/README.md)."""

import pytest
from flask_babel import force_locale

from engage.extensions import db
from tests.conftest import SharedWorld


@pytest.fixture(scope="module")
def shared_world(request, app):
    world = SharedWorld(app, request.module.build_world)
    yield world
    world.close()


@pytest.fixture
def world(shared_world):
    with shared_world.case() as data:
        yield data


@pytest.fixture
def ctx(app, world):
    """The world's ids, inside an English request context; the session is rolled back
    after the case (and the world's undoing removes anything committed)."""
    with app.test_request_context("/en/"), force_locale("en"):
        yield world
        db.session.rollback()
