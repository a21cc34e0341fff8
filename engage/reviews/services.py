"""Write operations of lay review. Each takes an explicit actor, flushes, never commits."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import Role, User
from engage.core.errors import DomainError
from engage.core.outbox import queue_email
from engage.extensions import db
from engage.reviews import importer, storage
from engage.reviews.models import (
    SCORES,
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    ConflictDeclaration,
    ConflictLink,
    Criterion,
    CriterionTranslation,
    FundingCall,
    FundingCallTranslation,
    ReminderKind,
    Review,
    ReviewerProfile,
    ReviewReminder,
    ReviewScore,
    local_today,
)

# The default rubric: bilingual data, copied into each new call, editable while in draft.
DEFAULT_CRITERIA = [
    {
        "fr": ("Pertinence pour les patients et les proches",
               "Le projet répond-il à une question qui compte pour les personnes malades "
               "et leurs proches ?"),
        "en": ("Relevance to patients and carers",
               "Does the project answer a question that matters to people with cancer and "
               "those close to them?"),
    },
    {
        "fr": ("Bénéfice attendu pour les patients",
               "Qu’est-ce que le projet pourrait changer pour les patients, et quand ?"),
        "en": ("Expected benefit for patients",
               "What could the project change for patients, and when?"),
    },
    {
        "fr": ("Clarté du résumé en langage clair",
               "Avez-vous compris ce que l’équipe veut faire, pourquoi et comment ?"),
        "en": ("Clarity of the lay summary",
               "Did you understand what the team wants to do, why and how?"),
    },
    {
        "fr": ("Qualité de l’implication des patients dans le projet",
               "Des patients ou des associations ont-ils participé à la conception du projet ? "
               "Participeront-ils à sa conduite et au partage des résultats ?"),
        "en": ("Quality of patient involvement in the project",
               "Did patients or associations help design the project? Will they take part in "
               "running it and in sharing the results?"),
    },
    {
        "fr": ("Acceptabilité et contraintes pour les participants",
               "Examens, visites, déplacements, questionnaires : ce qui est demandé aux "
               "participants est-il raisonnable ?"),
        "en": ("Acceptability and burden for participants",
               "Tests, visits, travel, questionnaires: is what participants are asked to do "
               "reasonable?"),
    },
    {
        "fr": ("Obstacles à la participation (qui pourrait être laissé de côté)",
               "Langue, handicap, distance, coût, horaires : qui risque de ne pas pouvoir "
               "participer ? Le projet prévoit-il de l’inclure ?"),
        "en": ("Barriers to taking part (who could be left out)",
               "Language, disability, distance, cost, timing: who might be unable to take "
               "part? Does the project plan to include them?"),
    },
]


# Calls and rubric ---------------------------------------------------------------------

def _set_translations(rows, make_row, values: dict[str, tuple], key_fields: tuple[str, ...]):
    """Upsert one row per language with any non-empty value; drop emptied languages."""
    by_language = {row.language: row for row in rows}
    for language, parts in values.items():
        parts = tuple((p or "").strip() for p in parts)
        row = by_language.get(language)
        if not parts[0]:
            if row is not None:
                rows.remove(row)
            continue
        if row is None:
            row = make_row(language)
            rows.append(row)
        for name, value in zip(key_fields, parts, strict=True):
            setattr(row, name, value)
    if not rows:
        raise DomainError(_l("Please write at least the French or the English version."))


def _check_dates(review_opens_on: date, review_deadline: date) -> None:
    if review_deadline < review_opens_on:
        raise DomainError(_l("The deadline must come after the opening date."))


def create_call(actor: User, *, texts: dict[str, tuple[str, str]], review_opens_on: date,
                review_deadline: date, reviews_per_application: int = 3) -> FundingCall:
    _check_dates(review_opens_on, review_deadline)
    call = FundingCall(
        review_opens_on=review_opens_on,
        review_deadline=review_deadline,
        reviews_per_application=reviews_per_application,
        created_by_id=actor.id,
    )
    _set_translations(call.translations, lambda lang: FundingCallTranslation(language=lang),
                      texts, ("title", "description"))
    for position, criterion_texts in enumerate(DEFAULT_CRITERIA):
        criterion = Criterion(position=position)
        for language, (label, guidance) in criterion_texts.items():
            criterion.translations.append(
                CriterionTranslation(language=language, label=label, guidance=guidance))
        call.criteria.append(criterion)
    db.session.add(call)
    db.session.flush()
    return call


def update_call(actor: User, call: FundingCall, *, texts: dict[str, tuple[str, str]],
                review_opens_on: date, review_deadline: date,
                reviews_per_application: int) -> None:
    if call.status not in {CallStatus.DRAFT, CallStatus.OPEN}:
        raise DomainError(_l("This call can no longer be changed."))
    _check_dates(review_opens_on, review_deadline)
    _set_translations(call.translations, lambda lang: FundingCallTranslation(language=lang),
                      texts, ("title", "description"))
    call.review_opens_on = review_opens_on
    call.review_deadline = review_deadline
    call.reviews_per_application = reviews_per_application
    db.session.flush()


def _check_rubric_editable(call: FundingCall) -> None:
    if call.status != CallStatus.DRAFT:
        raise DomainError(_l("The rubric can only be changed while the call is a draft."))


def add_criterion(actor: User, call: FundingCall, texts: dict[str, tuple[str, str]]) -> Criterion:
    _check_rubric_editable(call)
    criterion = Criterion(position=max((c.position for c in call.criteria), default=-1) + 1)
    _set_translations(criterion.translations,
                      lambda lang: CriterionTranslation(language=lang), texts,
                      ("label", "guidance"))
    call.criteria.append(criterion)
    db.session.flush()
    return criterion


def update_criterion(actor: User, criterion: Criterion, texts: dict[str, tuple[str, str]]):
    _check_rubric_editable(criterion.call)
    _set_translations(criterion.translations,
                      lambda lang: CriterionTranslation(language=lang), texts,
                      ("label", "guidance"))
    db.session.flush()


def delete_criterion(actor: User, criterion: Criterion) -> None:
    call = criterion.call
    _check_rubric_editable(call)
    if len(call.criteria) <= 1:
        raise DomainError(_l("The rubric needs at least one criterion."))
    call.criteria.remove(criterion)
    for position, remaining in enumerate(call.criteria):
        remaining.position = position
    db.session.flush()


def change_call_status(actor: User, call: FundingCall, action: str,
                       today: date | None = None) -> None:
    if action == "open":
        call.open_for_review(today or local_today())
        reviewers = {a.reviewer for app in call.applications for a in app.active_assignments()}
        for reviewer in sorted(reviewers, key=lambda u: u.id):
            _notify_assigned(reviewer, call)
    elif action == "close":
        call.close_review()
    elif action == "decide":
        call.mark_decided()
    else:
        raise DomainError(_l("Unknown action."))
    db.session.flush()


# Applications -------------------------------------------------------------------------

APPLICATION_FIELDS = ("acronym", "title", "lay_summary", "summary_language", "team",
                      "institutions", "keywords")


def _acronym_taken(call: FundingCall, acronym: str, exclude_id: int | None = None) -> bool:
    statement = select(Application.id).where(
        Application.call_id == call.id,
        func.lower(Application.acronym) == acronym.strip().lower(),
    )
    if exclude_id is not None:
        statement = statement.where(Application.id != exclude_id)
    return db.session.scalar(statement) is not None


def _check_applications_editable(call: FundingCall) -> None:
    if call.status not in {CallStatus.DRAFT, CallStatus.OPEN}:
        raise DomainError(_l("Applications can no longer be changed in this call."))


def create_application(actor: User, call: FundingCall, *, pdf: bytes | None = None,
                       pdf_name: str | None = None, **fields) -> Application:
    _check_applications_editable(call)
    if _acronym_taken(call, fields["acronym"]):
        raise DomainError(_l("Another application of this call already has this acronym."))
    application = Application(call=call, **{k: (fields.get(k) or "").strip()
                                            for k in APPLICATION_FIELDS})
    if pdf is not None:
        _attach_pdf(application, pdf, pdf_name)
    db.session.add(application)
    db.session.flush()
    return application


def update_application(actor: User, application: Application, *, pdf: bytes | None = None,
                       pdf_name: str | None = None, remove_pdf: bool = False,
                       **fields) -> str | None:
    """Returns the name of a stored PDF to delete once committed, if any."""
    _check_applications_editable(application.call)
    if _acronym_taken(application.call, fields["acronym"], exclude_id=application.id):
        raise DomainError(_l("Another application of this call already has this acronym."))
    for name in APPLICATION_FIELDS:
        setattr(application, name, (fields.get(name) or "").strip())
    old = application.pdf_filename
    if pdf is not None:
        _attach_pdf(application, pdf, pdf_name)
    elif remove_pdf:
        application.pdf_filename = application.pdf_original_name = application.pdf_size = None
    db.session.flush()
    return old if old != application.pdf_filename else None


def _attach_pdf(application: Application, data: bytes, original_name: str | None) -> None:
    application.pdf_filename = storage.save_pdf(data)
    application.pdf_original_name = (original_name or "project.pdf")[:255]
    application.pdf_size = len(data)


def import_applications(actor: User, call: FundingCall, data: bytes,
                        languages: list[str]) -> list[Application]:
    """All the rows of the file, or nothing (importer.ImportProblems lists the bad rows)."""
    _check_applications_editable(call)
    existing = set(db.session.scalars(
        select(Application.acronym).where(Application.call_id == call.id)))
    rows = importer.parse_applications(data, existing, languages)
    applications = [Application(call=call, **row) for row in rows]
    db.session.add_all(applications)
    db.session.flush()
    return applications


def record_decision(actor: User, application: Application, decision: str, note: str) -> None:
    application.record_decision(decision, (note or "").strip(), actor)
    db.session.flush()


# Reviewer pool and assignment ---------------------------------------------------------

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
    """Lay reviewers who can take an assignment: volunteers, confirmed, not blocked,
    not moderators (who see every reviewer's identity)."""
    return (
        select(User)
        .where(
            User.lay_reviewer.is_(True),
            User.email_confirmed_at.is_not(None),
            User.blocked_at.is_(None),
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


def _notify_assigned(reviewer: User, call: FundingCall, application: Application | None = None):
    if not reviewer.is_confirmed:
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
        _notify_assigned(reviewer, call, application)
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


# Declarations and reviews -------------------------------------------------------------

def declare(actor: User, assignment: Assignment, *, links: list[str], details: str,
            no_conflict: bool, confidentiality: bool) -> ConflictDeclaration:
    """Record a declaration. A link withdraws the assignment; none (with the
    confidentiality agreement) opens the application to the reviewer."""
    if assignment.reviewer_id != actor.id:
        raise DomainError(_l("This assignment is not yours."))
    if assignment.application.call.status != CallStatus.OPEN:
        raise DomainError(_l("Declarations are made while the call is open for review."))
    known = {link.value for link in ConflictLink}
    links = [link for link in links if link in known]
    details = (details or "").strip()
    if links and no_conflict:
        raise DomainError(_l("Either tick the links you have, or declare that you have none."))
    if not links and not no_conflict:
        raise DomainError(_l("Please tick the links you have, or declare that you have none."))
    if ConflictLink.OTHER in links and not details:
        raise DomainError(_l("Please describe the other link."))
    if links:
        assignment.withdraw_for_conflict()
    else:
        if assignment.is_cleared:
            raise DomainError(_l("You have already declared that you have no conflict of "
                                 "interest with this application."))
        if not confidentiality:
            raise DomainError(_l("Please accept the confidentiality agreement to read the "
                                 "application."))
        assignment.clear()
    declaration = ConflictDeclaration(
        assignment=assignment, links=links, details=details, has_conflict=bool(links),
        confidentiality_accepted=bool(confidentiality and not links),
    )
    db.session.add(declaration)
    db.session.flush()
    return declaration


@dataclass(frozen=True)
class CriterionInput:
    score: int | None = None
    applicant_comment: str = ""
    committee_comment: str = ""


class IncompleteReview(DomainError):
    """The draft is saved, but it cannot be submitted: `problems` maps fields to messages."""

    def __init__(self, problems: dict[str, object]):
        super().__init__(_l("Your draft has been saved, but it cannot be submitted yet: "
                            "please complete what is missing."))
        self.problems = problems


def _check_score(score: int | None) -> None:
    if score is not None and score not in SCORES:
        raise DomainError(_l("Please choose a score from 1 to 5."))


def missing_parts(review: Review, criteria: list[Criterion]) -> dict[str, object]:
    problems: dict[str, object] = {}
    for criterion in criteria:
        score = review.score_for(criterion.id)
        if score is None or score.score is None:
            problems[f"score_{criterion.id}"] = _l("Please choose a score from 1 to 5.")
        if score is None or not score.applicant_comment.strip():
            problems[f"applicant_{criterion.id}"] = _l("Please write a comment for the "
                                                       "applicants.")
    if review.overall_score is None:
        problems["overall_score"] = _l("Please choose a score from 1 to 5.")
    if not review.overall_applicant_comment.strip():
        problems["overall_applicant"] = _l("Please write a comment for the applicants.")
    return problems


def save_review(actor: User, assignment: Assignment, *, criteria: dict[int, CriterionInput],
                overall_score: int | None, overall_applicant_comment: str,
                overall_committee_comment: str, submit: bool,
                now: datetime | None = None) -> Review:
    """Save the draft; with `submit`, then submit it if complete (IncompleteReview if not)."""
    if assignment.reviewer_id != actor.id or not assignment.is_cleared:
        raise DomainError(_l("You cannot review this application."))
    call = assignment.application.call
    # Locked until commit and read again: two saves at once (two tabs, two app instances)
    # run one after the other, the second seeing the review the first stored.
    db.session.flush()
    db.session.refresh(assignment, with_for_update={"key_share": True})
    review = assignment.review
    if review is not None:
        db.session.refresh(review)
    if review is None:
        review = Review(assignment=assignment)
        db.session.add(review)
    review.ensure_editable(call, now)
    _check_score(overall_score)
    for value in criteria.values():
        _check_score(value.score)
    review.overall_score = overall_score
    review.overall_applicant_comment = (overall_applicant_comment or "").strip()
    review.overall_committee_comment = (overall_committee_comment or "").strip()
    for criterion in call.criteria:
        value = criteria.get(criterion.id, CriterionInput())
        row = review.score_for(criterion.id)
        if row is None:
            row = ReviewScore(criterion_id=criterion.id)
            review.scores.append(row)
        row.score = value.score
        row.applicant_comment = (value.applicant_comment or "").strip()
        row.committee_comment = (value.committee_comment or "").strip()
    db.session.flush()
    if submit:
        problems = missing_parts(review, call.criteria)
        if problems:
            raise IncompleteReview(problems)
        review.submit(call, now)
        db.session.flush()
    return review


# Reminders ----------------------------------------------------------------------------

def send_reminders(today: date | None = None) -> int:
    """Remind reviewers who have not submitted, 7 and 2 days before the deadline.

    Each reminder is recorded, so running this every day (or twice) sends each
    one once. Returns the number of emails queued (one per reviewer and call).
    """
    today = today or local_today()
    assignments = db.session.scalars(
        select(Assignment)
        .join(Application, Assignment.application_id == Application.id)
        .join(FundingCall, Application.call_id == FundingCall.id)
        .where(
            FundingCall.status == CallStatus.OPEN,
            Assignment.status == AssignmentStatus.ACTIVE,
            FundingCall.review_deadline >= today,
            FundingCall.review_deadline <= date.fromordinal(today.toordinal() + 7),
        )
        .options(
            selectinload(Assignment.reminders), selectinload(Assignment.review),
            selectinload(Assignment.reviewer),
            selectinload(Assignment.application).selectinload(Application.call)
            .selectinload(FundingCall.translations),
        )
        .order_by(Assignment.reviewer_id, Assignment.id)
    ).all()
    batches: dict[tuple[int, int, str], list[Assignment]] = {}
    for assignment in assignments:
        if assignment.is_submitted or not assignment.reviewer.is_confirmed:
            continue
        call = assignment.application.call
        days_left = (call.review_deadline - today).days
        kind = ReminderKind.TWO_DAYS if days_left <= 2 else ReminderKind.SEVEN_DAYS
        if kind in {r.kind for r in assignment.reminders}:
            continue
        batches.setdefault((assignment.reviewer_id, call.id, kind), []).append(assignment)
    for (_reviewer_id, _call_id, kind), batch in batches.items():
        reviewer = batch[0].reviewer
        call = batch[0].application.call
        queue_email(
            reviewer.email, reviewer.language, "reviews/reminder",
            reviewer=reviewer, call_title=call.title(reviewer.language),
            deadline=call.review_deadline, days_left=(call.review_deadline - today).days,
            applications=[a.application for a in batch],
            url=url_for("reviews.my_assignments", lang_code=reviewer.language, _external=True),
        )
        for assignment in batch:
            db.session.add(ReviewReminder(assignment=assignment, kind=kind))
    db.session.flush()
    return len(batches)


def reviewer_counts(call: FundingCall) -> dict[int, int]:
    """Active assignments per reviewer in a call."""
    rows = db.session.execute(
        select(Assignment.reviewer_id, func.count(Assignment.id))
        .join(Application, Assignment.application_id == Application.id)
        .where(Application.call_id == call.id, Assignment.status == AssignmentStatus.ACTIVE)
        .group_by(Assignment.reviewer_id)
    ).all()
    return dict(rows)

