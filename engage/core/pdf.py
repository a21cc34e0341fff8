"""PDF documents from HTML, tagged for screen readers (PDF/UA-1).

WeasyPrint (with Pango and the DejaVu fonts) is imported when a PDF is built, so that the
application starts where its libraries are missing. The HTML must set `<html lang>` and
`<title>`: they become the document's language and title, which PDF/UA requires (shown in
the reader's title bar). Headings, lists, tables with `<th scope>`, `lang` attributes and
the `<title>` of an SVG chart (its text alternative) carry over into the tags.
"""

import logging

PDF_VARIANT = "pdf/ua-1"


def write_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    for name in ("weasyprint", "fontTools"):  # their progress messages are not our log's
        logging.getLogger(name).setLevel(logging.WARNING)
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
