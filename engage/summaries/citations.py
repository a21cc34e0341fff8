"""Citations of contributions in a summary: `[#123]` links to contribution 123.

Only contributions of the summary's consultation that are visible (published, not deleted)
are linked; the editor flags the others (unknown, or hidden since) and the published page
shows them as plain text.
"""

import re
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from engage.consultations.models import Contribution
from engage.core.errors import DomainError
from engage.core.markdown import render_markdown
from engage.core.text_length import count_characters
from engage.extensions import db

CITATION = re.compile(r"\[#(\d{1,9})\](?!\()")


def cited_ids(text: str | None) -> list[int]:
    """The contribution numbers cited, in order of first appearance."""
    found: list[int] = []
    for match in CITATION.finditer(text or ""):
        number = int(match.group(1))
        if number not in found:
            found.append(number)
    return found


def strip_citations(text: str | None) -> str:
    return re.sub(r"\s*\[#\d{1,9}\](?!\()", "", text or "")


@dataclass
class CitationCheck:
    cited: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)  # not a contribution of this consultation
    hidden: list[int] = field(default_factory=list)  # hidden, awaiting moderation or deleted

    @property
    def linked(self) -> list[int]:
        return [n for n in self.cited if n not in self.unknown and n not in self.hidden]

    @property
    def has_problems(self) -> bool:
        return bool(self.unknown or self.hidden)


def visibility(consultation_id: int, ids) -> dict[int, bool]:
    """Contribution id -> visible, for the ids that belong to the consultation: one query."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Contribution.id, Contribution.moderation_status, Contribution.deleted_at)
        .where(Contribution.id.in_(ids), Contribution.consultation_id == consultation_id)
    ).all()
    return {row.id: row.moderation_status == "published" and row.deleted_at is None
            for row in rows}


def check(texts: dict[str, str], consultation_id: int) -> dict[str, CitationCheck]:
    """The citations of each language's text, checked with one query."""
    cited = {code: cited_ids(text) for code, text in texts.items()}
    known = visibility(consultation_id, [n for ids in cited.values() for n in ids])
    checks = {}
    for code, ids in cited.items():
        checks[code] = CitationCheck(
            cited=ids,
            unknown=[n for n in ids if n not in known],
            hidden=[n for n in ids if n in known and not known[n]],
        )
    return checks


def with_citation_appended(text: str | None, number: int | None, consultation_id: int,
                           max_length: int) -> str:
    """`text` with `[#number]` at its end (the editor's "Insert" without JavaScript).

    Refused (DomainError) unless `number` is a visible contribution of the consultation, or
    when the text would grow longer than `max_length`."""
    if number is None or not visibility(consultation_id, [number]).get(number, False):
        raise DomainError(_l("This contribution cannot be cited: it is not a visible "
                             "contribution of this consultation."))
    text = text or ""
    citation = f"[#{number}]"
    if text and not text[-1].isspace():
        citation = " " + citation
    if count_characters(text + citation) > max_length:
        raise DomainError(gettext("The summary is too long: at most %(max)d characters.",
                                  max=max_length))
    return text + citation


def render(text: str | None, consultation_id: int, linked, language: str,
           external: bool = False) -> Markup:
    """The summary as HTML, each valid citation a link to its contribution."""
    linked = set(linked)

    def link(match: re.Match) -> str:
        number = int(match.group(1))
        if number not in linked:
            return match.group(0)
        url = url_for("consultations.contribution", lang_code=language,
                      consultation_id=consultation_id, contribution_id=number,
                      _external=external)
        return f"[\\[#{number}\\]]({url})"

    html = str(render_markdown(CITATION.sub(link, text or "")))
    # The summary sits under a section heading (h2): its own headings go one level down.
    for level in (3, 2):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>")
    return Markup(html)  # noqa: S704 - sanitized by render_markdown
