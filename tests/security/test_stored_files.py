"""Uploaded files on the server's disk: the lay review's confidential application PDFs and the
consultations' documents are readable by the application's owner and group only, from the
moment they are created, in folders other accounts cannot list, whatever the umask."""

import io
import os
import stat
from contextlib import contextmanager

import pytest

from engage.accounts.models import Role
from engage.reviews.models import CallStatus
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.reviews import ReviewWorld
from tests.helpers import csrf_token, hidden_value, post, sign_in_new

PDF = b"%PDF-1.7 confidential project"


@contextmanager
def permissive_umask():
    """The most permissive umask a server could run with: modes must not depend on it."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def moderator(app, auth):
    return auth.sign_in_as(role=Role.MODERATOR, language="en")


def test_an_application_pdf_is_stored_0640_in_a_0750_folder(app, client, factory, moderator,
                                                            tmp_path, monkeypatch):
    folder = tmp_path / "applications"  # made by the store
    monkeypatch.setitem(app.config, "REVIEWS_UPLOAD_DIR", str(folder))
    call_id = ReviewWorld(app, factory).call(status=CallStatus.DRAFT)
    url = f"/en/reviews/calls/{call_id}/applications/new"
    data = {"acronym": "CARE", "title": "Better care", "lay_summary": "We help patients.",
            "summary_language": "en", "csrf_token": csrf_token(client.get(url)),
            "pdf": (io.BytesIO(PDF), "project.pdf")}
    with permissive_umask():
        response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    [stored_file] = folder.iterdir()
    assert stored_file.read_bytes() == PDF
    assert (oct(mode(stored_file)), oct(mode(folder))) == (oct(0o640), oct(0o750))


def test_a_consultation_document_is_stored_0640_in_a_0750_folder(app, client, auth, tmp_path,
                                                                 monkeypatch):
    folder = tmp_path / "documents"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    sign_in_new(app, auth, "moderator")
    with stored(app):
        consultation_id = builders.consultation("draft").id
    page = client.get(f"/en/consultations/{consultation_id}/manage")
    with permissive_umask():
        response = post(client, f"/en/consultations/{consultation_id}/documents",
                        {"title": "Note", "submission_key": hidden_value(page, "submission_key"),
                         "file": (io.BytesIO(PDF), "note.pdf")},
                        content_type="multipart/form-data")
    assert response.status_code == 302
    [stored_file] = folder.iterdir()
    assert (oct(mode(stored_file)), oct(mode(folder))) == (oct(0o640), oct(0o750))
