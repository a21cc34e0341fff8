"""What the API may show, and the statements that read it: a fixed number of queries per page.

Public here means:
- a consultation that is open, closed, summarised or archived (never a draft, even an
  announced one: its texts may still change);
- a contribution that is published and not deleted, in such a consultation; a reply only
  while the contribution it answers is published;
- a published summary;
- a priority-setting exercise whose results are published.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from engage.accountability.open_data import CommitmentCitation
from engage.accounts.models import User
from engage.consultations.models import (
    Consultation,
    ConsultationResponse,
    ConsultationStatus,
    Contribution,
    Theme,
    consultation_themes,
)
from engage.core import aggregate_cache, versions
from engage.core.moderated import ModerationStatus
from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.priorities.models import Exercise, IndicativeQuestion, Stage
from engage.summaries.models import Citation, Summary, SummaryStatus
from engage.summaries.outcome import NOT_STATED, merge_small_cells, theme_ids_by_contribution

PUBLIC_STATUSES = (
    ConsultationStatus.OPEN,
    ConsultationStatus.CLOSED,
    ConsultationStatus.SUMMARIZED,
    ConsultationStatus.ARCHIVED,
)


# Consultations


def public_consultation_ids():
    return select(Consultation.id).where(Consultation.status.in_(PUBLIC_STATUSES))


def consultations(status: str | None = None, theme_id: int | None = None):
    statement = (
        select(Consultation)
        .where(Consultation.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Consultation.documents))
        .order_by(Consultation.id)
    )
    if status:
        statement = statement.where(Consultation.status == status)
    if theme_id is not None:
        statement = statement.where(Consultation.id.in_(
            select(consultation_themes.c.consultation_id)
            .where(consultation_themes.c.theme_id == theme_id)
        ))
    return statement


def consultation(consultation_id: int) -> Consultation | None:
    return db.session.scalar(
        select(Consultation)
        .where(Consultation.id == consultation_id, Consultation.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Consultation.documents))
    )


@dataclass
class Figures:
    contributions: int = 0
    responses: int = 0


def figures(consultation_ids: list[int]) -> dict[int, Figures]:
    """Public contributions and submitted responses per consultation: two queries, whose
    result is kept while nothing is written (engage.core.aggregate_cache)."""
    counted = aggregate_cache.remember(("api-figures", tuple(sorted(consultation_ids))),
                                       lambda: _figures(consultation_ids),
                                       [versions.consultation(cid) for cid in consultation_ids])
    return {cid: Figures(*counted[cid]) for cid in consultation_ids}


def _figures(consultation_ids: list[int]) -> dict[int, tuple[int, int]]:
    found = {cid: Figures() for cid in consultation_ids}
    if not consultation_ids:
        return {}
    for cid, count in db.session.execute(
        select(Contribution.consultation_id, func.count(Contribution.id))
        .where(Contribution.consultation_id.in_(consultation_ids), listed_contribution())
        .group_by(Contribution.consultation_id)
    ):
        found[cid].contributions = count
    for cid, count in db.session.execute(
        select(ConsultationResponse.consultation_id, func.count(ConsultationResponse.id))
        .where(ConsultationResponse.consultation_id.in_(consultation_ids),
               ConsultationResponse.submitted_at.is_not(None))
        .group_by(ConsultationResponse.consultation_id)
    ):
        found[cid].responses = count
    return {cid: (f.contributions, f.responses) for cid, f in found.items()}


def published_summaries(consultation_ids: list[int]) -> dict[int, int]:
    """Consultation id -> id of its published summary: one query."""
    if not consultation_ids:
        return {}
    return dict(db.session.execute(
        select(Summary.consultation_id, Summary.id)
        .where(Summary.consultation_id.in_(consultation_ids),
               Summary.status == SummaryStatus.PUBLISHED)
    ).all())


def themes():
    return select(Theme).order_by(Theme.id)


# Contributions


_PARENT = aliased(Contribution, name="parent")  # made once: an alias costs a millisecond


def listed_contribution():
    """Published, not deleted, in a public consultation; a reply to a published one."""
    parent = _PARENT
    # A scalar subquery, looked up by primary key for replies only: PostgreSQL would turn
    # an EXISTS into a hash of every published contribution.
    parent_published = select(parent.moderation_status).where(
        parent.id == Contribution.parent_id).scalar_subquery() == ModerationStatus.PUBLISHED
    return and_(
        Contribution.visible_clause(),
        Contribution.consultation_id.in_(public_consultation_ids()),
        or_(Contribution.parent_id.is_(None), parent_published),
    )


def _contribution_options():
    return (joinedload(Contribution.author), joinedload(Contribution.association))


def contributions(consultation_id: int | None = None, theme_id: int | None = None):
    statement = (
        select(Contribution)
        .where(listed_contribution())
        .options(*_contribution_options())
        .order_by(Contribution.id)
    )
    if consultation_id is not None:
        statement = statement.where(Contribution.consultation_id == consultation_id)
    if theme_id is not None:
        statement = statement.where(or_(
            Contribution.theme_id == theme_id,
            Contribution.id.in_(select(ContributionTheme.contribution_id)
                                .where(ContributionTheme.theme_id == theme_id)),
        ))
    return statement


def contribution(contribution_id: int) -> Contribution | None:
    return db.session.scalar(
        select(Contribution)
        .where(Contribution.id == contribution_id, listed_contribution())
        .options(*_contribution_options())
    )


def themes_of(items: list[Contribution]) -> dict[int, list[Theme]]:
    """The themes of each contribution: its author's choice and the moderators' tags.

    Two queries (three with the themes' translations) whatever the number of items.
    """
    tags = theme_ids_by_contribution([item.id for item in items])
    for item in items:
        if item.theme_id:
            tags[item.id].add(item.theme_id)
    used = sorted({theme_id for ids in tags.values() for theme_id in ids})
    loaded = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(used)))} \
        if used else {}
    return {item.id: [loaded[t] for t in sorted(tags[item.id]) if t in loaded]
            for item in items}


# Summaries


def summaries(consultation_id: int | None = None):
    statement = (
        select(Summary)
        .where(Summary.status == SummaryStatus.PUBLISHED,
               Summary.consultation_id.in_(public_consultation_ids()))
        .order_by(Summary.id)
    )
    if consultation_id is not None:
        statement = statement.where(Summary.consultation_id == consultation_id)
    return statement


def summary(summary_id: int) -> Summary | None:
    return db.session.scalar(summaries().where(Summary.id == summary_id))


def cited_contributions(summary_ids: list[int]) -> dict[int, list[int]]:
    """The public contributions each summary cites: one query."""
    cited: dict[int, list[int]] = {sid: [] for sid in summary_ids}
    if not summary_ids:
        return cited
    for summary_id, contribution_id in db.session.execute(
        select(Citation.summary_id, Citation.contribution_id)
        .join(Contribution, Contribution.id == Citation.contribution_id)
        .where(Citation.summary_id.in_(summary_ids), listed_contribution())
        .order_by(Citation.summary_id, Citation.contribution_id)
    ):
        cited[summary_id].append(contribution_id)
    return cited


# Participation figures


@dataclass
class Participation:
    contributions: int = 0
    replies: int = 0
    positions: int = 0
    responses: int = 0
    participants: int = 0
    by_role: list[tuple[str, int]] = field(default_factory=list)
    by_departement: list[tuple[str, int]] = field(default_factory=list)


def _in_scope(column, consultation_id: int | None):
    if consultation_id is None:
        return column.in_(public_consultation_ids())
    return column == consultation_id


def participation(consultation_id: int | None = None) -> Participation:
    """Counts for one consultation, or for every public one: three queries.

    People are counted once: authors of public contributions and people who submitted
    the questionnaire. Cells of fewer than 5 people are merged (`outcome.merge_small_cells`).
    """
    figures_ = Participation()
    is_reply = Contribution.parent_id.is_not(None)
    is_position = Contribution.association_id.is_not(None)
    for reply, position, count in db.session.execute(
        select(is_reply, is_position, func.count(Contribution.id))
        .where(_in_scope(Contribution.consultation_id, consultation_id), listed_contribution())
        .group_by(is_reply, is_position)
    ):
        if reply:
            figures_.replies += count
        else:
            figures_.contributions += count
            figures_.positions += count if position else 0
    submitted = and_(_in_scope(ConsultationResponse.consultation_id, consultation_id),
                     ConsultationResponse.submitted_at.is_not(None))
    figures_.responses = db.session.scalar(
        select(func.count(ConsultationResponse.id)).where(submitted)
    ) or 0
    people = select(Contribution.author_id.label("user_id")).where(
        _in_scope(Contribution.consultation_id, consultation_id), listed_contribution(),
        Contribution.author_id.is_not(None),
    ).union(
        select(ConsultationResponse.user_id.label("user_id"))
        .where(submitted, ConsultationResponse.user_id.is_not(None))
    ).subquery()
    roles: dict[str, int] = {}
    departements: dict[str, int] = {}
    for participant_type, departement, count in db.session.execute(
        select(User.participant_type, User.departement, func.count(User.id))
        .join(people, people.c.user_id == User.id)
        .group_by(User.participant_type, User.departement)
    ):
        role_key = participant_type or NOT_STATED
        roles[role_key] = roles.get(role_key, 0) + count
        departement_key = departement or NOT_STATED
        departements[departement_key] = departements.get(departement_key, 0) + count
        figures_.participants += count
    figures_.by_role = merge_small_cells(roles)
    figures_.by_departement = merge_small_cells(departements)
    return figures_


# Research priorities


def exercises():
    return select(Exercise).where(Exercise.stage == Stage.PUBLISHED).order_by(Exercise.id)


def exercise(exercise_id: int) -> Exercise | None:
    return db.session.scalar(exercises().where(Exercise.id == exercise_id))


def priority_questions(exercise_id: int, status: str | None = None):
    """The exercise's questions, the final top first, then the interim order, then by number."""
    question = IndicativeQuestion
    statement = (
        select(question)
        .where(question.exercise_id == exercise_id)
        .order_by(question.final_rank.is_(None), question.final_rank,
                  question.interim_rank.is_(None), question.interim_rank, question.number)
    )
    if status:
        statement = statement.where(question.status == status)
    return statement


# The network's record (engage.accountability.open_data reads the rest)


def commitment_citations(commitment_ids: list[int]) -> dict[int, list[int]]:
    """The public contributions each commitment cites (one query): a contribution hidden or
    deleted since is not listed, as for summaries."""
    cited: dict[int, list[int]] = {cid: [] for cid in commitment_ids}
    if not commitment_ids:
        return cited
    for commitment_id, contribution_id in db.session.execute(
        select(CommitmentCitation.commitment_id, CommitmentCitation.contribution_id)
        .join(Contribution, Contribution.id == CommitmentCitation.contribution_id)
        .where(CommitmentCitation.commitment_id.in_(commitment_ids), listed_contribution())
        .order_by(CommitmentCitation.commitment_id, CommitmentCitation.contribution_id)
    ):
        cited[commitment_id].append(contribution_id)
    return cited
