"""Reading: the statements behind the lists and pages, each a fixed number of queries."""

from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import cast

from flask import request
from flask_babel import get_locale
from sqlalchemy import Integer, and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, lazyload, selectinload

from engage.accounts.models import Association, User
from engage.consultations.models import (
    Consultation,
    ConsultationFollow,
    ConsultationResponse,
    ConsultationStatus,
    ConsultationTranslation,
    Contribution,
    ContributionSupport,
    Theme,
    consultation_themes,
)
from engage.consultations.permissions import can_manage
from engage.core import aggregate_cache, search, versions
from engage.core.clock import local_today
from engage.core.keyset import Key, KeysetPage, decode, encode
from engage.core.markdown import plain_text
from engage.core.pagination import ListPage, page_number, paginate
from engage.extensions import db

CLOSING_SOON_DAYS = 7
SORTS = ("newest", "supported")
LIST_FILTERS = ("open", "upcoming", "closed", "summarized", "archived", "draft")


# Consultations


def public_clause(user):
    if can_manage(user):
        return literal(True)
    return or_(Consultation.status != ConsultationStatus.DRAFT, Consultation.announced.is_(True))


def consultation_list(user, status: str | None, theme_id: int | None, per_page: int):
    statement = select(Consultation).where(public_clause(user))
    if status == "upcoming":
        statement = statement.where(Consultation.status == ConsultationStatus.DRAFT,
                                    Consultation.announced.is_(True))
    elif status in LIST_FILTERS:
        statement = statement.where(Consultation.status == status)
    if theme_id:
        statement = statement.where(
            Consultation.id.in_(select(consultation_themes.c.consultation_id)
                                .where(consultation_themes.c.theme_id == theme_id))
        )
    priority = case(
        (Consultation.status == ConsultationStatus.OPEN, 0),
        (Consultation.status == ConsultationStatus.DRAFT, 1),
        (Consultation.status == ConsultationStatus.CLOSED, 2),
        (Consultation.status == ConsultationStatus.SUMMARIZED, 3),
        else_=4,
    )
    statement = statement.order_by(
        priority, func.coalesce(Consultation.opened_at, Consultation.created_at).desc(),
        Consultation.id.desc(),
    ).options(*consultation_options())
    return paginate(statement, per_page)


@dataclass
class Figures:
    """What the list's cards and a consultation's page count, the same way: visible
    (published, not deleted) contributions, association positions and replies, each
    counted once, and submitted questionnaires."""

    contributions: int = 0  # a participant's own, top level: not positions, not replies
    positions: int = 0  # top level, on behalf of an association
    replies: int = 0  # to a contribution or a position
    responses: int = 0


def figures_for(consultation_ids: list[int]) -> dict[int, Figures]:
    """One query per set of consultations, whose result is kept while nothing is written
    (engage.core.aggregate_cache)."""
    counted = aggregate_cache.remember(("consultation-figures", tuple(sorted(consultation_ids))),
                                       lambda: _count_figures(consultation_ids),
                                       [versions.consultation(cid) for cid in consultation_ids])
    return {cid: Figures(*counted[cid]) for cid in consultation_ids}


def _count_figures(consultation_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    figures = {cid: (0, 0, 0, 0) for cid in consultation_ids}
    if not consultation_ids:
        return {}
    # A Core select of columns: on the session's connection, past the ORM's layer.
    rows = cast(Iterable[tuple[int, int, int, int, int]], db.session.connection().execute(
        _figures_statement(), {"figures_of": consultation_ids}))
    for cid, contributions, positions, replies, responses in rows:
        before = figures[cid]
        figures[cid] = (before[0] + contributions, before[1] + positions,
                        before[2] + replies, before[3] + responses)
    return figures


@cache
def _figures_statement():
    """Built once (bound to the ids when it runs): (consultation id, contributions,
    positions, replies, responses) rows, visible contributions then submitted responses."""
    ids = bindparam("figures_of", type_=Integer, expanding=True)
    top_level = Contribution.parent_id.is_(None)
    is_position = Contribution.association_id.is_not(None)

    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    nothing = literal(0, Integer)
    return union_all(
        select(Contribution.consultation_id, counted(and_(top_level, ~is_position)),
               counted(and_(top_level, is_position)), counted(~top_level), nothing)
        .where(Contribution.consultation_id.in_(ids), Contribution.visible_clause())
        .group_by(Contribution.consultation_id),
        select(ConsultationResponse.consultation_id, nothing, nothing, nothing,
               func.count(ConsultationResponse.id))
        .where(ConsultationResponse.consultation_id.in_(ids),
               ConsultationResponse.submitted_at.is_not(None))
        .group_by(ConsultationResponse.consultation_id),
    )


def positions_given(consultation: Consultation,
                    association_ids: list[int]) -> dict[int | None, Contribution]:
    """The position each of these associations has already given in `consultation`, by
    association id: what `participation.post_contribution` refuses to add a second of
    (top level, not deleted, whatever its moderation). One query."""
    if not association_ids:
        return {}
    return {position.association_id: position for position in db.session.scalars(
        select(Contribution).where(
            Contribution.consultation_id == consultation.id,
            Contribution.association_id.in_(association_ids),
            Contribution.parent_id.is_(None),
            Contribution.deleted_at.is_(None),
        ).order_by(Contribution.id).options(lazyload("*")))}


def consultation_options():
    """Consultations with their texts (joined), then their themes with theme labels (one
    more query): every page shows them. Joining both collections would multiply the rows
    (texts × themes × labels)."""
    return (joinedload(Consultation.translations),
            selectinload(Consultation.themes).joinedload(Theme.translations))


def consultation_page_options():
    """One consultation with all that its pages show: texts, themes with their labels and
    documents, joined in one query. For one consultation the rows these multiply stay few
    (texts × themes × labels × documents), and cost less than a second query."""
    return (joinedload(Consultation.translations),
            joinedload(Consultation.themes).joinedload(Theme.translations),
            joinedload(Consultation.documents))


def all_themes() -> list[Theme]:
    return list(db.session.scalars(
        select(Theme).order_by(Theme.id).options(joinedload(Theme.translations))).unique())


def open_consultations(limit: int = 12) -> tuple[list[Consultation], list[Consultation]]:
    """For the home page: (closing soon, other open ones), soonest closing first."""
    today = local_today()
    rows = db.session.scalars(
        select(Consultation)
        .where(Consultation.status == ConsultationStatus.OPEN,
               or_(Consultation.closes_on.is_(None), Consultation.closes_on >= today))
        .order_by(Consultation.closes_on.is_(None), Consultation.closes_on, Consultation.id)
        .limit(limit).options(*consultation_options())
    ).unique().all()
    soon_limit = today + timedelta(days=CLOSING_SOON_DAYS)
    soon = [c for c in rows if c.closes_on is not None and c.closes_on <= soon_limit]
    others = [c for c in rows if c not in soon]
    return soon, others


def home_section():
    """The home page's section (registered in `init_app`): the open consultations, or None."""
    soon, others = open_consultations()
    if not soon and not others:
        return None
    return {"closing_soon": soon, "open_now": others, "language": str(get_locale())}


# Contributions (the lists of a consultation's page and of a thread are read by
# engage.consultations.contribution_lists)


def name_options():
    """A contribution's author and association, with only the columns of their names: a
    page never loads an account's other columns (its password hash...) to name it."""
    return (
        joinedload(Contribution.author).load_only(
            User.display_name, User.pseudonym, User.use_pseudonym, User.deleted_at),
        joinedload(Contribution.association).load_only(Association.name),
        # Contribution.theme is left to its lazy loader: the themes of the consultation are
        # loaded with it, and a many-to-one already in the session costs no query.
    )


def supported_ids(user, contribution_ids: list[int]) -> set[int]:
    if not contribution_ids or user is None or not user.is_authenticated:
        return set()
    return set(db.session.scalars(
        select(ContributionSupport.contribution_id).where(
            ContributionSupport.user_id == user.id,
            ContributionSupport.contribution_id.in_(contribution_ids),
        )
    ))


def load_contribution(consultation: Consultation, contribution_id: int) -> Contribution | None:
    """A contribution of `consultation` with the names of its author and association (its
    consultation is `consultation`, already in the session)."""
    return db.session.scalar(
        select(Contribution)
        .where(Contribution.id == contribution_id,
               Contribution.consultation_id == consultation.id)
        .options(*name_options())
    )


# Search


_Hit = namedtuple("_Hit", "kind id")


@dataclass
class SearchHit:
    kind: str  # "consultation" or "contribution"
    consultation: Consultation
    contribution: Contribution | None
    title: str
    title_language: str
    snippet: object
    snippet_language: str


def _consultation_hits(terms, dialect, user):
    return (
        select(
            literal("consultation").label("kind"),
            Consultation.id.label("id"),
            func.coalesce(Consultation.opened_at, Consultation.created_at).label("sort_date"),
        )
        .where(
            public_clause(user),
            Consultation.id.in_(
                select(ConsultationTranslation.consultation_id).where(
                    search.fulltext_match("consultation_translations",
                                          ConsultationTranslation.id, dialect, terms)
                )
            ),
        )
    )


def _contribution_hits(terms, dialect, user):
    return (
        select(
            literal("contribution").label("kind"),
            Contribution.id.label("id"),
            Contribution.created_at.label("sort_date"),
        )
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(
            Contribution.visible_clause(),
            Consultation.status != ConsultationStatus.DRAFT,
            search.fulltext_match("consultation_contributions", Contribution.id, dialect, terms),
        )
    )


def search_everything(query: str, user, language: str,
                      per_page: int) -> tuple[list, ListPage | KeysetPage]:
    """Consultations (any translation) then visible contributions matching every word."""
    terms = search.query_terms(query)
    number = page_number()
    if not terms:
        return terms, ListPage([], 1, per_page, 0)
    dialect = db.session.get_bind().dialect.name
    # The consultations first (a few: all read at once), then the contributions, newest
    # first: PostgreSQL walks an index on their date and stops at the page (or reads the
    # full-text index for rare words). Their total is counted once while nothing is written.
    found = list(db.session.scalars(
        _consultation_hits(terms, dialect, user).with_only_columns(Consultation.id)
        .order_by(func.coalesce(Consultation.opened_at, Consultation.created_at).desc(),
                  Consultation.id.desc())))
    contributions_total = aggregate_cache.remember(
        ("search-total", tuple(terms)), lambda: db.session.scalar(
            select(func.count()).select_from(
                _contribution_hits(terms, dialect, user).subquery())) or 0,
        [versions.CONSULTATIONS, versions.CONTRIBUTIONS])
    total = len(found) + contributions_total
    offset = (number - 1) * per_page
    rows = [_Hit("consultation", cid) for cid in found[offset:offset + per_page]]
    keys: dict[int, tuple] = {}  # contribution id -> its key in the order of the results
    if len(rows) < per_page:
        for cid, created_at in _contribution_hits_page(
                _contribution_hits(terms, dialect, user), per_page - len(rows),
                max(0, offset - len(found)), cursors=offset >= len(found)):
            rows.append(_Hit("contribution", cid))
            keys[cid] = (created_at, cid)
    consultation_ids = [row.id for row in rows if row.kind == "consultation"]
    contribution_ids = [row.id for row in rows if row.kind == "contribution"]
    contributions = {c.id: c for c in db.session.scalars(
        select(Contribution).where(Contribution.id.in_(contribution_ids))
        .options(*name_options())
    )} if contribution_ids else {}
    wanted = set(consultation_ids) | {c.consultation_id for c in contributions.values()}
    consultations = {c.id: c for c in db.session.scalars(
        select(Consultation).where(Consultation.id.in_(wanted))
        .options(joinedload(Consultation.translations), lazyload(Consultation.themes))
    ).unique()} if wanted else {}
    items = []
    for row in rows:
        if row.kind == "consultation":
            consultation = consultations[row.id]
            matching = [t for t in consultation.translations
                        if search.matches(t.search_text, terms)] or consultation.translations
            chosen = next((t for t in matching if t.language == language), matching[0])
            source = " ".join([chosen.summary, plain_text(chosen.body)])
            items.append(SearchHit("consultation", consultation, None, chosen.title,
                                   chosen.language, search.snippet(source, terms),
                                   chosen.language))
        else:
            contribution = contributions[row.id]
            consultation = consultations[contribution.consultation_id]
            shown = consultation.translated(language)
            items.append(SearchHit(
                "contribution", consultation, contribution, shown.title if shown else "",
                shown.language if shown else language,
                search.snippet(plain_text(contribution.body), terms), contribution.language or "",
            ))
    page = KeysetPage(items, number, per_page, total, has_prev=number > 1,
                      has_next=number * per_page < total)
    # The links to a page of contributions only carry the key where this one ends.
    if page.has_next:
        page.next_args = {"page": number + 1}
        if rows and rows[-1].kind == "contribution":
            page.next_args["after"] = encode(keys[rows[-1].id])
    if page.has_prev:
        page.prev_args = {"page": number - 1}
        if rows and rows[0].kind == "contribution" and (number - 2) * per_page >= len(found):
            page.prev_args["before"] = encode(keys[rows[0].id])
    return terms, page


SEARCH_ORDER = Key((Contribution.created_at, Contribution.id), (datetime, int))


def _contribution_hits_page(hits, limit: int, offset: int, cursors: bool) -> list:
    """(id, created_at) of the contributions of a page of results, newest first: after or
    before the key of a link's cursor (`cursors`: the page holds contributions only), else
    by OFFSET past those of the pages before."""
    hits = hits.with_only_columns(Contribution.id, Contribution.created_at)
    after = decode(request.args.get("after"), SEARCH_ORDER.types) if cursors else None
    before = decode(request.args.get("before"), SEARCH_ORDER.types) \
        if cursors and after is None else None
    cursor = after or before
    if cursor is not None:
        found = list(db.session.execute(
            hits.where(SEARCH_ORDER.beyond(reverse=after is None))
            .order_by(*SEARCH_ORDER.order_by(reverse=after is None)).limit(limit),
            SEARCH_ORDER.parameters(cursor)))
        if found:
            return found if after is not None else found[::-1]
    return list(db.session.execute(hits.order_by(*SEARCH_ORDER.order_by())
                                   .limit(limit).offset(offset)))


# "My space" (engage.space)

FOLLOWED_PER_PAGE = 10


@dataclass
class FollowedSection:
    page: object  # a Pagination of consultations
    following: set[int]  # the ids of those the person follows (else they took part)
    new_contributions: dict[int, int]  # id -> contributions published since `since`
    since: object  # the start of the person's last visit to My space, or None


def followed_section(user, since) -> FollowedSection:
    """The consultations `user` follows or took part in (contributed to or answered),
    newest first, with the contributions of others published since their last visit."""
    followed = select(ConsultationFollow.consultation_id).where(
        ConsultationFollow.user_id == user.id)
    wrote = select(Contribution.consultation_id).where(
        Contribution.author_id == user.id, Contribution.deleted_at.is_(None))
    answered = select(ConsultationResponse.consultation_id).where(
        ConsultationResponse.user_id == user.id, ConsultationResponse.submitted_at.is_not(None))
    page = paginate(
        select(Consultation)
        .where(Consultation.id.in_(followed.union(wrote, answered)), public_clause(None))
        .options(lazyload(Consultation.themes))
        .order_by(Consultation.id.desc()),
        per_page=FOLLOWED_PER_PAGE, page_param="followed_page")
    ids = [consultation.id for consultation in page.items]
    following: set[int] = set()
    new: dict[int, int] = {}
    if ids:
        following = set(db.session.scalars(followed.where(
            ConsultationFollow.consultation_id.in_(ids))))
    if ids and since is not None:
        new = dict(db.session.execute(
            select(Contribution.consultation_id, func.count(Contribution.id))
            .where(Contribution.consultation_id.in_(ids), Contribution.visible_clause(),
                   Contribution.created_at > since,
                   or_(Contribution.author_id.is_(None), Contribution.author_id != user.id))
            .group_by(Contribution.consultation_id)).all())
    return FollowedSection(page, following, new, since)


# A person's activity, counted for their administration page (registry.activity_counts).


def supports_given(user_id: int):
    return (select(func.count()).select_from(ContributionSupport)
            .where(ContributionSupport.user_id == user_id))


def questionnaires_answered(user_id: int):
    return (select(func.count()).select_from(ConsultationResponse)
            .where(ConsultationResponse.user_id == user_id,
                   ConsultationResponse.submitted_at.is_not(None)))
