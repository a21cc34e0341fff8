"""Write operations of lay review: the applications of a call and the decisions.

Each takes an explicit actor, flushes, never commits."""


from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from engage.accounts.models import User
from engage.core.errors import DomainError
from engage.extensions import db
from engage.reviews import importer, storage
from engage.reviews.models import (
    Application,
    CallStatus,
    FundingCall,
)

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
    application.pdf_filename = storage.PROJECT_PDFS.save(data)
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
