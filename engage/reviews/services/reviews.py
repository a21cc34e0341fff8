"""Write operations of lay review: declarations of links of interest, and reviews.

Each takes an explicit actor, flushes, never commits."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from engage.accounts.models import User
from engage.core.errors import DomainError
from engage.extensions import db
from engage.reviews.models import (
    SCORES,
    Assignment,
    CallStatus,
    ConflictDeclaration,
    ConflictLink,
    Criterion,
    Review,
    ReviewScore,
)


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
