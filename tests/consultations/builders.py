"""Moved to tests/factories/consultations.py; kept for tests/security/test_personal_data.py."""

from tests.factories.consultations import *  # noqa: F403
from tests.factories.consultations import services  # noqa: F401
