"""Write operations of lay review: the reviewer pool and the assignment of reviewers.

Each takes an explicit actor, flushes, never commits."""

import unicodedata
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.accounts.models import Role, User
from engage.core.errors import DomainError
from engage.core.notifications import NotificationKind, notify, wants_email_now
from engage.core.outbox import queue_email
from engage.extensions import db
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    FundingCall,
    ReviewerProfile,
)


def normalize(text: str) -> str:
    """Lower case, no accents, single spaces: for comparing names and themes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def save_reviewer_profile(actor: User, *, themes: str, institutions: str) -> ReviewerProfile:
    profile = db.session.scalar(select(ReviewerProfile).where(ReviewerProfile.user_id == actor.id))
    if profile is None:
        profile = ReviewerProfile(user_id=actor.id)
        db.session.add(profile)
    profile.themes = (themes or "").strip()
    profile.institutions = (institutions or "").strip()
    db.session.flush()
    return profile


def pool_statement():
    """Lay reviewers who can take an assignment: volunteers, confirmed, not blocked nor
    deactivated, not moderators (who see every reviewer's identity)."""
    return (
        select(User)
        .where(
            User.lay_reviewer.is_(True),
            User.email_confirmed_at.is_not(None),
            User.blocked_at.is_(None),
            User.deactivated_at.is_(None),
            User.role.in_([Role.PARTICIPANT, Role.REPRESENTATIVE]),
        )
        .order_by(User.display_name, User.id)
    )


def profiles_by_user(user_ids) -> dict[int, ReviewerProfile]:
    if not user_ids:
        return {}
    return {p.user_id: p for p in db.session.scalars(
        select(ReviewerProfile).where(ReviewerProfile.user_id.in_(list(user_ids))))}


def shared_institutions(profile: ReviewerProfile | None, application: Application) -> list[str]:
    if profile is None:
        return []
    mine = {normalize(i) for i in profile.institution_list}
    return [i for i in application.institution_list if normalize(i) in mine]


def matched_themes(profile: ReviewerProfile | None, application: Application) -> list[str]:
    if profile is None:
        return []
    keywords = [f" {normalize(k)} " for k in application.keyword_list]
    keywords.append(f" {normalize(application.title)} ")
    matches = []
    for theme in profile.theme_list:
        needle = f" {normalize(theme)} "
        if needle.strip() and any(needle in k for k in keywords):
            matches.append(theme)
    return matches


def notify_assigned(reviewer: User, call: FundingCall, application: Application | None = None):
    """A notification, and the email when the reviewer wants it at once (the default)."""
    notify(reviewer, NotificationKind.REVIEW_ASSIGNED, call_id=call.id)
    if not reviewer.is_confirmed or not wants_email_now(reviewer,
                                                        NotificationKind.REVIEW_ASSIGNED):
        return
    queue_email(
        reviewer.email, reviewer.language, "reviews/assigned",
        reviewer=reviewer, call=call, application=application,
        call_title=call.title(reviewer.language),
        url=url_for("reviews.my_assignments", lang_code=reviewer.language, _external=True),
    )


def assign(actor: User, application: Application, reviewer: User,
           profile: ReviewerProfile | None = None, notify: bool = True) -> Assignment:
    call = application.call
    if call.status not in {CallStatus.DRAFT, CallStatus.OPEN}:
        raise DomainError(_l("Reviewers can no longer be assigned in this call."))
    if db.session.scalar(pool_statement().where(User.id == reviewer.id)) is None:
        # gettext, not _l: a lazy string's parameters are not escaped in templates.
        raise DomainError(gettext("%(name)s is not in the pool of lay reviewers.",
                                  name=reviewer.display_name))
    existing = db.session.scalar(select(Assignment).where(
        Assignment.application_id == application.id, Assignment.reviewer_id == reviewer.id))
    if existing is not None:
        if existing.status == AssignmentStatus.WITHDRAWN:
            raise DomainError(gettext("%(name)s has declared a conflict of interest with this "
                                      "application.", name=reviewer.display_name))
        raise DomainError(gettext("%(name)s is already assigned to this application.",
                                  name=reviewer.display_name))
    if profile is None:
        profile = profiles_by_user([reviewer.id]).get(reviewer.id)
    shared = shared_institutions(profile, application)
    if shared:
        raise DomainError(gettext("%(name)s works in the same institution as the applicants "
                                  "(%(institution)s).", name=reviewer.display_name,
                                  institution=", ".join(shared)))
    assignment = Assignment(application=application, reviewer=reviewer, assigned_by_id=actor.id)
    db.session.add(assignment)
    active = len(application.active_assignments())
    if active >= call.reviews_per_application:
        application.needs_reassignment = False
    if notify and call.status == CallStatus.OPEN:
        notify_assigned(reviewer, call, application)
    db.session.flush()
    return assignment


def unassign(actor: User, assignment: Assignment) -> None:
    """Take back an assignment the reviewer has not started (nothing declared, no review)."""
    if assignment.application.call.status not in {CallStatus.DRAFT, CallStatus.OPEN}:
        raise DomainError(_l("Reviewers can no longer be changed in this call."))
    if assignment.declarations or assignment.review is not None:
        raise DomainError(_l("This reviewer has already made a declaration or started the "
                             "review: the assignment is kept for the record."))
    application = assignment.application
    db.session.delete(assignment)
    db.session.flush()
    db.session.expire(application, ["assignments"])


@dataclass(frozen=True)
class Proposal:
    application: Application
    reviewer: User
    themes: tuple[str, ...]
    load: int  # the reviewer's assignments in the call, this one included

    @property
    def key(self) -> str:
        return f"{self.application.id}:{self.reviewer.id}"


@dataclass
class ProposalResult:
    proposals: list[Proposal] = field(default_factory=list)
    # Applications that still lack reviewers after the proposal: (application, missing).
    shortfalls: list[tuple[Application, int]] = field(default_factory=list)


def propose_assignments(call: FundingCall) -> ProposalResult:
    """Fill every application up to the call's number of reviews.

    Least-loaded reviewers first (load = active assignments in this call); among
    them, those whose themes match the application's keywords or title. Never a
    reviewer already assigned, withdrawn for a conflict, or from an institution of
    the applicants.
    """
    reviewers = db.session.scalars(pool_statement()).all()
    profiles = profiles_by_user([r.id for r in reviewers])
    applications = db.session.scalars(
        select(Application).where(Application.call_id == call.id)
        .options(selectinload(Application.assignments))
        .order_by(Application.acronym)
    ).all()
    taken = {(a.application_id, a.reviewer_id) for app in applications for a in app.assignments}
    load = {r.id: 0 for r in reviewers}
    for app in applications:
        for a in app.active_assignments():
            if a.reviewer_id in load:
                load[a.reviewer_id] += 1
    result = ProposalResult()
    for app in applications:
        missing = call.reviews_per_application - len(app.active_assignments())
        while missing > 0:
            candidates = [
                r for r in reviewers
                if (app.id, r.id) not in taken and not shared_institutions(profiles.get(r.id), app)
            ]
            if not candidates:
                result.shortfalls.append((app, missing))
                break
            best = min(candidates, key=lambda r: (
                load[r.id], -len(matched_themes(profiles.get(r.id), app)), r.id))
            load[best.id] += 1
            taken.add((app.id, best.id))
            result.proposals.append(Proposal(
                app, best, tuple(matched_themes(profiles.get(best.id), app)), load[best.id]))
            missing -= 1
    return result


def apply_proposal(actor: User, call: FundingCall, keys: set[str]) -> int:
    """Assign the proposed pairs the moderator kept (keys "application_id:reviewer_id")."""
    result = propose_assignments(call)
    chosen = [p for p in result.proposals if p.key in keys]
    if not chosen:
        raise DomainError(_l("Please keep at least one proposed assignment."))
    profiles = profiles_by_user([p.reviewer.id for p in chosen])
    for proposal in chosen:
        assign(actor, proposal.application, proposal.reviewer,
               profile=profiles.get(proposal.reviewer.id))
    return len(chosen)
