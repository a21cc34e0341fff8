"""Fixtures and the closing figures of the security tests."""

import pytest

from engage.extensions import limiter
from tests.conftest import SharedWorld
from tests.security.matrix import all_routes
from tests.security.world import build_world


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
def shared_world(app):
    """The authorization matrix's world, built once per module and database."""
    all_routes()  # the areas' world builders
    world = SharedWorld(app, build_world)
    yield world
    world.close()


@pytest.fixture
def world(shared_world):
    """The shared world for one case: whatever the case changes is undone after it."""
    with shared_world.case() as data:
        yield data
