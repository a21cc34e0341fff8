"""Full-project PDFs of lay review: confidential, so kept in their own store
(`REVIEWS_UPLOAD_DIR`, default instance/uploads/reviews/), which no public route reads, and
served only to users allowed to read the application."""

from flask_babel import lazy_gettext as _l

from engage.core.uploads import PdfStore


def _too_large(limit: int) -> str:
    if limit >= 1024 * 1024:
        return _l("The PDF is too large: at most %(size)s MB.", size=limit // (1024 * 1024))
    return _l("The PDF is too large: at most %(size)s kB.", size=limit // 1024)


PROJECT_PDFS = PdfStore(
    "REVIEWS_UPLOAD_DIR", "uploads/reviews", "REVIEWS_MAX_PDF_BYTES",
    not_a_pdf=_l("This file is not a PDF. Please send the project as a PDF file."),
    too_large=_too_large,
)
