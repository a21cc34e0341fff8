"""Full-project PDFs, stored under instance/uploads/reviews/ with random names.

The file is checked by its content (it must start with "%PDF-"), never trusted by
its name or declared type, and served only to users allowed to read the
application, as an attachment.
"""

import os
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from engage.core.errors import DomainError

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_PDF_BYTES = 10 * 1024 * 1024


def upload_dir() -> Path:
    configured = current_app.config.get("REVIEWS_UPLOAD_DIR")
    default = Path(current_app.instance_path) / "uploads" / "reviews"
    path = Path(configured) if configured else default
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_pdf_bytes() -> int:
    return int(current_app.config.get("REVIEWS_MAX_PDF_BYTES", DEFAULT_MAX_PDF_BYTES))


def read_pdf(stream) -> bytes:
    """The bytes of an uploaded PDF, or a DomainError saying what is wrong."""
    limit = max_pdf_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise DomainError(_l("The file is empty."))
    if len(data) > limit:
        if limit >= 1024 * 1024:
            raise DomainError(_l("The PDF is too large: at most %(size)s MB.",
                                 size=limit // (1024 * 1024)))
        raise DomainError(_l("The PDF is too large: at most %(size)s kB.", size=limit // 1024))
    if not data.startswith(PDF_MAGIC):
        raise DomainError(_l("This file is not a PDF. Please send the project as a PDF file."))
    return data


def save_pdf(data: bytes) -> str:
    """Store the bytes under a new random name; returns that name."""
    name = f"{secrets.token_hex(16)}.pdf"
    path = upload_dir() / name
    with open(path, "xb") as handle:
        handle.write(data)
    return name


def pdf_path(name: str) -> Path | None:
    """The stored file, if the name is one of ours and the file exists."""
    if not name or os.path.basename(name) != name or not name.endswith(".pdf"):
        return None
    path = upload_dir() / name
    return path if path.is_file() else None


def delete_pdf(name: str | None) -> None:
    path = pdf_path(name) if name else None
    if path is not None:
        path.unlink(missing_ok=True)
