"""Read models of moderation. The queue: pending and reported items of every area, in one
list; and for one item, its reports and its audit history.

The queue is a UNION ALL of every registered target's columns (see targets.py), sorted by
number of open reports then age. A page costs a fixed number of queries whatever its size:
the count, the page of references, one query per kind of item on the page (with its eager
loads) and one for the open reports of the page.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select, union_all
from sqlalchemy.orm import joinedload, lazyload, selectinload

from engage.core import aggregate_cache
from engage.core.i18n import page_language
from engage.core.markdown import plain_text
from engage.core.moderated import (
    MODERATED_TARGETS,
    ModeratedTarget,
    ModerationStatus,
    Place,
    Report,
    ReportReason,
    ReportStatus,
)
from engage.core.pagination import ListPage, page_number
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry

STATUS_FILTERS = ("pending", "reported", "hidden")


@dataclass
class Filters:
    source: str = ""  # "consultation:12", "exercise:3"
    reason: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        source = args.get("source", "")
        kind, _, number = source.partition(":")
        kinds = {t.container_kind for t in MODERATED_TARGETS.values()}
        if kind not in kinds or not number.isdigit():
            source = ""
        reason = args.get("reason", "")
        if reason not in {r.value for r in ReportReason}:
            reason = ""
        status = args.get("status", "")
        if status not in STATUS_FILTERS:
            status = ""
        return cls(source=source, reason=reason, status=status)

    def as_args(self) -> dict:
        return {key: value for key, value in
                (("source", self.source), ("reason", self.reason), ("status", self.status))
                if value}


@dataclass
class QueueItem:
    target: ModeratedTarget
    item: Any  # an instance of target.model
    place: Place
    reports: list[Report] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.target.name}:{self.item.id}"

    @property
    def text(self) -> str:
        return getattr(self.item, self.target.text_attribute) or ""

    @property
    def reasons(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for report in self.reports:
            counts[report.reason] += 1
        return dict(counts)


def _union():
    return union_all(*(target.queue_rows() for target in MODERATED_TARGETS.values())).subquery()


def _in_queue(rows):
    return or_(rows.c.moderation_status == ModerationStatus.PENDING,
               rows.c.open_report_count > 0)


def _filtered(rows, filters: Filters):
    clauses = [_in_queue(rows)]
    if filters.source:
        kind, _, number = filters.source.partition(":")
        clauses += [rows.c.container_kind == kind, rows.c.container_id == int(number)]
    if filters.status == "pending":
        clauses.append(rows.c.moderation_status == ModerationStatus.PENDING)
    elif filters.status == "reported":
        clauses += [rows.c.moderation_status == ModerationStatus.PUBLISHED,
                    rows.c.open_report_count > 0]
    elif filters.status == "hidden":
        clauses += [rows.c.moderation_status == ModerationStatus.HIDDEN,
                    rows.c.open_report_count > 0]
    if filters.reason:
        clauses.append(exists().where(
            Report.target_type == rows.c.target_type,
            Report.target_id == rows.c.target_id,
            Report.status == ReportStatus.OPEN,
            Report.reason == filters.reason,
        ))
    return and_(*clauses)


def queue_count() -> int:
    """How many items wait for a moderator (the counter in the navigation): one query."""
    rows = _union()
    return db.session.scalar(select(func.count()).select_from(rows).where(_in_queue(rows))) or 0


def cached_queue_count() -> int:
    """The count, once per request; kept between requests while nothing is written
    (engage.core.aggregate_cache): every moderator page shows it."""
    if "moderation_queue_count" not in g:
        g.moderation_queue_count = aggregate_cache.remember("moderation-queue-count",
                                                            queue_count)
    return g.moderation_queue_count


def load_items(refs: list[tuple[str, int]], language: str) -> dict[tuple[str, int], QueueItem]:
    """The items behind (target_type, id) references, with their open reports."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for target_type, target_id in refs:
        if target_type in MODERATED_TARGETS:
            by_type[target_type].append(target_id)
    loaded: dict[tuple[str, int], QueueItem] = {}
    # One query per kind of item, whether or not the page holds one: the same count always.
    for target_type, target in MODERATED_TARGETS.items():
        ids = by_type.get(target_type, [])
        items: list[Any] = list(db.session.scalars(
            select(target.model).where(target.model.id.in_(ids))
            .options(*target.load_options())
        ).unique())
        for item in items:
            loaded[(target_type, item.id)] = QueueItem(target, item, target.place(item, language))
    if by_type:
        reports = db.session.scalars(
            select(Report).where(
                Report.status == ReportStatus.OPEN,
                or_(*(and_(Report.target_type == t, Report.target_id.in_(ids))
                      for t, ids in by_type.items())),
            ).order_by(Report.created_at, Report.id)
        )
        for report in reports:
            entry = loaded.get((report.target_type, report.target_id))
            if entry is not None:
                entry.reports.append(report)
    return loaded


def queue_page(filters: Filters, per_page: int, language: str) -> ListPage:
    rows = _union()
    where = _filtered(rows, filters)
    if filters.as_args():
        total = db.session.scalar(select(func.count()).select_from(rows).where(where)) or 0
    else:  # the whole queue: the count the navigation shows
        total = cached_queue_count()
    number = page_number()
    refs = db.session.execute(
        select(rows.c.target_type, rows.c.target_id).where(where)
        .order_by(rows.c.open_report_count.desc(), rows.c.created_at, rows.c.target_type,
                  rows.c.target_id)
        .limit(per_page).offset((number - 1) * per_page)
    ).all()
    loaded = load_items([(r.target_type, r.target_id) for r in refs], language)
    items = [loaded[(r.target_type, r.target_id)] for r in refs
             if (r.target_type, r.target_id) in loaded]
    return ListPage(items, number, per_page, total)


@dataclass(frozen=True)
class Source:
    value: str
    label: str


def sources(language: str) -> list[Source]:
    """The consultations and exercises the queue can be filtered by (kept while nothing is
    written: engage.core.aggregate_cache)."""
    return aggregate_cache.remember(("moderation-sources", language),
                                    lambda: _sources(language))


def _sources(language: str) -> list[Source]:
    from engage.consultations.models import Consultation
    from engage.priorities.models import Exercise

    found = []
    for consultation in db.session.scalars(
            select(Consultation).order_by(Consultation.id.desc())
            .options(selectinload(Consultation.translations), lazyload(Consultation.themes))):
        found.append(Source(f"consultation:{consultation.id}", consultation.title(language)))
    for exercise in db.session.scalars(
            select(Exercise).order_by(Exercise.id.desc())
            .options(selectinload(Exercise.translations), lazyload(Exercise.groups))):
        shown = exercise.translated(language)
        found.append(Source(f"exercise:{exercise.id}", shown.title if shown else ""))
    return found


def reports_of(target_type: str, target_id: int) -> list[Report]:
    return list(db.session.scalars(
        select(Report).where(Report.target_type == target_type, Report.target_id == target_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
    ))


def history_of(target_type: str, target_id: int) -> list[AuditEntry]:
    """The last 50 audit entries of an item, newest first, with who acted."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == target_type,
                                 AuditEntry.target_id == target_id)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(50)
    ))


# "My space" (engage.space): what a person wrote, and what moderation made of it.

MY_TEXTS_PER_PAGE = 10
EXCERPT_LENGTH = 160


@dataclass
class MyText:
    target: ModeratedTarget
    item: Any
    place: Place
    redacted: bool  # a passage was removed by the moderators

    @property
    def kind_label(self) -> str:
        if getattr(self.item, "is_reply", False):
            return str(_l("Reply to a contribution"))
        return str(self.target.label)

    @property
    def excerpt(self) -> str:
        text = " ".join(plain_text(getattr(self.item, self.target.text_attribute) or "").split())
        return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH].rstrip() + "…"

    @property
    def language(self) -> str | None:
        return getattr(self.item, "language", None)

    @property
    def status(self) -> str:
        return self.item.moderation_status


def my_texts_section(user, since) -> dict:
    """A page of what `user` wrote in every moderated area (contributions, replies,
    research questions, comments), newest first, each with its moderation state and where
    it stands: a fixed number of queries whatever the page holds."""
    rows = union_all(*(
        target.queue_rows().where(getattr(target.model, target.author_attribute) == user.id)
        for target in MODERATED_TARGETS.values())).subquery()
    total = db.session.scalar(select(func.count()).select_from(rows)) or 0
    number = page_number("texts_page")
    refs = db.session.execute(
        select(rows.c.target_type, rows.c.target_id)
        .order_by(rows.c.created_at.desc(), rows.c.target_type, rows.c.target_id.desc())
        .limit(MY_TEXTS_PER_PAGE).offset((number - 1) * MY_TEXTS_PER_PAGE)).all()
    by_type: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        by_type[ref.target_type].append(ref.target_id)
    loaded: dict[tuple[str, int], Any] = {}
    item: Any
    for target_type, ids in by_type.items():
        target = MODERATED_TARGETS[target_type]
        for item in db.session.scalars(select(target.model).where(target.model.id.in_(ids))
                                       .options(*target.load_options())).unique():
            loaded[(target_type, item.id)] = item
    redacted: set[tuple[str, int]] = set()
    if by_type:
        redacted = {(row.target_type, row.target_id) for row in db.session.execute(
            select(AuditEntry.target_type, AuditEntry.target_id).where(
                AuditEntry.action == AuditAction.REDACT,
                or_(*(and_(AuditEntry.target_type == t, AuditEntry.target_id.in_(ids))
                      for t, ids in by_type.items()))))}
    language = page_language()
    texts = [MyText(MODERATED_TARGETS[ref.target_type], item,
                    MODERATED_TARGETS[ref.target_type].place(item, language),
                    (ref.target_type, ref.target_id) in redacted)
             for ref in refs if (item := loaded.get((ref.target_type, ref.target_id)))]
    return {"page": ListPage(texts, number, MY_TEXTS_PER_PAGE, total), "since": since}


# The contributions of a consultation on its themes page: filters, a page of them with their
# themes, the choices of the filters. A page costs a fixed number of queries: the count, the
# page (with authors and associations), the moderators' tags of the page.

THEMES_PER_PAGE = 50
NO_THEME = "none"
CONTRIBUTION_STATUSES = ("published", "pending", "hidden")


@dataclass(frozen=True)
class ContributionFilters:
    """What the moderator filters a consultation's contributions by (all optional)."""

    text: str = ""
    theme: str = ""  # a theme's id, or NO_THEME
    status: str = ""  # one of CONTRIBUTION_STATUSES
    date_from: Any = None  # a date, or None
    date_to: Any = None
    association: str = ""  # an association's id

    def as_args(self) -> dict[str, Any]:
        """The query string of the list (the names of ContributionFilterForm's fields)."""
        values = {"q": self.text, "theme": self.theme, "status": self.status,
                  "date_from": self.date_from.isoformat() if self.date_from else "",
                  "date_to": self.date_to.isoformat() if self.date_to else "",
                  "association": self.association}
        return {key: value for key, value in values.items() if value}


def _contribution_clauses(consultation_id: int, filters: ContributionFilters) -> list:
    from datetime import datetime, time, timedelta

    from engage.consultations.models import Contribution
    from engage.core import search
    from engage.core.clock import local_timezone
    from engage.moderation.models import ContributionTheme

    clauses: list[Any] = [Contribution.consultation_id == consultation_id,
                          Contribution.deleted_at.is_(None)]
    tagged = select(ContributionTheme.contribution_id).where(
        ContributionTheme.contribution_id == Contribution.id)
    if filters.theme == NO_THEME:
        clauses += [Contribution.theme_id.is_(None), ~tagged.exists()]
    elif filters.theme.isdigit():
        theme_id = int(filters.theme)
        clauses.append(or_(Contribution.theme_id == theme_id,
                           tagged.where(ContributionTheme.theme_id == theme_id).exists()))
    if filters.status in CONTRIBUTION_STATUSES:
        clauses.append(Contribution.moderation_status == filters.status)
    if filters.association.isdigit():
        clauses.append(Contribution.association_id == int(filters.association))
    zone = local_timezone()
    # Dates before 1900 or after 9000 bound nothing (and 31 December 9999 has no day after).
    if filters.date_from and filters.date_from.year >= 1900:
        clauses.append(Contribution.created_at >= datetime.combine(filters.date_from, time(),
                                                                   zone))
    if filters.date_to and filters.date_to.year < 9000:
        end = filters.date_to + timedelta(days=1)
        clauses.append(Contribution.created_at < datetime.combine(end, time(), zone))
    terms = search.query_terms(filters.text)
    if terms:
        dialect = db.session.get_bind().dialect.name
        clauses.append(search.fulltext_match("consultation_contributions", Contribution.id,
                                             dialect, terms))
    return clauses


def contributions_to_theme(consultation_id: int, filters: ContributionFilters, number: int,
                           per_page: int | None = None) -> ListPage:
    """A page of the consultation's contributions matching the filters, oldest first (not
    deleted; replies included), with their authors and associations."""
    from engage.consultations.models import Contribution

    per_page = per_page or THEMES_PER_PAGE
    where = _contribution_clauses(consultation_id, filters)
    total = db.session.scalar(select(func.count(Contribution.id)).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    items = list(db.session.scalars(
        select(Contribution).where(*where)
        .options(joinedload(Contribution.author), joinedload(Contribution.association),
                 lazyload(Contribution.theme))
        .order_by(Contribution.created_at, Contribution.id)
        .limit(per_page).offset((number - 1) * per_page)))
    return ListPage(items, number, per_page, total)


def matching_contribution_ids(consultation_id: int, filters: ContributionFilters) -> list[int]:
    """Every contribution matching the filters (for an action on all of them)."""
    from engage.consultations.models import Contribution

    return list(db.session.scalars(
        select(Contribution.id).where(*_contribution_clauses(consultation_id, filters))
        .order_by(Contribution.id)))


def themes_of_contributions(contributions: list) -> dict[int, list[int]]:
    """The themes of each contribution (its author's choice and the moderators' tags), in
    one query."""
    from engage.moderation.models import ContributionTheme

    themes: dict[int, set[int]] = {c.id: {c.theme_id} if c.theme_id else set()
                                   for c in contributions}
    if themes:
        for contribution_id, theme_id in db.session.execute(
                select(ContributionTheme.contribution_id, ContributionTheme.theme_id)
                .where(ContributionTheme.contribution_id.in_(list(themes)))):
            themes[contribution_id].add(theme_id)
    return {key: sorted(value) for key, value in themes.items()}


def theme_choices(language: str) -> list[tuple[int, str]]:
    """Every theme as (id, name in `language`), in alphabetical order."""
    from engage.consultations.models import Theme

    themes = db.session.scalars(select(Theme).options(selectinload(Theme.translations)))
    named = [(theme.id, theme.label(language)) for theme in themes]
    return sorted(named, key=lambda item: (item[1].casefold(), item[0]))


def contributing_associations(consultation_id: int) -> list[tuple[int, str]]:
    """The associations that contributed to the consultation, as (id, name)."""
    from engage.accounts.models import Association
    from engage.consultations.models import Contribution

    return [(row.id, row.name) for row in db.session.execute(
        select(Association.id, Association.name).where(Association.id.in_(
            select(Contribution.association_id).where(
                Contribution.consultation_id == consultation_id,
                Contribution.association_id.is_not(None))))
        .order_by(Association.name, Association.id))]
