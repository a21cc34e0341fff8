"""The record's Atom feed (`/<lang>/impact/feed.atom`): what the network did, newest first,
in the feed's language (the other language where a text has no translation, marked with
`xml:lang`): published commitments, their updates, published funded projects and theirs.

Also the Jinja global `accountability_report_section(summary_id)` that the outcome report's
PDF (templates/summaries/report_pdf.html) calls: the summaries area may not import this one,
so the report reaches the network's response and figures through the template only.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import cast

from flask import Response, g, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from engage.accountability import open_data
from engage.accountability.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentUpdateKind,
    FundedProject,
    ProjectUpdate,
    ProjectUpdateKind,
)
from engage.accountability.queries import response_to
from engage.accountability.routes import bp
from engage.core.content import pick_translation
from engage.core.i18n import page_language
from engage.core.markdown import render_markdown
from engage.core.page_cache import cached_page
from engage.summaries import citations

FEED_SIZE = 30


@dataclass(frozen=True)
class Entry:
    """One entry of the feed: `language` is that of its texts (None: the feed's)."""

    id: str
    link: str
    title: str
    when: datetime
    summary: str
    content: Markup
    language: str | None = None


def _shown_language(shown, language: str) -> str | None:
    return shown.language if shown is not None and shown.language != language else None


def _commitment_link(commitment: Commitment) -> str:
    return url_for("accountability.commitment", commitment_id=commitment.id, _external=True)


def _project_link(project: FundedProject) -> str:
    return url_for("accountability.project", project_id=project.id, _external=True)


def _commitment_entry(commitment: Commitment, language: str) -> Entry:
    shown = commitment.translated(language)
    title = shown.title if shown else ""
    facts = [_("Status: %(status)s.", status=CommitmentStatus(commitment.status).label)]
    if commitment.owner:
        facts.append(_("Carried by: %(owner)s.", owner=commitment.owner))
    if commitment.status == CommitmentStatus.NOT_RETAINED:
        facts.append(_("Why: %(reason)s", reason=commitment.reason(language)))
    link = _commitment_link(commitment)
    return Entry(id=link, link=link, title=_("Commitment: %(title)s", title=title),
                 when=cast(datetime, commitment.response.published_at),
                 summary=" ".join(facts),
                 content=_commitment_text(commitment, shown.text if shown else "", language),
                 language=_shown_language(shown, language))


def _commitment_text(commitment: Commitment, text: str, language: str) -> Markup:
    """The commitment's text as HTML, its citations (`[#123]`) linked to the contributions
    still visible, as the summaries' feed links them (one query)."""
    summary = commitment.response.summary
    if summary is None or not text:
        return render_markdown(text)
    linked = citations.check({language: text}, summary.consultation_id)[language].linked
    return citations.render(text, summary.consultation_id, linked, language, external=True)


def _commitment_update_entry(update: CommitmentUpdate, language: str) -> Entry:
    commitment = update.commitment
    shown_title = commitment.translated(language)
    title = shown_title.title if shown_title else ""
    shown = pick_translation(update.translations, language)
    if update.kind == CommitmentUpdateKind.CORRECTION:
        heading = _("Correction of the commitment “%(title)s”", title=title)
    else:
        heading = _("Update of the commitment “%(title)s”", title=title)
    summary = _("New status: %(status)s.", status=CommitmentStatus(update.status).label) \
        if update.status else ""
    link = f"{_commitment_link(commitment)}#update-{update.id}"
    return Entry(id=link, link=link, title=heading, when=update.created_at, summary=summary,
                 content=render_markdown(shown.text if shown else ""),
                 language=_shown_language(shown, language))


def _project_entry(project: FundedProject, language: str) -> Entry:
    shown = project.translated(language)
    link = _project_link(project)
    summary = _("Institution: %(institution)s.", institution=project.institution) \
        if project.institution else ""
    content = Markup("<p>{}</p>").format(escape(shown.lay_summary)) if shown else Markup("")
    return Entry(id=link, link=link,
                 title=_("Funded project: %(title)s", title=shown.title if shown else ""),
                 when=cast(datetime, project.published_at), summary=summary,
                 content=content,
                 language=_shown_language(shown, language))


def _project_update_entry(update: ProjectUpdate, language: str) -> Entry:
    project = update.project
    shown_title = project.translated(language)
    shown = pick_translation(update.translations, language)
    link = f"{_project_link(project)}#update-{update.id}"
    return Entry(id=link, link=link,
                 title=_("News of the project “%(title)s”: %(kind)s",
                         title=shown_title.title if shown_title else "",
                         kind=ProjectUpdateKind(update.kind).label),
                 when=update.created_at, summary="",
                 content=render_markdown(shown.text if shown else ""),
                 language=_shown_language(shown, language))


def entries(language: str, size: int = FEED_SIZE) -> list[Entry]:
    """The `size` newest entries, newest first (four queries)."""
    latest = open_data.latest(size)
    found = [
        *(_commitment_entry(item, language) for item in latest["commitments"]),
        *(_commitment_update_entry(item, language) for item in latest["commitment_updates"]),
        *(_project_entry(item, language) for item in latest["projects"]),
        *(_project_update_entry(item, language) for item in latest["project_updates"]),
    ]
    found.sort(key=lambda entry: entry.when, reverse=True)
    return found[:size]


@bp.get("/feed.atom")
@cached_page(scopes=lambda: [open_data.SCOPE])
def feed():
    language = page_language()
    xml = render_template("accountability/feed.atom.html", entries=entries(language),
                          language=language)
    return Response(xml, mimetype="application/atom+xml")


# The outcome report's section on the network's response (its PDF)


class ReportSection:
    """What the outcome report (page and PDF) shows of the network's record: the published
    response's commitments with their status (none while there is no published response),
    and, read only if shown (the PDF), the network's figures."""

    def __init__(self, summary_id: int):
        response = response_to(summary_id=summary_id)
        self.commitments = list(response.commitments) if response is not None else []
        self.published_at = response.published_at if response is not None else None

    @cached_property
    def figures(self):
        return open_data.figures()


@bp.app_template_global()
def accountability_report_section(summary_id: int) -> ReportSection:
    """The report's section, read once per request (the body and the section both ask)."""
    sections = g.setdefault("accountability_report_sections", {})
    if summary_id not in sections:
        sections[summary_id] = ReportSection(summary_id)
    return sections[summary_id]
