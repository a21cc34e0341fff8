"""Fixtures of the research priorities tests: the builder (`build`) of
tests/factories/priorities.py."""

from tests.factories.priorities import build  # noqa: F401 - the fixture
from tests.priorities.matrix import register

register()  # research priorities' rows of the authorization matrix (tests/security)
