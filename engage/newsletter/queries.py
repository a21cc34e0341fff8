"""Read models of the newsletter: what was published in a period (what an issue lists), the
items of issues as pages, feeds and emails show them, the archive, the subscribers.

An issue keeps the ids of what it lists; they are read again to be shown, published items
only, through the areas' public models: summaries (their published statement), research
priorities' published results, and the network's record (engage.accountability: responses,
commitments, updates and funded projects, whose public fields carry nothing of lay review).
Lay review itself is never read (an import contract forbids it). However many issues or
items, a page takes a fixed number of queries.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from engage.accountability.models import (
    Commitment,
    CommitmentUpdate,
    CommitmentUpdateKind,
    FundedProject,
    ProjectUpdate,
    Response,
)
from engage.core.i18n import language_label
from engage.core.markdown import plain_text
from engage.extensions import db
from engage.newsletter.models import SECTIONS, Issue, Subscriber
from engage.priorities.models import Exercise, Stage
from engage.summaries.models import Summary, SummaryStatus
from engage.summaries.queries import lead, published_statement

EXCERPT_LENGTH = 280


@dataclass(frozen=True)
class Item:
    """One line of an issue: a title (in `title_language` when it is not the reader's), a
    link, and what to say of it."""

    title: str
    url: str
    details: str = ""
    title_language: str | None = None  # set when the title is in another language


@dataclass
class Section:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)


def _headings() -> dict[str, str]:
    return {
        "summaries": gettext("New consultation summaries"),
        "priorities": gettext("Research priorities: results published"),
        "commitments": gettext("The network’s new commitments"),
        "commitment_updates": gettext("Updates on commitments"),
        "projects": gettext("New funded projects"),
        "project_updates": gettext("News of funded projects"),
    }


# What a period brought


def _ids(statement) -> list[int]:
    return list(db.session.scalars(statement))


def published_between(start: datetime, end: datetime) -> dict[str, list[int]]:
    """The ids of what was published after `start` up to `end`, by section."""

    def within(column):
        return (column > start, column <= end)

    return {
        "summaries": _ids(select(Summary.id).where(
            Summary.status == SummaryStatus.PUBLISHED, *within(Summary.published_at))
            .order_by(Summary.published_at, Summary.id)),
        "priorities": _ids(select(Exercise.id).where(
            Exercise.stage == Stage.PUBLISHED, *within(Exercise.published_at))
            .order_by(Exercise.published_at, Exercise.id)),
        "commitments": _ids(select(Commitment.id)
                            .join(Response, Response.id == Commitment.response_id)
                            .where(*within(Response.published_at))
                            .order_by(Response.published_at, Commitment.position,
                                      Commitment.id)),
        "commitment_updates": _ids(
            select(CommitmentUpdate.id)
            .join(Commitment, Commitment.id == CommitmentUpdate.commitment_id)
            .join(Response, Response.id == Commitment.response_id)
            .where(Response.published_at.is_not(None), *within(CommitmentUpdate.created_at))
            .order_by(CommitmentUpdate.created_at, CommitmentUpdate.id)),
        "projects": _ids(select(FundedProject.id).where(*within(FundedProject.published_at))
                         .order_by(FundedProject.published_at, FundedProject.id)),
        "project_updates": _ids(
            select(ProjectUpdate.id)
            .join(FundedProject, FundedProject.id == ProjectUpdate.project_id)
            .where(FundedProject.published_at.is_not(None), *within(ProjectUpdate.created_at))
            .order_by(ProjectUpdate.created_at, ProjectUpdate.id)),
    }


# Issues and subscribers


def latest_issue() -> Issue | None:
    return db.session.scalar(select(Issue).order_by(Issue.number.desc()).limit(1))


def issue_by_number(number: int) -> Issue | None:
    return db.session.scalar(select(Issue).where(Issue.number == number))


def archive_statement():
    """Every issue sent, the latest first."""
    return select(Issue).order_by(Issue.number.desc())


def confirmed_subscribers(batch: int) -> Iterator[Subscriber]:
    """The confirmed subscribers, by id, `batch` rows per query."""
    after = 0
    while True:
        rows = db.session.scalars(select(Subscriber).where(
            Subscriber.confirmed_at.is_not(None), Subscriber.id > after)
            .order_by(Subscriber.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def subscription_of(email: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(Subscriber.email == email))


# What issues list, as shown


def _excerpt(text: str) -> str:
    text = " ".join(plain_text(text).split())
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH - 1].rstrip() + "…"


def _title(shown, language: str) -> tuple[str, str | None]:
    if shown is None:
        return "", None
    return shown.title, (shown.language if shown.language != language else None)


def _joined(*parts: str) -> str:
    return " – ".join(part for part in parts if part)


class _Loaded:
    """The published items of a set of issues, each kind read in one query."""

    def __init__(self, wanted: dict[str, set[int]]):
        def by_id(rows) -> dict:
            return {row.id: row for row in rows}

        self.summaries = by_id(db.session.scalars(
            published_statement().where(Summary.id.in_(wanted["summaries"]))).unique()) \
            if wanted["summaries"] else {}
        self.priorities = by_id(db.session.scalars(
            select(Exercise).where(Exercise.id.in_(wanted["priorities"]),
                                   Exercise.stage == Stage.PUBLISHED)
            .options(lazyload(Exercise.groups)))) if wanted["priorities"] else {}
        self.commitments = by_id(db.session.scalars(
            select(Commitment).join(Response, Response.id == Commitment.response_id)
            .where(Commitment.id.in_(wanted["commitments"]),
                   Response.published_at.is_not(None)))) if wanted["commitments"] else {}
        self.commitment_updates = by_id(db.session.scalars(
            select(CommitmentUpdate)
            .join(Commitment, Commitment.id == CommitmentUpdate.commitment_id)
            .join(Response, Response.id == Commitment.response_id)
            .where(CommitmentUpdate.id.in_(wanted["commitment_updates"]),
                   Response.published_at.is_not(None))
            .options(selectinload(CommitmentUpdate.commitment)))) \
            if wanted["commitment_updates"] else {}
        self.projects = by_id(db.session.scalars(
            select(FundedProject).where(FundedProject.id.in_(wanted["projects"]),
                                        FundedProject.published_at.is_not(None)))) \
            if wanted["projects"] else {}
        self.project_updates = by_id(db.session.scalars(
            select(ProjectUpdate)
            .join(FundedProject, FundedProject.id == ProjectUpdate.project_id)
            .where(ProjectUpdate.id.in_(wanted["project_updates"]),
                   FundedProject.published_at.is_not(None))
            .options(selectinload(ProjectUpdate.project)))) \
            if wanted["project_updates"] else {}

    def item(self, section: str, item_id: int, language: str, external: bool) -> Item | None:
        row = getattr(self, section).get(item_id)
        if row is None:  # no longer published
            return None
        return getattr(self, f"_{section}")(row, language, external)

    @staticmethod
    def _summaries(summary, language, external) -> Item:
        title, title_language = _title(summary.consultation.translated(language), language)
        return Item(title, url_for("summaries.report", summary_id=summary.id,
                                   lang_code=language, _external=external),
                    lead(summary, language)[0], title_language)

    @staticmethod
    def _priorities(exercise, language, external) -> Item:
        title, title_language = _title(exercise.translated(language), language)
        return Item(title, url_for("priorities.results", exercise_id=exercise.id,
                                   lang_code=language, _external=external),
                    gettext("The research priorities agreed at the final workshop."),
                    title_language)

    @staticmethod
    def _commitment_url(commitment_id, language, external) -> str:
        return url_for("accountability.commitment", commitment_id=commitment_id,
                       lang_code=language, _external=external)

    @staticmethod
    def _project_url(project_id, language, external) -> str:
        return url_for("accountability.project", project_id=project_id, lang_code=language,
                       _external=external)

    def _commitments(self, commitment, language, external) -> Item:
        title, title_language = _title(commitment.translated(language), language)
        owner = gettext("Carried by: %(owner)s", owner=commitment.owner) \
            if commitment.owner else ""
        return Item(title, self._commitment_url(commitment.id, language, external),
                    _joined(commitment.status_label, owner), title_language)

    def _commitment_updates(self, update, language, external) -> Item:
        title, title_language = _title(update.commitment.translated(language), language)
        what = gettext("Correction") if update.kind == CommitmentUpdateKind.CORRECTION \
            else ""
        status = gettext("Now: %(status)s", status=update.status_label) \
            if update.status else ""
        return Item(title, self._commitment_url(update.commitment_id, language, external),
                    _joined(what, status, _excerpt(update.text(language))), title_language)

    def _projects(self, project, language, external) -> Item:
        shown = project.translated(language)
        title, title_language = _title(shown, language)
        return Item(title, self._project_url(project.id, language, external),
                    _joined(project.institution,
                            _excerpt(shown.lay_summary) if shown is not None else ""),
                    title_language)

    def _project_updates(self, update, language, external) -> Item:
        title, title_language = _title(update.project.translated(language), language)
        return Item(title, self._project_url(update.project_id, language, external),
                    _joined(update.kind_label, _excerpt(update.text(language))),
                    title_language)


def issues_sections(issues: list[Issue], language: str,
                    external: bool = False) -> dict[int, list[Section]]:
    """Issue id -> its sections that list something, in `language` (the current locale's
    words), with links to the items' pages (absolute ones for emails and feeds)."""
    wanted: dict[str, set[int]] = {section: set() for section in SECTIONS}
    for issue in issues:
        for section in SECTIONS:
            wanted[section].update(issue.ids(section))
    loaded = _Loaded(wanted)
    headings = _headings()
    shown: dict[int, list[Section]] = {}
    for issue in issues:
        sections = []
        for key in SECTIONS:
            items = [item for item_id in issue.ids(key)
                     if (item := loaded.item(key, item_id, language, external)) is not None]
            if items:
                sections.append(Section(key, headings[key], items))
        shown[issue.id] = sections
    return shown


def email_part(issue: Issue, language: str) -> dict:
    """The issue in one language, for its email (call it in that locale): plain texts and
    absolute links."""
    return {
        "language": language,
        "heading": gettext("In %(language)s", language=language_label(language)),
        "intro": gettext("What the network published since the previous issue:"),
        "sections": issues_sections([issue], language, external=True)[issue.id],
        "on_the_site": gettext("This issue on the site:"),
        "archive_url": url_for("newsletter.issue", number=issue.number, lang_code=language,
                               _external=True),
        "unsubscribe": gettext("To unsubscribe in one click:"),
    }
