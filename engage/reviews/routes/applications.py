"""Lay review, the moderators' side: a call's applications (added, edited, imported)
and the decision on each."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.unit_of_work import after_commit
from engage.reviews import permissions, services, storage
from engage.reviews.forms import ApplicationForm, DecisionForm, ImportForm
from engage.reviews.importer import ImportProblems
from engage.reviews.routes import (
    bp,
    forbidden_page,
    load_application,
    load_call,
    moderator_application_page,
)


def _uploaded_pdf(form: ApplicationForm):
    """(bytes, name) of the uploaded PDF, None if none; errors go next to the field."""
    upload = form.pdf.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return storage.PROJECT_PDFS.read(upload.stream), upload.filename
    except DomainError as error:
        form.pdf.errors = [*form.pdf.errors, error.message]
        return False


@bp.route("/calls/<int:call_id>/applications/new", methods=["GET", "POST"])
@moderator_required
def new_application(call_id):
    call = load_call(call_id)
    if not permissions.can_add_applications(current_user, call):
        return forbidden_page(_("Applications can no longer be added to this call."))
    form = ApplicationForm()
    if request.method == "GET":
        form.summary_language.data = page_language()
    if form.validate_on_submit():
        pdf = _uploaded_pdf(form)
        if pdf is not False:
            try:
                application = services.create_application(
                    current_user, call, pdf=pdf[0] if pdf else None,
                    pdf_name=pdf[1] if pdf else None, **form.values())
            except DomainError as error:
                form.acronym.errors = [*form.acronym.errors, error.message]
            else:
                flash(_("The application %(acronym)s has been added.",
                        acronym=application.acronym), "success")
                return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/application_form.html", form=form, call=call,
                           application=None, language=page_language()), \
        422 if form.errors else 200


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_application(application_id):
    application = load_application(application_id)
    call = application.call
    if not permissions.can_add_applications(current_user, call):
        return forbidden_page(_("Applications can no longer be changed in this call."))
    form = ApplicationForm(obj=application)
    if form.validate_on_submit():
        pdf = _uploaded_pdf(form)
        if pdf is not False:
            try:
                old_pdf = services.update_application(
                    current_user, application, pdf=pdf[0] if pdf else None,
                    pdf_name=pdf[1] if pdf else None, remove_pdf=form.remove_pdf.data,
                    **form.values())
            except DomainError as error:
                form.acronym.errors = [*form.acronym.errors, error.message]
            else:
                after_commit(lambda: storage.PROJECT_PDFS.delete(old_pdf))
                flash(_("The application has been saved."), "success")
                return redirect(url_for("reviews.application", application_id=application.id))
    return render_template("reviews/application_form.html", form=form, call=call,
                           application=application, language=page_language()), \
        422 if form.errors else 200


@bp.route("/calls/<int:call_id>/import", methods=["GET", "POST"])
@moderator_required
def import_applications(call_id):
    call = load_call(call_id)
    if not permissions.can_add_applications(current_user, call):
        return forbidden_page(_("Applications can no longer be added to this call."))
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not getattr(upload, "filename", ""):
            form.file.errors = [_("Please choose a CSV file.")]
        else:
            try:
                imported = services.import_applications(
                    current_user, call, upload.stream.read(),
                    current_app.config["LANGUAGES"])
            except ImportProblems as error:
                problems = error.problems
                form.file.errors = [error.message]
            else:
                flash(ngettext("%(num)s application has been imported.",
                               "%(num)s applications have been imported.", len(imported)),
                      "success")
                return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/import.html", form=form, call=call, problems=problems,
                           language=page_language()), 422 if form.errors else 200


@bp.post("/applications/<int:application_id>/decision")
@moderator_required
def record_decision(application_id):
    application = load_application(application_id)
    form = DecisionForm()
    if not permissions.can_record_decision(current_user, application.call):
        return forbidden_page(_("Decisions are recorded once the call is marked as decided."))
    if form.validate_on_submit():
        try:
            services.record_decision(current_user, application, form.decision.data,
                                     form.decision_note.data)
        except DomainError as error:
            form.decision.errors = [*form.decision.errors, error.message]
        else:
            flash(_("The decision on %(acronym)s has been recorded.",
                    acronym=application.acronym), "success")
            return redirect(url_for("reviews.application", application_id=application.id))
    return moderator_application_page(application, decision_form=form, status=422)
