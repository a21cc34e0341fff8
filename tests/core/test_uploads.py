"""PDF uploads: checked by content, size-limited, stored under random names, sent as downloads."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from engage.core import uploads

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    target = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(target))
    with app.test_request_context("/en/"):
        yield target


def upload(content: bytes, name: str = "doc.pdf", mimetype: str = "application/pdf"):
    return FileStorage(io.BytesIO(content), filename=name, content_type=mimetype)


def test_a_pdf_is_stored_under_a_random_name(folder):
    stored = uploads.DOCUMENTS.store(upload(PDF, "../../etc/Compte\x00 rendu.pdf"))
    assert stored.original_name == "Compte rendu.pdf"
    assert stored.size == len(PDF)
    assert len(stored.stored_name) == 36 and stored.stored_name.endswith(".pdf")
    assert (folder / stored.stored_name).read_bytes() == PDF
    other = uploads.DOCUMENTS.store(upload(PDF))
    assert other.stored_name != stored.stored_name


@pytest.mark.parametrize(("content", "message"), [
    (b"<html><body>not a pdf</body></html>", "Only PDF files are accepted."),
    (b" %PDF-1.4 with a space first", "Only PDF files are accepted."),
    (b"\x89PNG\r\n\x1a\n", "Only PDF files are accepted."),
    (b"", "The file is empty."),
])
def test_the_content_decides_not_the_name_or_type(folder, content, message):
    with pytest.raises(uploads.UploadError, match=message):
        uploads.DOCUMENTS.store(upload(content, "innocent.pdf", "application/pdf"))
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_pdf_with_another_name_and_type_is_accepted(folder):
    stored = uploads.DOCUMENTS.store(upload(PDF, "scan", "application/octet-stream"))
    assert stored.original_name == "scan"


def test_size_limit(folder, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 100)
    uploads.DOCUMENTS.store(upload(b"%PDF-" + b"x" * 95))
    with pytest.raises(uploads.UploadError, match="too large: at most 0 MB"):
        uploads.DOCUMENTS.store(upload(b"%PDF-" + b"x" * 96))


def test_no_file(folder):
    with pytest.raises(uploads.UploadError, match=r"Please choose a file\."):
        uploads.DOCUMENTS.store(None)
    with pytest.raises(uploads.UploadError):
        uploads.DOCUMENTS.store(upload(PDF, ""))


def test_sent_as_an_attachment_with_safe_headers(folder):
    stored = uploads.DOCUMENTS.store(upload(PDF))
    response = uploads.DOCUMENTS.send(stored.stored_name, 'Rapport "final".pdf')
    response.direct_passthrough = False
    try:
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "Rapport _final_.pdf" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert response.get_data() == PDF
    finally:
        response.close()
    private = uploads.DOCUMENTS.send(stored.stored_name, "x.pdf", private=True)
    try:
        assert private.headers["Cache-Control"] == "private, no-store"
    finally:
        private.close()


@pytest.mark.parametrize("name", ["../secret_key", "abc.pdf", "0" * 32 + ".PDF", ""])
def test_only_stored_names_are_served(folder, name):
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        uploads.DOCUMENTS.send(name, "x.pdf")
    uploads.DOCUMENTS.delete(name)  # ignored


def test_missing_file_is_not_found_and_delete_removes(folder):
    from werkzeug.exceptions import NotFound

    stored = uploads.DOCUMENTS.store(upload(PDF))
    uploads.DOCUMENTS.delete(stored.stored_name)
    assert not (folder / stored.stored_name).exists()
    with pytest.raises(NotFound):
        uploads.DOCUMENTS.send(stored.stored_name, "x.pdf")


def test_default_folder_is_under_instance(app):
    with app.app_context():
        assert uploads.DOCUMENTS.folder().parts[-2:] == ("instance", "uploads") or \
            uploads.DOCUMENTS.folder().name == "uploads"
