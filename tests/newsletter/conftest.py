"""Fixtures of the newsletter tests: each module's world (its `build_world(app)`) is built
once per database and whatever a case changes is undone (tests/README.md)."""

import pytest

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
