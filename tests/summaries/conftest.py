"""Fixtures of the moderation and summaries tests."""

import pytest
from flask_babel import force_locale

from engage.extensions import db


@pytest.fixture
def app_context(app):
    """An application context in English, inside a request (url_for needs one)."""
    with app.test_request_context("/en/"), force_locale("en"):
        yield
        db.session.rollback()
