"""Who is told of what the network did (issue 19, item 4), through the notifications of
engage.core.notifications (My space words them in each reader's language, and emails them
as each person chose). The services call these functions once the change is flushed.

- **A published response** (`response_published`). A commitment answers the contributions
  it cites (`[#123]`) and, the response as a whole answering the summary, those the summary
  cites that no commitment of the response cites. The author of each answered contribution
  gets one `commitment_response` per commitment that answers them (several contributions
  answered by the same commitment: still one). The approved representatives of an
  association whose position (a contribution made for it) is answered get one
  `position_cited` per commitment and association, unless the commitment already answers
  their own words. A response to priority results cites no contribution: nobody is told
  of it this way (people hear of the calls that take priorities up).
- **An update of a published commitment** (`commitment_updated`). One that changes the
  status (a correction too): `commitment_status` to the authors the commitment answers and
  to its followers, once each. One that does not: `followed_update` to the followers only.
- **A call takes a priority up** (`call_linked`): the people who ranked it (their interim
  ranking lists it) get `priority_taken_up`, once per call and priority: a link to a
  commitment takes up the priorities the commitment answers; priorities the call took up
  already are not told again.
- **A funded project is published** (`project_published`): the followers of the commitments
  its call answers get `followed_update` (news of what they follow).
- **An update of a published project** (`project_updated`): `followed_update` to its
  followers.

Only visible contributions count (published, not deleted), as for the summaries' "your
words were used". Whoever acted is never told, and blocked or deleted accounts get nothing
(`notify_each` sees to both). Each notification keeps ids and codes only.
"""

from collections import defaultdict

from sqlalchemy import select

from engage.accountability.models import (
    CallLink,
    Commitment,
    CommitmentCitation,
    CommitmentUpdate,
    Follow,
    FundedProject,
    ProjectUpdate,
    Response,
    commitment_questions,
)
from engage.accounts.models import Membership, MembershipStatus, User
from engage.consultations.models import Contribution
from engage.core.notifications import NotificationKind, notify_each
from engage.extensions import db
from engage.priorities.models import Ranking, RankingEntry
from engage.summaries.models import Citation

Kind = NotificationKind


def _users(ids) -> dict[int, User]:
    ids = sorted({user_id for user_id in ids if user_id is not None})
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _answered(response: Response) -> dict[int, set[int]]:
    """The contributions each commitment of `response` answers (by commitment id)."""
    commitment_ids = [commitment.id for commitment in response.commitments]
    cited: dict[int, set[int]] = {commitment_id: set() for commitment_id in commitment_ids}
    if not commitment_ids:
        return cited
    for commitment_id, contribution_id in db.session.execute(
            select(CommitmentCitation.commitment_id, CommitmentCitation.contribution_id)
            .where(CommitmentCitation.commitment_id.in_(commitment_ids))):
        cited[commitment_id].add(contribution_id)
    if response.summary_id is not None:
        by_someone = set().union(*cited.values())
        summary_only = set(db.session.scalars(select(Citation.contribution_id).where(
            Citation.summary_id == response.summary_id))) - by_someone
        for contributions in cited.values():
            contributions |= summary_only
    return cited


def _contributions(ids) -> dict[int, tuple[int | None, int | None]]:
    """Visible contributions among `ids`: (author id, association id if a position)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {contribution_id: (author_id, association_id if parent_id is None else None)
            for contribution_id, author_id, association_id, parent_id in db.session.execute(
                select(Contribution.id, Contribution.author_id, Contribution.association_id,
                       Contribution.parent_id)
                .where(Contribution.id.in_(ids), Contribution.visible_clause()))}


def _authors(answered: set[int], contributions: dict) -> set[int]:
    """The ids of the authors of the answered contributions."""
    return {contributions[c][0] for c in answered
            if c in contributions and contributions[c][0] is not None}


def _positions(answered: set[int], contributions: dict) -> list[int]:
    """The ids of the associations whose positions are among the answered contributions."""
    found: set[int] = set()
    for contribution_id in answered:
        association_id = contributions.get(contribution_id, (None, None))[1]
        if association_id is not None:
            found.add(association_id)
    return sorted(found)


def _representatives(association_ids) -> dict[int, list[int]]:
    """Association id -> the ids of its approved representatives."""
    ids = sorted(set(association_ids))
    found: dict[int, list[int]] = defaultdict(list)
    if ids:
        for association_id, user_id in db.session.execute(
                select(Membership.association_id, Membership.user_id)
                .where(Membership.association_id.in_(ids),
                       Membership.status == MembershipStatus.APPROVED)
                .order_by(Membership.user_id)):
            found[association_id].append(user_id)
    return found


def response_published(response: Response, actor) -> None:
    """The authors whose words the commitments answer, and the representatives of the
    associations whose positions they answer (see the module's docstring)."""
    answered = _answered(response)
    contributions = _contributions(set().union(*answered.values()) if answered else ())
    authors = {commitment_id: _authors(ids, contributions)
               for commitment_id, ids in answered.items()}
    positions = {commitment_id: _positions(ids, contributions)
                 for commitment_id, ids in answered.items()}
    representatives = _representatives(a for ids in positions.values() for a in ids)
    users = _users([*(a for found in authors.values() for a in found),
                    *(u for ids in representatives.values() for u in ids)])
    consultation_id = response.consultation_id
    for commitment in response.commitments:
        told = authors[commitment.id]
        notify_each([users[author_id] for author_id in sorted(told) if author_id in users],
                    Kind.COMMITMENT_RESPONSE, actor=actor, commitment_id=commitment.id,
                    consultation_id=consultation_id)
        for association_id in positions[commitment.id]:
            notify_each([users[user_id] for user_id in representatives[association_id]
                         if user_id in users and user_id not in told],
                        Kind.POSITION_CITED, actor=actor, commitment_id=commitment.id,
                        association_id=association_id, consultation_id=consultation_id)


def _followers(*, commitment_ids=(), project_id: int | None = None) -> list[User]:
    if project_id is not None:
        target = Follow.project_id == project_id
    else:
        target = Follow.commitment_id.in_(sorted(set(commitment_ids)))
    return list(db.session.scalars(
        select(User).join(Follow, Follow.user_id == User.id).where(target)
        .order_by(User.id)).unique())


def commitment_updated(update: CommitmentUpdate, actor, *, status_changed: bool) -> None:
    """A status change: the authors the commitment answers and its followers; other news:
    its followers."""
    commitment: Commitment = update.commitment
    followers = _followers(commitment_ids=[commitment.id])
    if not status_changed:
        notify_each(followers, Kind.FOLLOWED_UPDATE, actor=actor, commitment_id=commitment.id,
                    update_id=update.id)
        return
    answered = _answered(commitment.response)[commitment.id]
    users = _users(_authors(answered, _contributions(answered)))
    notify_each([*users.values(), *followers], Kind.COMMITMENT_STATUS, actor=actor,
                commitment_id=commitment.id, update_id=update.id, status=commitment.status)


def _questions_taken_up(link: CallLink) -> list[int]:
    """The priorities `link` takes up that the call's other links did not take up yet."""
    def of_commitments(condition):
        return select(commitment_questions.c.question_id).join(
            CallLink, CallLink.commitment_id == commitment_questions.c.commitment_id
        ).where(condition)

    if link.question_id is not None:
        wanted = {link.question_id}
    else:
        wanted = set(db.session.scalars(select(commitment_questions.c.question_id).where(
            commitment_questions.c.commitment_id == link.commitment_id)))
    others = (CallLink.call_id == link.call_id) & (CallLink.id != link.id)
    before = set(db.session.scalars(select(CallLink.question_id).where(
        others, CallLink.question_id.is_not(None))))
    before |= set(db.session.scalars(of_commitments(others)))
    return sorted(wanted - before)


def call_linked(link: CallLink, actor) -> None:
    """The people who ranked a priority the call now takes up, once per priority."""
    question_ids = _questions_taken_up(link)
    if not question_ids:
        return
    ranked: dict[int, list[int]] = defaultdict(list)
    for question_id, user_id in db.session.execute(
            select(RankingEntry.question_id, Ranking.user_id)
            .join(Ranking, Ranking.id == RankingEntry.ranking_id)
            .where(RankingEntry.question_id.in_(question_ids), Ranking.user_id.is_not(None))
            .order_by(RankingEntry.question_id, Ranking.user_id)):
        if user_id is not None:
            ranked[question_id].append(user_id)
    users = _users(u for ids in ranked.values() for u in ids)
    for question_id in question_ids:
        notify_each([users[u] for u in ranked[question_id] if u in users],
                    Kind.PRIORITY_TAKEN_UP, actor=actor, call_id=link.call_id,
                    question_id=question_id, link_id=link.id)


def project_published(project: FundedProject, actor) -> None:
    """The followers of each commitment the project's call answers hear of the project."""
    commitment_ids = sorted({commitment_id for commitment_id in db.session.scalars(
        select(CallLink.commitment_id).where(CallLink.call_id == project.call_id))
        if commitment_id is not None})
    told: set[int] = set()
    for commitment_id in commitment_ids:
        followers = [user for user in _followers(commitment_ids=[commitment_id])
                     if user.id not in told]
        told.update(user.id for user in followers)
        notify_each(followers, Kind.FOLLOWED_UPDATE, actor=actor, commitment_id=commitment_id,
                    project_id=project.id)


def project_updated(update: ProjectUpdate, actor) -> None:
    notify_each(_followers(project_id=update.project_id), Kind.FOLLOWED_UPDATE, actor=actor,
                project_id=update.project_id, update_id=update.id)
