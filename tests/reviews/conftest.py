"""Fixtures of the lay review tests: the builder (`world`) of tests/factories/reviews.py."""

from tests.factories.reviews import world  # noqa: F401 - the fixture
from tests.reviews.matrix import register

register()  # lay review's rows of the authorization matrix (tests/security)
