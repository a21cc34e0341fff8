"""Moved to tests/factories/summaries.py; kept for tests/security/test_fuzz_forms.py."""

from tests.factories.summaries import EN, FR, closed_consultation, published, written  # noqa: F401
