"""Funding calls in the chain: what a call answers, and the projects its decisions fund.

The only module of the area that reads lay review's tables. From an application it copies
what becomes public once funded (title, lay summary, institutions); from its reviews, only
two aggregate figures that describe no one (how many lay reviewers, published from 5 on, and
how many rounds). Scores, comments, notes and who reviewed what stay in lay review.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from engage.accountability import notifications, permissions
from engage.accountability.models import (
    AuditAction,
    CallLink,
    Commitment,
    FundedProject,
    ProjectUpdate,
    ProjectUpdateKind,
    ProjectUpdateTranslation,
)
from engage.accountability.services._shared import (
    languages,
    lock,
    record,
    require,
    store_documents,
    update_texts,
)
from engage.core.errors import DomainError
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion
from engage.reviews.models import (
    Application,
    Assignment,
    Decision,
    FundingCall,
    Review,
    ReviewStatus,
)

INSTITUTION_MAX_LENGTH = 300
# Lay review runs one round per call (open for review, then closed): a call whose reviews
# were submitted had one round. The column counts rounds, for calls reviewed in several.
ROUNDS_PER_CALL = 1


def _require_officer(actor) -> None:
    require(permissions.can_manage(actor),
            _l("Only network officers record what the network did."))


# What a call answers


def link_call(actor, call: FundingCall, *, question: IndicativeQuestion | None = None,
              commitment: Commitment | None = None) -> tuple[CallLink, bool]:
    """(link, created): the call declares it answers a research priority or a commitment."""
    _require_officer(actor)
    if question is not None and commitment is None:
        target = CallLink.question_id == question.id
    elif commitment is not None and question is None:
        target = CallLink.commitment_id == commitment.id
    else:
        raise DomainError(_l("A call is linked to one research priority or one commitment."))
    require(permissions.can_link_call(actor, question=question, commitment=commitment),
            _l("A call can answer research priorities of published results, or published "
               "commitments."))
    existing = db.session.scalar(select(CallLink).where(CallLink.call_id == call.id, target))
    if existing is not None:
        return existing, False
    link = CallLink(call_id=call.id, question_id=question.id if question is not None else None,
                    commitment_id=commitment.id if commitment is not None else None,
                    created_by_id=actor.id)
    db.session.add(link)
    db.session.flush()
    record(actor, AuditAction.CALL_LINK, link, after=_link_state(link))
    notifications.call_linked(link, actor)
    return link, True


def _link_state(link: CallLink) -> dict:
    return {"call": link.call_id, "question": link.question_id,
            "commitment": link.commitment_id}


def unlink_call(actor, link: CallLink) -> None:
    _require_officer(actor)
    call = db.session.get(FundingCall, link.call_id)
    require(permissions.can_unlink_call(actor, call),
            _l("Once the call is decided, what it answers stays on record."))
    record(actor, AuditAction.CALL_UNLINK, link, before=_link_state(link))
    db.session.delete(link)
    db.session.flush()


# Funded projects


def lay_review_facts(call_id: int) -> tuple[int, int]:
    """(lay reviewers who submitted a review of the call's applications, rounds of review).
    Exact figures, for the model to publish by the small-cell rule; never shown as such."""
    reviewers = db.session.scalar(
        select(func.count(distinct(Assignment.reviewer_id)))
        .join(Application, Application.id == Assignment.application_id)
        .join(Review, Review.assignment_id == Assignment.id)
        .where(Application.call_id == call_id, Review.status == ReviewStatus.SUBMITTED)) or 0
    return reviewers, ROUNDS_PER_CALL if reviewers else 0


def project_state(project: FundedProject) -> dict:
    """What the audit log keeps of a funded project: its public fields only."""
    return {
        "call": project.call_id,
        "texts": {t.language: [t.title, t.lay_summary] for t in project.translations},
        "institution": project.institution,
        "lay_reviewer_count": project.lay_reviewer_count,
        "lay_review_rounds": project.lay_review_rounds,
    }


def _clean_project_texts(texts: dict) -> dict[str, tuple[str, str]]:
    cleaned = {}
    for code in languages():
        title, summary = texts.get(code) or ("", "")
        cleaned[code] = (" ".join((title or "").split()),
                         (summary or "").replace("\r\n", "\n").strip())
    return cleaned


def _institution(text: str | None) -> str:
    institution = " ".join((text or "").split())
    require(len(institution) <= INSTITUTION_MAX_LENGTH, _l(
        "The institution can have at most %(max)d characters.", max=INSTITUTION_MAX_LENGTH))
    return institution


def create_funded_projects(actor, call: FundingCall) -> list[FundedProject]:
    """A draft project for each application the call's decision funds that has none yet
    (running it again creates nothing twice). Applications on the waiting list or not funded
    never appear. Returns the projects created."""
    _require_officer(actor)
    require(permissions.can_create_projects(actor, call),
            _l("Funded projects are created once the call's decisions are recorded."))
    known = set(db.session.scalars(select(FundedProject.application_id)
                                   .where(FundedProject.call_id == call.id)))
    funded = db.session.scalars(
        select(Application).where(Application.call_id == call.id,
                                  Application.decision == Decision.FUNDED)
        .order_by(Application.acronym)).all()
    reviewers, rounds = lay_review_facts(call.id)
    created = []
    for application in funded:
        if application.id in known:
            continue
        language = application.summary_language if application.summary_language in languages() \
            else languages()[0]
        project = FundedProject(call_id=call.id, application_id=application.id,
                                institution=_institution("; ".join(application.institution_list)),
                                created_by_id=actor.id)
        project.set_texts(_clean_project_texts(
            {language: (application.title, application.lay_summary)}))
        project.set_lay_review(reviewers, rounds)
        db.session.add(project)
        db.session.flush()
        record(actor, AuditAction.PROJECT_CREATE, project,
               after={"application": application.id, **project_state(project)})
        created.append(project)
    return created


def edit_project(actor, project: FundedProject, *, texts: dict[str, tuple[str, str]],
                 institution: str) -> bool:
    """The public texts of a draft project, in each language; False when nothing changed."""
    _require_officer(actor)
    project.ensure_draft()
    before = project_state(project)
    project.set_texts(_clean_project_texts(texts))
    project.institution = _institution(institution)
    db.session.flush()
    after = project_state(project)
    if after == before:
        return False
    record(actor, AuditAction.PROJECT_EDIT, project, before=before, after=after)
    return True


def publish_project(actor, project: FundedProject) -> None:
    _require_officer(actor)
    lock(project)
    project.publish()
    db.session.flush()
    record(actor, AuditAction.PROJECT_PUBLISH, project,
           after={"published_at": project.published_at})
    notifications.project_published(project, actor)


def add_project_update(actor, project: FundedProject, *, kind: str, texts: dict[str, str],
                       happened_on: date, links=(), documents=()) -> ProjectUpdate:
    """News of a published project (started, results, publications...), dated, with
    optional links and PDF documents."""
    _require_officer(actor)
    require(permissions.can_update_project(actor, project),
            _l("Updates are added once the project is published."))
    require(happened_on is not None, _l("Please give the date of the update."))
    try:
        kind = ProjectUpdateKind(kind)
    except ValueError:
        raise DomainError(_l("Please choose what the update is about.")) from None
    update = ProjectUpdate(kind=kind, happened_on=happened_on, created_by_id=actor.id,
                           translations=update_texts(texts, ProjectUpdateTranslation))
    update.set_links(links)
    update.documents = store_documents(documents)
    project.record(update)
    db.session.flush()
    record(actor, AuditAction.PROJECT_UPDATE, update, after={
        "project": project.id, "kind": kind, "happened_on": happened_on,
        "texts": {t.language: t.text for t in update.translations}, "links": update.links,
        "documents": [d.stored_name for d in update.documents]})
    notifications.project_updated(update, actor)
    return update

