"""The summaries' staff pages: the moderators' list, the editor with its readability
panel, the review workflow and the network's response."""

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from engage.consultations.models import Consultation, ConsultationStatus
from engage.core import confirm
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.pagination import paginate
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.summaries import citations, permissions, queries, services
from engage.summaries.forms import ReturnForm, VersionForm, response_form_class, summary_form_class
from engage.summaries.models import Summary, SummaryRevision
from engage.summaries.readability import measure_summary
from engage.summaries.routes import bp, site_languages

READABILITY_TEXT_MAX = services.BODY_MAX_LENGTH


@bp.get("/manage")
@moderator_required
def manage():
    statuses = (ConsultationStatus.CLOSED, ConsultationStatus.SUMMARIZED,
                ConsultationStatus.ARCHIVED)
    page = paginate(
        select(Consultation).where(Consultation.status.in_(statuses))
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    )
    ids = [c.id for c in page.items]
    summaries = {s.consultation_id: s for s in db.session.scalars(
        select(Summary).where(Summary.consultation_id.in_(ids)))} if ids else {}
    return render_template("summaries/manage.html", page=page, summaries=summaries,
                           language=page_language(), start_form=VersionForm(formdata=None),
                           permissions=permissions)


@bp.post("/consultations/<int:consultation_id>/start")
@moderator_required
def start(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    if not VersionForm().validate_on_submit():
        abort(400)
    try:
        summary, _created = services.start(current_user, consultation)
        db.session.flush()  # where a race's unique-key clash shows
    except IntegrityError:  # started twice at once: open the one that exists
        db.session.rollback()
        existing = services.summary_of(consultation)
        if existing is None:  # the other start was undone as well
            abort(409)
        summary = existing
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("summaries.manage"))
    return redirect(url_for("summaries.edit", summary_id=summary.id))


def _readability_panels(texts: dict[str, str]) -> dict:
    return {code: measure_summary(text, code) for code, text in texts.items()}


def _citation_filter(summary: Summary, values) -> queries.CitationFilter:
    """The citation picker's filter, from the query string or from the editor's form."""
    return queries.CitationFilter.from_values(
        values, [theme.id for theme in summary.consultation.themes], site_languages(),
        page_language())


def _publish_confirmation(summary: Summary) -> confirm.Confirmation:
    """What approving a summary does: it is published at once (one statement for the
    dialog and the page without JavaScript)."""
    return confirm.Confirmation(
        key="publish-summary", title=_("Approve and publish this summary?"),
        what=_("It will be public at once, on the consultation’s page and in the outcome "
               "report; the consultation will be marked as summarised, and its followers "
               "and participants will be told (those whose words it cites, too)."),
        cannot_undo=_("A published summary cannot be withdrawn, and the people told cannot "
                      "be untold."),
        button=_("Approve and publish"),
        cancel_url=url_for("summaries.edit", summary_id=summary.id),
    )


def _editor(summary: Summary, form=None, status: int = 200, checked: bool = False,
            problem=None, citing: queries.CitationFilter | None = None,
            added: int | None = None):
    """The editor page. `citing`: the picker's filter (else the query string's); `added`:
    the contribution whose citation "Insert" just added to the text (without JavaScript)."""
    languages = site_languages()
    form_class = summary_form_class(languages)
    if form is None:
        form = form_class(formdata=None)
        for code in languages:
            form[f"body_{code}"].data = summary.body(code)
        form.version.data = str(summary.version)
    texts = form.texts()
    checks = citations.check(texts, summary.consultation_id)
    previews = {code: citations.render(texts[code], summary.consultation_id,
                                       checks[code].linked, page_language())
                for code in languages}
    if summary.is_draft:
        citing = citing or _citation_filter(summary, request.args)
    picker, coverage = queries.citation_editor(
        summary.consultation, texts, checks, citing if summary.is_draft else None,
        page_language())
    editors = services.editor_ids(summary)
    workflow = VersionForm(formdata=None)
    workflow.version.data = str(summary.version)
    return_form = ReturnForm(formdata=None)
    return_form.version.data = str(summary.version)
    revisions = db.session.scalars(
        select(SummaryRevision).where(SummaryRevision.summary_id == summary.id)
        .options(joinedload(SummaryRevision.edited_by))
        .order_by(SummaryRevision.id.desc()).limit(10)
    ).all()
    return render_template(
        "summaries/edit.html", summary=summary, consultation=summary.consultation,
        title=summary.consultation.title(page_language()), form=form, codes=languages,
        coverage=coverage, picker=picker, added=added,
        previews=previews, readability=_readability_panels(texts),
        can_approve=permissions.can_approve(current_user, summary, editors),
        is_editor=current_user.id in editors or current_user.id == summary.submitted_by_id,
        workflow=workflow, return_form=return_form, revisions=revisions,
        publish_confirmation=_publish_confirmation(summary),
        missing=summary.missing_languages(languages), permissions=permissions,
        checked=checked, language=page_language(), problem=problem,
    ), status


@bp.route("/<int:summary_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit(summary_id):
    summary = db.get_or_404(Summary, summary_id)
    if request.method == "GET":
        return _editor(summary)
    if not permissions.can_edit(current_user, summary):
        flash(_("Only a draft can be changed: send it back to draft first."), "error")
        return redirect(url_for("summaries.edit", summary_id=summary.id))
    form = summary_form_class(site_languages())()
    citing = _citation_filter(summary, request.form)
    if not form.validate_on_submit():
        return _editor(summary, form, 422, citing=citing)
    action = request.form.get("action")
    if "insert" in request.form:  # "Insert [#123]" without JavaScript: nothing is saved
        return _insert_citation(summary, form, citing)
    if action in ("check", "filter", "more"):  # the text being edited is shown again
        if action == "filter":  # a new search starts from its first contributions
            citing = citing.first_page()
        elif action == "more":
            citing = citing.more()
        return _editor(summary, form, checked=action == "check", citing=citing)
    try:
        changed = services.save(current_user, summary, form.texts(), form.version.data or None)
    except services.StaleSummary as error:
        current = db.get_or_404(Summary, summary_id)
        form.version.data = str(current.version)
        return _editor(current, form, 409, problem=error.message, citing=citing)
    except DomainError as error:
        return _editor(db.get_or_404(Summary, summary_id), form, 422, problem=error.message,
                       citing=citing)
    flash(_("The summary is saved.") if changed else _("Nothing changed."),
          "success" if changed else "info")
    return redirect(url_for("summaries.edit", summary_id=summary.id, _anchor="readability",
                            **citing.as_args()))


def _insert_citation(summary: Summary, form, citing: queries.CitationFilter):
    """Adds `[#id]` at the end of the text of the picker's language, and shows it again."""
    field = form[f"body_{citing.into}"]
    number = request.form.get("insert", type=int)
    try:
        field.data = citations.with_citation_appended(
            field.data, number, summary.consultation_id, services.BODY_MAX_LENGTH)
    except DomainError as error:
        field.errors.append(str(error.message))
        return _editor(summary, form, 422, citing=citing)
    return _editor(summary, form, citing=citing, added=number)


STEP_MESSAGES = {
    "submit": _l("The summary is sent for review: another moderator must approve it."),
    "approve": _l("The summary is published. Followers and participants are being told."),
    "return": _l("The summary is back to draft, with your note."),
}


@bp.post("/<int:summary_id>/<any(submit, approve, return):step>")
@moderator_required
def workflow(summary_id, step):
    summary = db.get_or_404(Summary, summary_id)
    form = ReturnForm() if step == "return" else VersionForm()
    if not form.validate_on_submit():
        if form.errors.get("csrf_token"):
            abort(400)
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("summaries.edit", summary_id=summary.id))
    version = form.version.data or None
    if (step == "approve" and not confirm.confirmed()
            and permissions.can_approve(current_user, summary, services.editor_ids(summary))):
        return confirm.confirmation_page(_publish_confirmation(summary))
    try:
        if step == "submit":
            services.submit(current_user, summary, version)
        elif step == "approve":
            services.approve(current_user, summary, version)
        else:
            services.return_to_draft(current_user, summary, form.note.data, version)
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("summaries.edit", summary_id=summary_id))
    flash(str(STEP_MESSAGES[step]), "success")
    if step == "approve":
        return redirect(url_for("summaries.report", summary_id=summary.id))
    return redirect(url_for("summaries.edit", summary_id=summary.id))


@bp.route("/<int:summary_id>/response", methods=["GET", "POST"])
@moderator_required
def response(summary_id):
    summary = db.get_or_404(Summary, summary_id)
    if not permissions.can_edit_response(current_user, summary):
        abort(403)
    languages = site_languages()
    form_class = response_form_class(languages)
    if request.method == "GET":
        form = form_class(formdata=None)
        for code in languages:
            row = next((t for t in summary.translations if t.language == code), None)
            form[f"response_{code}"].data = row.response if row else ""
        form.response_on.data = summary.response_on
        form.version.data = str(summary.version)
    else:
        form = form_class()
        if form.validate_on_submit():
            try:
                services.save_response(current_user, summary, form.texts(),
                                       form.response_on.data, form.version.data or None)
            except DomainError as error:
                form.response_on.errors.append(error.message)
            else:
                flash(_("The network’s response is published."), "success")
                return redirect(url_for("summaries.report", summary_id=summary.id,
                                        _anchor="response"))
    status = 422 if form.errors else 200
    return render_template("summaries/response.html", summary=summary, form=form,
                           codes=languages,
                           title=summary.consultation.title(page_language())), status


@bp.post("/readability")
@moderator_required
def readability():
    """The readability panel of a text being written (used by static/js/summaries.js)."""
    data = request.get_json(silent=True) or {}
    language = data.get("language")
    text = data.get("text")
    if language not in site_languages() or not isinstance(text, str) \
            or len(text) > READABILITY_TEXT_MAX:
        return jsonify(error=_("The text could not be measured.")), 400
    result = measure_summary(text, language)
    html = render_template("summaries/_readability.html", result=result, code=language)
    payload: dict[str, Any] = {"html": html, "score": None}
    if result is not None and result.score is not None:
        payload.update(score=round(result.score, 1), target=result.target,
                       meets_target=result.meets_target)
    return jsonify(payload)
