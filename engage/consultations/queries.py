"""Reading: the statements behind the lists and pages, each a fixed number of queries."""

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import get_locale
from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload, selectinload

from engage.consultations.models import (
    Consultation,
    ConsultationFollow,
    ConsultationQuestion,
    ConsultationResponse,
    ConsultationStatus,
    ConsultationTranslation,
    Contribution,
    ContributionSupport,
    Theme,
    consultation_themes,
)
from engage.consultations.permissions import can_manage
from engage.core import aggregate_cache, search
from engage.core.clock import local_today
from engage.core.markdown import plain_text
from engage.core.moderated import ModerationStatus
from engage.core.pagination import ListPage, page_number, paginate
from engage.extensions import db

REPLIES_SHOWN = 3
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
    """Two queries per set of consultations, whose result is kept while nothing is written
    (engage.core.aggregate_cache)."""
    counted = aggregate_cache.remember(("consultation-figures", tuple(sorted(consultation_ids))),
                                       lambda: _count_figures(consultation_ids))
    return {cid: Figures(*counted[cid]) for cid in consultation_ids}


def _count_figures(consultation_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    figures = {cid: Figures() for cid in consultation_ids}
    if not consultation_ids:
        return {}
    is_reply = Contribution.parent_id.is_not(None)
    is_position = Contribution.association_id.is_not(None)
    for cid, reply, position, count in db.session.execute(
        select(Contribution.consultation_id, is_reply, is_position, func.count(Contribution.id))
        .where(Contribution.consultation_id.in_(consultation_ids), Contribution.visible_clause())
        .group_by(Contribution.consultation_id, is_reply, is_position)
    ):
        if reply:
            figures[cid].replies += count
        elif position:
            figures[cid].positions += count
        else:
            figures[cid].contributions += count
    for cid, count in db.session.execute(
        select(ConsultationResponse.consultation_id, func.count(ConsultationResponse.id))
        .where(ConsultationResponse.consultation_id.in_(consultation_ids),
               ConsultationResponse.submitted_at.is_not(None))
        .group_by(ConsultationResponse.consultation_id)
    ):
        figures[cid].responses = count
    return {cid: (f.contributions, f.positions, f.replies, f.responses)
            for cid, f in figures.items()}


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


def question_count(consultation: Consultation) -> int:
    return db.session.scalar(select(func.count(ConsultationQuestion.id)).where(
        ConsultationQuestion.consultation_id == consultation.id)) or 0


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


# Contributions


def _own_clause(user):
    if user is None or not user.is_authenticated:
        return literal(False)
    return and_(Contribution.author_id == user.id, Contribution.deleted_at.is_(None))


# Made once: building an alias of a table costs a millisecond of Python per request.
_REPLY = aliased(Contribution, name="reply")
_DELETED = aliased(Contribution, name="deleted")


def _shown_top_level_clause(user, consultation_id: int):
    """Published and not deleted; deleted ones that still carry replies; the reader's own."""
    reply, deleted = _REPLY, _DELETED
    # The few deleted contributions of this consultation are looked up first (a partial
    # index holds them): an EXISTS on the outer row would make PostgreSQL hash every reply.
    deleted_with_replies = select(deleted.id).where(
        deleted.consultation_id == consultation_id,
        deleted.deleted_at.is_not(None),
        deleted.moderation_status == ModerationStatus.PUBLISHED,
        exists().where(
            reply.parent_id == deleted.id,
            reply.moderation_status == ModerationStatus.PUBLISHED,
            reply.deleted_at.is_(None),
        ),
    )
    return or_(Contribution.visible_clause(), Contribution.id.in_(deleted_with_replies),
               _own_clause(user))


def _contribution_options():
    return (
        joinedload(Contribution.author),
        joinedload(Contribution.association),
        # Contribution.theme is left to its lazy loader: the themes of the consultation are
        # loaded with it, and a many-to-one already in the session costs no query.
    )


def contributions_page(consultation: Consultation, user, *, positions: bool, sort: str,
                       theme_id: int | None, per_page: int, page_param: str = "page"):
    statement = (
        select(Contribution)
        .where(
            Contribution.consultation_id == consultation.id,
            Contribution.parent_id.is_(None),
            Contribution.association_id.is_not(None) if positions
            else Contribution.association_id.is_(None),
            _shown_top_level_clause(user, consultation.id),
        )
        .options(*_contribution_options())
    )
    if theme_id:
        statement = statement.where(Contribution.theme_id == theme_id)
    if sort == "supported":
        statement = statement.order_by(Contribution.support_count.desc(),
                                       Contribution.created_at.desc(), Contribution.id.desc())
    else:
        statement = statement.order_by(Contribution.created_at.desc(), Contribution.id.desc())
    anonymous = user is None or not user.is_authenticated
    total_key = ("contributions", consultation.id, positions, theme_id) if anonymous else None
    return paginate(statement, per_page, page_param, total_key)


def _replies_clause(user):
    return or_(Contribution.visible_clause(), _own_clause(user))


@dataclass
class Replies:
    shown: list[Contribution] = field(default_factory=list)
    total: int = 0


def replies_preview(parent_ids: list[int], user) -> dict[int, Replies]:
    """The first replies of each contribution and how many there are: one query."""
    previews = {pid: Replies() for pid in parent_ids}
    if not parent_ids:
        return previews
    position = func.row_number().over(
        partition_by=Contribution.parent_id,
        order_by=(Contribution.created_at, Contribution.id),
    ).label("position")
    total = func.count(Contribution.id).over(partition_by=Contribution.parent_id).label("total")
    ranked = (
        select(Contribution.id, position, total)
        .where(Contribution.parent_id.in_(parent_ids), _replies_clause(user))
        .subquery()
    )
    rows: Sequence[tuple[Contribution, int]] = db.session.execute(
        select(Contribution, ranked.c.total)
        .join(ranked, ranked.c.id == Contribution.id)
        .where(ranked.c.position <= REPLIES_SHOWN)
        .options(*_contribution_options())
        .order_by(Contribution.created_at, Contribution.id)
    ).all()
    for reply, count in rows:
        parent_id = reply.parent_id
        assert parent_id is not None  # a reply always has its parent
        previews[parent_id].shown.append(reply)
        previews[parent_id].total = count
    return previews


def replies_page(parent: Contribution, user, per_page: int):
    return paginate(
        select(Contribution)
        .where(Contribution.parent_id == parent.id, _replies_clause(user))
        .options(*_contribution_options())
        .order_by(Contribution.created_at, Contribution.id),
        per_page,
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
    contribution = db.session.scalar(
        select(Contribution)
        .where(Contribution.id == contribution_id,
               Contribution.consultation_id == consultation.id)
        .options(*_contribution_options(), selectinload(Contribution.parent))
    )
    return contribution


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


def search_everything(query: str, user, language: str, per_page: int) -> tuple[list, ListPage]:
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
                _contribution_hits(terms, dialect, user).subquery())) or 0)
    total = len(found) + contributions_total
    offset = (number - 1) * per_page
    rows = [_Hit("consultation", cid) for cid in found[offset:offset + per_page]]
    if len(rows) < per_page:
        rows += [_Hit("contribution", cid) for cid in db.session.scalars(
            _contribution_hits(terms, dialect, user).with_only_columns(Contribution.id)
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .limit(per_page - len(rows)).offset(max(0, offset - len(found))))]
    consultation_ids = [row.id for row in rows if row.kind == "consultation"]
    contribution_ids = [row.id for row in rows if row.kind == "contribution"]
    contributions = {c.id: c for c in db.session.scalars(
        select(Contribution).where(Contribution.id.in_(contribution_ids))
        .options(joinedload(Contribution.author), joinedload(Contribution.association))
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
    return terms, ListPage(items, number, per_page, total)


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
