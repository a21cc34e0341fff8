"""Fixtures of the API tests: a client that validates every response against the OpenAPI
document, and the world of public and private content (tests/factories/api.py)."""

import pytest

from tests.api.matrix import register
from tests.api.schema import ApiClient, SpecValidator
from tests.factories.api import world  # noqa: F401 - the fixture

register()  # the API's rows of the authorization matrix (tests/security)


@pytest.fixture
def api(app):
    """A client whose every /api/v1 response is checked against /api/v1/openapi.json."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    client = ApiClient(app, app.response_class, use_cookies=True)
    client.validator = SpecValidator(document)
    return client
