"""The outcome report of a consultation: process, participation figures, arguments by
theme. A fixed number of queries whatever the number of contributions.

Participation figures protect privacy: a cell of fewer than 5 people is merged into
"Other" (and if "Other" still counts fewer than 5, the next smallest cell joins it).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Integer, and_, cast, exists, func, null, select, union

from engage.accounts.models import Departement, ParticipantType, User
from engage.consultations.models import (
    Consultation,
    ConsultationResponse,
    Contribution,
    Theme,
)
from engage.core import aggregate_cache
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


def _participant_ids(consultation_id: int):
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
        lambda: _participation(consultation))


def _participation(consultation: Consultation) -> Participation:
    figures = Participation()
    for is_reply, is_position, count in db.session.execute(
        select(Contribution.parent_id.is_not(None), Contribution.association_id.is_not(None),
               func.count(Contribution.id))
        .where(Contribution.consultation_id == consultation.id, Contribution.visible_clause())
        .group_by(Contribution.parent_id.is_not(None), Contribution.association_id.is_not(None))
    ):
        if is_reply:
            figures.replies += count
        else:
            figures.contributions += count
            if is_position:
                figures.positions += count
    figures.responses = db.session.scalar(
        select(func.count(ConsultationResponse.id)).where(
            ConsultationResponse.consultation_id == consultation.id,
            ConsultationResponse.submitted_at.is_not(None))
    ) or 0
    ids = _participant_ids(consultation.id)
    roles: dict[str, int] = {}
    departements: dict[str, int] = {}
    for participant_type, departement, count in db.session.execute(
        select(User.participant_type, User.departement, func.count(User.id))
        .join(ids, ids.c.user_id == User.id)
        .group_by(User.participant_type, User.departement)
    ):
        roles[participant_type or NOT_STATED] = roles.get(participant_type or NOT_STATED, 0) + count
        key = departement or NOT_STATED
        departements[key] = departements.get(key, 0) + count
        figures.participants += count
    figures.by_role = _bars(merge_small_cells(roles), ParticipantType.labels())
    figures.by_departement = _bars(merge_small_cells(departements), Departement.labels())
    return figures


@dataclass
class Argument:
    contribution: Contribution
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
    picks the first `per_theme` of each theme (the result is kept while nothing is
    written); only the contributions shown are loaded.
    """
    from sqlalchemy.orm import joinedload

    counts, chosen = aggregate_cache.remember(
        ("outcome-arguments", consultation.id, per_theme),
        lambda: _ranked_arguments(consultation.id, per_theme))
    shown_ids = [cid for ids in chosen.values() for cid in ids]
    contributions = {c.id: c for c in db.session.scalars(
        select(Contribution).where(Contribution.id.in_(shown_ids))
        .options(joinedload(Contribution.association))
    )} if shown_ids else {}
    used = sorted(t for t in counts if t is not None)
    themes = {t.id: t for t in consultation.themes}  # loaded with the consultation
    missing = [t for t in used if t not in themes]
    if missing:
        themes.update({t.id: t for t in db.session.scalars(
            select(Theme).where(Theme.id.in_(missing)))})
    ordered = []
    for theme_id in sorted(used, key=lambda t: (-counts[t], t)):
        if theme_id in themes:
            ordered.append(_group(themes[theme_id], counts[theme_id], chosen[theme_id],
                                  contributions))
    if counts.get(None):
        ordered.append(_group(None, counts[None], chosen[None], contributions))
    return ordered


def _group(theme, count: int, ids: list[int], contributions: dict) -> ThemeGroup:
    return ThemeGroup(theme, count, [Argument(contributions[cid], excerpt(contributions[cid].body))
                                     for cid in ids if cid in contributions])


def _ranked_arguments(consultation_id: int, per_theme: int):
    """({theme id or None: contributions}, {theme id or None: the first ids}): one query.

    A contribution's themes are the one its author chose and those moderators added; one
    without any is counted under None.
    """
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
    counts: dict[int | None, int] = {}
    chosen: dict[int | None, list[int]] = {}
    # (theme id or None, contribution id, contributions in the theme)
    rows: Sequence[Any] = db.session.execute(
        select(ranked.c.theme_id, ranked.c.contribution_id, ranked.c.total)
        .where(ranked.c.position <= per_theme)
        .order_by(ranked.c.theme_id, ranked.c.position)
    ).all()
    for theme_id, contribution_id, total in rows:
        counts[theme_id] = total
        chosen.setdefault(theme_id, []).append(contribution_id)
    return counts, chosen
