"""Uploaded PDF files: checked by their content, stored under random names, served as downloads.

- The file must start with the PDF signature `%PDF-` (its name and the type the
  browser claims are not trusted) and be no larger than `UPLOAD_MAX_BYTES`
  (10 MB by default; the whole request is also capped by `MAX_CONTENT_LENGTH`).
- It is stored as `<32 random hex digits>.pdf` in `UPLOAD_FOLDER`
  (default `instance/uploads/`), never under a name the user chose.
- It is served as an attachment (`Content-Disposition: attachment`), typed
  `application/pdf`, with `X-Content-Type-Options: nosniff` and a sandboxing CSP,
  so that a browser never renders it as a page of this site.
"""

import contextlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from engage.core.errors import DomainError

PDF_SIGNATURE = b"%PDF-"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")


class UploadError(DomainError):
    """The file cannot be accepted; the message says why."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    size: int


def upload_folder() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def max_upload_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_filename(name: str | None, fallback: str = "document.pdf") -> str:
    """A file name safe to show and to send back: no path, no control characters."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    name = re.sub(r"[\"<>:|?*/]", "_", name)[:150]
    return name or fallback


def _megabytes(size: int) -> str:
    return format_decimal(round(size / (1024 * 1024), 1))


def store_pdf(file_storage) -> StoredFile:
    """Check and store an uploaded file (a werkzeug FileStorage); raise UploadError."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise UploadError(_l("Please choose a file."))
    limit = max_upload_bytes()
    data = bytearray()
    stream = file_storage.stream
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        data.extend(chunk)
        if len(data) > limit:
            raise UploadError(
                _l("The file is too large: at most %(size)s MB.", size=_megabytes(limit))
            )
    if not data:
        raise UploadError(_l("The file is empty."))
    if not bytes(data[: len(PDF_SIGNATURE)]) == PDF_SIGNATURE:
        raise UploadError(_l("Only PDF files are accepted."))
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.pdf"
    with open(folder / stored_name, "xb") as output:  # never overwrites
        output.write(data)
    os.chmod(folder / stored_name, 0o640)
    return StoredFile(stored_name, clean_filename(file_storage.filename), len(data))


def path_of(stored_name: str) -> Path:
    """The path of a stored file; only names this module made are accepted."""
    if not _STORED_NAME.match(stored_name or ""):
        raise ValueError("not a stored file name")
    return upload_folder() / stored_name


def delete_stored(stored_name: str) -> None:
    with contextlib.suppress(ValueError):
        path_of(stored_name).unlink(missing_ok=True)


def send_pdf(stored_name: str, download_name: str, private: bool = False):
    """The file as a download, or 404 if it is missing."""
    try:
        path = path_of(stored_name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=clean_filename(download_name),
        max_age=0 if private else 3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response
