"""The outcome report of a consultation: process, participation figures, arguments by
theme. A fixed number of queries whatever the number of contributions: one for the figures,
one for the arguments (with the columns they show), each kept while nothing is written.

Participation figures protect privacy: a cell of fewer than 5 people is merged into
"Other" (and if "Other" still counts fewer than 5, the next smallest cell joins it).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    select,
    union,
    union_all,
)

from engage.accounts.models import Association, Departement, ParticipantType, User
from engage.consultations.models import (
    Consultation,
    ConsultationResponse,
    Contribution,
    Theme,
)
from engage.core import aggregate_cache, versions
from engage.core.charts import Bar
from engage.core.markdown import plain_text
from engage.extensions import db
from engage.moderation.models import ContributionTheme

SMALL_CELL = 5
ARGUMENTS_PER_THEME = 10
EXCERPT_LENGTH = 300
NOT_STATED = "not_stated"
OTHER = "other"


def merge_small_cells(counts: dict[str, int], minimum: int = SMALL_CELL) -> list[tuple[str, int]]:
    """Counts by key, largest first, every cell under `minimum` merged into OTHER.

    If the merged cell is itself under `minimum` (but not empty), the smallest remaining
    cells join it until it reaches `minimum` or nothing else is left.
    """
    kept = {key: n for key, n in counts.items() if n >= minimum and key != OTHER}
    other = sum(n for key, n in counts.items() if key not in kept)
    while 0 < other < minimum and kept:
        smallest = min(kept, key=lambda key: (kept[key], key))
        other += kept.pop(smallest)
    cells = sorted(kept.items(), key=lambda item: (-item[1], item[0]))
    if other:
        cells.append((OTHER, other))
    return cells


@dataclass
class Participation:
    contributions: int = 0
    replies: int = 0
    positions: int = 0
    responses: int = 0
    participants: int = 0
    by_role: list[Bar] = field(default_factory=list)
    by_departement: list[Bar] = field(default_factory=list)


def _participant_ids(consultation_id):
    authors = select(Contribution.author_id.label("user_id")).where(
        Contribution.consultation_id == consultation_id, Contribution.visible_clause(),
        Contribution.author_id.is_not(None))
    respondents = select(ConsultationResponse.user_id.label("user_id")).where(
        ConsultationResponse.consultation_id == consultation_id,
        ConsultationResponse.submitted_at.is_not(None),
        ConsultationResponse.user_id.is_not(None))
    return authors.union(respondents).subquery()


def _bars(cells: list[tuple[str, int]], labels: dict) -> list[Bar]:
    names = {**labels, NOT_STATED: _("Not stated"), OTHER: _("Other (groups under 5 people)")}
    return [Bar(str(names.get(key, key)), count) for key, count in cells]


def participation(consultation: Consultation) -> Participation:
    """The figures (five queries), kept while nothing is written; labels in the page's
    language."""
    return aggregate_cache.remember(
        ("outcome-participation", consultation.id, str(get_locale())),
        lambda: _participation(consultation), [versions.consultation(consultation.id)])


# The statements below are built once per process and run with the consultation as a
# parameter: building them (and their cache keys) costs more than the database takes to run
# them.


@cache
def _participation_statement():
    consultation_id = bindparam("consultation_id", type_=Integer)
    visible = and_(Contribution.consultation_id == consultation_id,
                   Contribution.visible_clause())
    kind = case((Contribution.parent_id.is_not(None), "reply"), else_="contribution")
    position = case((Contribution.association_id.is_not(None), "position"),
                    else_=cast(null(), String))
    ids = _participant_ids(consultation_id)
    return union_all(
        select(literal("contributions"), kind, position, func.count(Contribution.id))
        .where(visible).group_by(kind, position),
        select(literal("responses"), cast(null(), String), cast(null(), String),
               func.count(ConsultationResponse.id))
        .where(ConsultationResponse.consultation_id == consultation_id,
               ConsultationResponse.submitted_at.is_not(None)),
        select(literal("participants"), User.participant_type, User.departement,
               func.count(User.id))
        .join(ids, ids.c.user_id == User.id)
        .group_by(User.participant_type, User.departement),
    )


def _participation(consultation: Consultation) -> Participation:
    """The figures in one query: contributions and replies (and association positions among
    the contributions), submitted responses, and the people who took part by role and
    département, as rows of (part, key, other key, count)."""
    rows: Sequence[Any] = db.session.execute(_participation_statement(),
                                             {"consultation_id": consultation.id}).all()
    figures = Participation()
    roles: dict[str, int] = {}
    departements: dict[str, int] = {}
    for part, key, other, count in rows:
        if part == "contributions":
            if key == "reply":
                figures.replies += count
            else:
                figures.contributions += count
                figures.positions += count if other == "position" else 0
        elif part == "responses":
            figures.responses = count
        else:
            roles[key or NOT_STATED] = roles.get(key or NOT_STATED, 0) + count
            departements[other or NOT_STATED] = departements.get(other or NOT_STATED, 0) + count
            figures.participants += count
    figures.by_role = _bars(merge_small_cells(roles), ParticipantType.labels())
    figures.by_departement = _bars(merge_small_cells(departements), Departement.labels())
    return figures


@dataclass(frozen=True)
class ShownContribution:
    """What an argument shows of its contribution: columns, not the entity."""

    id: int
    support_count: int
    language: str | None
    position_of: str | None  # the association's name when it is an association's position


@dataclass(frozen=True)
class Argument:
    contribution: ShownContribution
    excerpt: str


@dataclass
class ThemeGroup:
    theme: Theme | None  # None: contributions without a theme
    count: int = 0
    arguments: list[Argument] = field(default_factory=list)


def excerpt(body: str | None, limit: int = EXCERPT_LENGTH) -> str:
    text = " ".join(plain_text(body).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def theme_ids_by_contribution(contribution_ids: list[int]) -> dict[int, set[int]]:
    tags: dict[int, set[int]] = {cid: set() for cid in contribution_ids}
    if contribution_ids:
        for contribution_id, theme_id in db.session.execute(
            select(ContributionTheme.contribution_id, ContributionTheme.theme_id)
            .where(ContributionTheme.contribution_id.in_(contribution_ids))
        ):
            tags[contribution_id].add(theme_id)
    return tags


def arguments_by_theme(consultation: Consultation,
                       per_theme: int = ARGUMENTS_PER_THEME) -> list[ThemeGroup]:
    """Visible contributions, and replies given a theme, grouped by their themes, most
    supported first.

    A contribution with two themes appears under both. The database groups, counts and
    picks the first `per_theme` of each theme, with the columns shown (the result is kept
    while nothing is written). The themes' labels come with the consultation's themes; a
    theme no longer among them is read apart.
    """
    counts, chosen = aggregate_cache.remember(
        ("outcome-arguments", consultation.id, per_theme),
        lambda: _ranked_arguments(consultation.id, per_theme),
        [versions.consultation(consultation.id)])
    used = sorted(t for t in counts if t is not None)
    themes = {t.id: t for t in consultation.themes}  # loaded with the consultation
    missing = [t for t in used if t not in themes]
    if missing:
        themes.update({t.id: t for t in db.session.scalars(
            select(Theme).where(Theme.id.in_(missing)))})
    ordered = []
    for theme_id in sorted(used, key=lambda t: (-counts[t], t)):
        if theme_id in themes:
            ordered.append(ThemeGroup(themes[theme_id], counts[theme_id], chosen[theme_id]))
    if counts.get(None):
        ordered.append(ThemeGroup(None, counts[None], chosen[None]))
    return ordered


@cache
def _ranked_statement():
    """The first `per_theme` arguments of each theme of the consultation `consultation_id`
    (parameters), with their theme's count and the columns they show."""
    consultation_id = bindparam("consultation_id", type_=Integer)
    # A reply counts under the themes it was given (by its author or a moderator): it is an
    # argument of its own. Untagged replies belong to their thread, not to "without a theme".
    visible = and_(Contribution.consultation_id == consultation_id, Contribution.visible_clause())
    top_level = and_(visible, Contribution.parent_id.is_(None))
    columns = (Contribution.id.label("contribution_id"), Contribution.support_count,
               Contribution.created_at)
    pairs = union(
        select(*columns, Contribution.theme_id.label("theme_id"))
        .where(visible, Contribution.theme_id.is_not(None)),
        select(*columns, ContributionTheme.theme_id)
        .join(ContributionTheme, ContributionTheme.contribution_id == Contribution.id)
        .where(visible),
        select(*columns, cast(null(), Integer))
        .where(top_level, Contribution.theme_id.is_(None),
               ~exists().where(ContributionTheme.contribution_id == Contribution.id)),
    ).subquery()
    ranked = select(
        pairs.c.theme_id, pairs.c.contribution_id,
        func.row_number().over(
            partition_by=pairs.c.theme_id,
            order_by=(pairs.c.support_count.desc(), pairs.c.created_at,
                      pairs.c.contribution_id)).label("position"),
        func.count().over(partition_by=pairs.c.theme_id).label("total"),
    ).subquery()
    return (
        select(ranked.c.theme_id, ranked.c.total, Contribution.id, Contribution.body,
               Contribution.language, Contribution.support_count, Contribution.parent_id,
               Association.name.label("association_name"))
        .join(Contribution, Contribution.id == ranked.c.contribution_id)
        .outerjoin(Association, Association.id == Contribution.association_id)
        .where(ranked.c.position <= bindparam("per_theme"))
        .order_by(ranked.c.theme_id, ranked.c.position)
    )


def _ranked_arguments(consultation_id: int, per_theme: int):
    """({theme id or None: contributions}, {theme id or None: its first arguments}): one
    query.

    A contribution's themes are the one its author chose and those moderators added; one
    without any is counted under None.
    """
    counts: dict[int | None, int] = {}
    chosen: dict[int | None, list[Argument]] = {}
    rows: Sequence[Any] = db.session.execute(
        _ranked_statement(), {"consultation_id": consultation_id, "per_theme": per_theme}
    ).all()
    for row in rows:
        counts[row.theme_id] = row.total
        position_of = row.association_name if row.parent_id is None else None
        chosen.setdefault(row.theme_id, []).append(Argument(
            ShownContribution(row.id, row.support_count, row.language, position_of),
            excerpt(row.body)))
    return counts, chosen
