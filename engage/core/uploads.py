"""Uploaded PDF files: checked by their content, stored under random names, served as downloads.

A `PdfStore` is one folder of such files; `DOCUMENTS` holds the consultations' public
documents, and an area with confidential files declares its own store, in its own folder
(lay review's applications: engage.reviews.storage), so that no other store serves them.

- The file must start with the PDF signature `%PDF-` (its name and the type the
  browser claims are not trusted) and be no larger than the store's size setting
  (10 MB by default; the whole request is also capped by `MAX_CONTENT_LENGTH`).
- It is stored as `<32 random hex digits>.pdf`, readable by its owner and group only
  from the moment it is created (in a folder only they can list, when the store creates
  it), never under a name the user chose; only such names are looked up.
- It is served as an attachment (`Content-Disposition: attachment`), typed
  `application/pdf`, with `X-Content-Type-Options: nosniff` and a sandboxing CSP,
  so that a browser never renders it as a page of this site.
"""

import os
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from engage.core.errors import DomainError

PDF_SIGNATURE = b"%PDF-"
FILE_MODE = 0o640  # the owner writes, the group (the web server's) reads, others nothing
FOLDER_MODE = 0o750
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


def clean_filename(name: str | None, fallback: str = "document.pdf") -> str:
    """A file name safe to show and to send back: no path, no control characters."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    name = re.sub(r"[\"<>:|?*/]", "_", name)[:150]
    return name or fallback


def _megabytes(size: int) -> str:
    return format_decimal(round(size / (1024 * 1024), 1))


def _too_large_in_megabytes(limit: int) -> str:
    return _l("The file is too large: at most %(size)s MB.", size=_megabytes(limit))


@dataclass(frozen=True)
class PdfStore:
    """A folder of uploaded PDF files, named by settings; the messages are the area's."""

    folder_setting: str
    default_folder: str  # under the instance folder, when the setting is empty
    max_bytes_setting: str
    not_a_pdf: str = _l("Only PDF files are accepted.")
    too_large: Callable[[int], str] = _too_large_in_megabytes  # the message for a limit

    def folder(self) -> Path:
        configured = current_app.config.get(self.folder_setting)
        return Path(configured) if configured else Path(current_app.instance_path,
                                                         self.default_folder)

    def max_bytes(self) -> int:
        return int(current_app.config.get(self.max_bytes_setting, DEFAULT_MAX_BYTES))

    def read(self, stream) -> bytes:
        """The bytes of an uploaded PDF; raise UploadError saying what is wrong."""
        limit = self.max_bytes()
        data = bytearray()
        while chunk := stream.read(_CHUNK):
            data.extend(chunk)
            if len(data) > limit:
                raise UploadError(self.too_large(limit))
        if not data:
            raise UploadError(_l("The file is empty."))
        if not data.startswith(PDF_SIGNATURE):
            raise UploadError(self.not_a_pdf)
        return bytes(data)

    def save(self, data: bytes) -> str:
        """Store the bytes under a new random name; returns that name.

        The file is created with its final mode (FILE_MODE), never readable by others even
        while it is written, whatever the process's umask; a folder the store creates is
        FOLDER_MODE, so that other accounts of the server cannot list its files either."""
        folder = self.folder()
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        stored_name = f"{secrets.token_hex(16)}.pdf"
        # O_EXCL: never overwrites. The umask may take bits off the mode: fchmod sets it exactly.
        descriptor = os.open(folder / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                             FILE_MODE)
        with os.fdopen(descriptor, "wb") as output:
            os.fchmod(descriptor, FILE_MODE)
            output.write(data)
        return stored_name

    def store(self, file_storage) -> StoredFile:
        """Check and store an uploaded file (a werkzeug FileStorage); raise UploadError."""
        if file_storage is None or not getattr(file_storage, "filename", ""):
            raise UploadError(_l("Please choose a file."))
        data = self.read(file_storage.stream)
        return StoredFile(self.save(data), clean_filename(file_storage.filename), len(data))

    def path(self, stored_name: str | None) -> Path | None:
        """The stored file, if the name is one this store makes and the file exists."""
        if stored_name is None or not _STORED_NAME.match(stored_name):
            return None
        path = self.folder() / stored_name
        return path if path.is_file() else None

    def delete(self, stored_name: str | None) -> None:
        path = self.path(stored_name)
        if path is not None:
            path.unlink(missing_ok=True)

    def send(self, stored_name: str | None, download_name: str, private: bool = False):
        """The file as a download, or 404 if it is missing."""
        path = self.path(stored_name)
        if path is None:
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


DOCUMENTS = PdfStore("UPLOAD_FOLDER", "uploads", "UPLOAD_MAX_BYTES")
