"""Fixtures of the consultations tests."""

import pytest
from flask_babel import force_locale

from engage.extensions import db


@pytest.fixture
def app_context(app):
    """An application context in English (messages are checked in English)."""
    with app.app_context(), force_locale("en"):
        yield
        db.session.rollback()


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    """Uploaded files go to a temporary folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


from tests.consultations.matrix import register  # noqa: E402

register()  # the consultations' rows of the authorization matrix (tests/security)
