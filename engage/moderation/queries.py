"""Read models of moderation. The queue: pending and reported items of every area, in one
list; and for one item, its reports and its audit history.

The queue is a UNION ALL of every registered target's columns (see targets.py), sorted by
number of open reports then age. A page costs a fixed number of queries whatever its size:
the count, the page of references, the columns shown of the items on the page (one UNION
ALL over their kinds, with their authors' names) and the open reports' reasons counted by
the database. The page reads columns into `QueueEntry`, never whole
entities: no account row (nor its password hash) is loaded for an author's name, and the
template touches no ORM object. The titles of the consultations and exercises come from
`sources`, the queue's filter, which the page reads anyway.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    String,
    and_,
    bindparam,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload, lazyload, selectinload

from engage.accounts.models import User
from engage.core import aggregate_cache, versions
from engage.core.content import pick_translation
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


@dataclass(frozen=True)
class QueueEntry:
    """An item of the queue as its page shows it: columns only (see the module's docstring).
    `moderation_status`, `open_report_count` and `moderated_at` make its state
    (services.item_state), which the bulk form sends back."""

    target: ModeratedTarget
    id: int
    created_at: datetime
    moderation_status: str
    open_report_count: int
    hidden_reason: str | None
    moderated_at: datetime | None
    text: str
    language: str | None  # of the text; None for kinds that do not record it
    author_name: str | None  # None: nobody to name (the account row is gone)
    container: "Source"
    reasons: dict[str, int] = field(default_factory=dict)  # open reports, first reported first

    @property
    def ref(self) -> str:
        return f"{self.target.name}:{self.id}"


def _union():
    return union_all(*(target.queue_rows() for target in MODERATED_TARGETS.values())).subquery()


def _in_queue(rows):
    return or_(rows.c.moderation_status == ModerationStatus.PENDING,
               rows.c.open_report_count > 0)


def _filtered(rows, by_source: bool, status: str, by_reason: bool):
    """The queue's rows that the filters keep; the source and the reason are parameters
    (`container_kind`, `container_id`, `reason`: see `_parameters`)."""
    clauses = [_in_queue(rows)]
    if by_source:
        clauses += [rows.c.container_kind == bindparam("container_kind"),
                    rows.c.container_id == bindparam("container_id")]
    if status == "pending":
        clauses.append(rows.c.moderation_status == ModerationStatus.PENDING)
    elif status == "reported":
        clauses += [rows.c.moderation_status == ModerationStatus.PUBLISHED,
                    rows.c.open_report_count > 0]
    elif status == "hidden":
        clauses += [rows.c.moderation_status == ModerationStatus.HIDDEN,
                    rows.c.open_report_count > 0]
    if by_reason:
        clauses.append(exists().where(
            Report.target_type == rows.c.target_type,
            Report.target_id == rows.c.target_id,
            Report.status == ReportStatus.OPEN,
            Report.reason == bindparam("reason"),
        ))
    return and_(*clauses)


def _parameters(filters: Filters) -> dict[str, Any]:
    kind, _colon, number = filters.source.partition(":")
    values: dict[str, Any] = {}
    if filters.source:
        values.update(container_kind=kind, container_id=int(number))
    if filters.reason:
        values["reason"] = filters.reason
    return values


# Statements are built once per process and run with parameters: building a UNION of every
# kind of item (and its cache key) costs the page more than the database takes to run it.


@lru_cache(maxsize=32)
def _queue_statements(by_source: bool, status: str, by_reason: bool):
    """(count, page) of the queue for one shape of filters; the page's `limit` and `offset`
    are parameters too."""
    rows = _union()
    where = _filtered(rows, by_source, status, by_reason)
    count = select(func.count()).select_from(rows).where(where)
    page = (select(rows.c.target_type, rows.c.target_id, rows.c.created_at,
                   rows.c.container_kind, rows.c.container_id).where(where)
            .order_by(rows.c.open_report_count.desc(), rows.c.created_at, rows.c.target_type,
                      rows.c.target_id)
            .limit(bindparam("limit")).offset(bindparam("offset")))
    return count, page


def queue_count() -> int:
    """How many items wait for a moderator (the counter in the navigation): one query."""
    count, _page = _queue_statements(False, "", False)
    return db.session.scalar(count) or 0


def cached_queue_count() -> int:
    """The count, once per request; kept between requests while nothing is written
    (engage.core.aggregate_cache): every moderator page shows it."""
    if "moderation_queue_count" not in g:
        g.moderation_queue_count = aggregate_cache.remember(
            "moderation-queue-count", queue_count, [versions.MODERATION])
    return g.moderation_queue_count


# `User.public_name`'s rule, applied to the columns it reads.
_PUBLIC_NAME = vars(User)["public_name"].fget


def _public_name(row) -> str | None:
    """The author's name as `User.public_name` gives it, from the columns of `row`; None
    when the item has no account any more."""
    return None if row.account_id is None else _PUBLIC_NAME(row)


def _item_columns(target: ModeratedTarget):
    """The columns the queue shows of the items of one kind whose ids are the parameter
    `ids_<kind>`, with their author's name."""
    model = target.model
    author_id = getattr(model, target.author_attribute)
    language = model.language if "language" in model.__mapper__.columns \
        else null().cast(String)
    return (
        select(literal(target.name).label("target_type"), model.id.label("target_id"),
               model.moderation_status, model.open_report_count, model.hidden_reason,
               model.moderated_at,
               getattr(model, target.text_attribute).label("text"), language.label("language"),
               User.id.label("account_id"), User.display_name, User.pseudonym,
               User.use_pseudonym, User.deleted_at)
        .outerjoin(User, User.id == author_id)
        .where(model.id.in_(bindparam(f"ids_{target.name}", expanding=True)))
    )


@lru_cache(maxsize=32)
def _entries_statements(kinds: tuple[str, ...]):
    """(the items' columns, their open reports by reason) for a page holding `kinds`."""
    items = union_all(*(_item_columns(MODERATED_TARGETS[kind]) for kind in kinds))
    reasons = (
        select(Report.target_type, Report.target_id, Report.reason, func.count())
        .where(Report.status == ReportStatus.OPEN,
               or_(*(and_(Report.target_type == kind,
                          Report.target_id.in_(bindparam(f"ids_{kind}", expanding=True)))
                     for kind in kinds)))
        .group_by(Report.target_type, Report.target_id, Report.reason)
        .order_by(func.min(Report.created_at), func.min(Report.id))
    )
    return items, reasons


def queue_entries(refs, containers: list["Source"], language: str) -> list[QueueEntry]:
    """The entries of the queue's rows `refs` (target_type, target_id, created_at,
    container_kind, container_id), in their order, with their consultation or exercise
    among `containers` (`sources`): two queries whatever their number and kinds, none
    without rows. An item's state (status, reports, last action) is read in one row, as the
    bulk form sends it back."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        if ref.target_type in MODERATED_TARGETS:
            by_type[ref.target_type].append(ref.target_id)
    if not by_type:
        return []
    items_statement, reasons_statement = _entries_statements(tuple(sorted(by_type)))
    ids = {f"ids_{kind}": numbers for kind, numbers in by_type.items()}
    items = {(row.target_type, row.target_id): row
             for row in db.session.execute(items_statement, ids)}
    reasons: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    counted: Sequence[Any] = db.session.execute(reasons_statement, ids).all()
    for target_type, target_id, reason, count in counted:
        reasons[(target_type, target_id)][reason] = count
    by_value = {source.value: source for source in containers}
    entries = []
    for ref in refs:
        item = items.get((ref.target_type, ref.target_id))
        if item is None:
            continue
        place = f"{ref.container_kind}:{ref.container_id}"
        entries.append(QueueEntry(
            target=MODERATED_TARGETS[ref.target_type], id=ref.target_id,
            created_at=ref.created_at, moderation_status=item.moderation_status,
            open_report_count=item.open_report_count or 0, hidden_reason=item.hidden_reason,
            moderated_at=item.moderated_at, text=item.text or "", language=item.language,
            author_name=_public_name(item),
            container=by_value.get(place) or Source(place, "", language),
            reasons=reasons.get((ref.target_type, ref.target_id), {}),
        ))
    return entries


def queue_page(filters: Filters, per_page: int, containers: list["Source"],
               language: str) -> ListPage:
    """A page of the queue; `containers`: `sources(language)`, which the page shows too."""
    count, page = _queue_statements(bool(filters.source), filters.status, bool(filters.reason))
    parameters = _parameters(filters)
    # The whole queue's total is the count the navigation shows.
    total = (db.session.scalar(count, parameters) or 0) if filters.as_args() \
        else cached_queue_count()
    number = page_number()
    refs = db.session.execute(page, {**parameters, "limit": per_page,
                                     "offset": (number - 1) * per_page}).all()
    return ListPage(queue_entries(refs, containers, language), number, per_page, total)


@dataclass(frozen=True)
class Source:
    value: str  # "consultation:12", "exercise:3"
    label: str  # its title in the page's language, or the other when it has none
    language: str = ""  # the language of `label`


def sources(language: str) -> list[Source]:
    """The consultations and exercises the queue can be filtered by (kept while nothing is
    written: engage.core.aggregate_cache)."""
    return aggregate_cache.remember(("moderation-sources", language),
                                    lambda: _sources(language),
                                    [versions.CONSULTATIONS, versions.EXERCISES])


@cache
def _titles_statement():
    """Every consultation's and exercise's titles (a row without a title for one that has
    none)."""
    from engage.consultations.models import Consultation, ConsultationTranslation
    from engage.priorities.models import Exercise, ExerciseTranslation

    def titles(kind: str, model, translation, key):
        return (select(literal(kind).label("kind"), model.id.label("id"),
                       translation.language, translation.title)
                .outerjoin(translation, key == model.id))

    return union_all(
        titles("consultation", Consultation, ConsultationTranslation,
               ConsultationTranslation.consultation_id),
        titles("exercise", Exercise, ExerciseTranslation, ExerciseTranslation.exercise_id))


def _sources(language: str) -> list[Source]:
    """Every consultation, then every exercise, newest first, titled in `language` (or the
    other): one query of their ids and titles."""
    found: dict[tuple[str, int], list] = {}
    for row in db.session.execute(_titles_statement()):
        texts = found.setdefault((row.kind, row.id), [])
        if row.language is not None:
            texts.append(row)
    kinds = ("consultation", "exercise")
    ordered = sorted(found, key=lambda key: (kinds.index(key[0]), -key[1]))
    listed = []
    for kind, number in ordered:
        shown = pick_translation(found[(kind, number)], language)
        listed.append(Source(f"{kind}:{number}", shown.title if shown else "",
                             shown.language if shown else language))
    return listed


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
