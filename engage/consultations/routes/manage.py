"""Pages where moderators and administrators manage themes, consultations and their
documents. The questions are in `manage_questions.py`."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from engage.consultations import permissions, services
from engage.consultations.forms import (
    ActionForm,
    DocumentForm,
    StatusForm,
    consultation_form_class,
    theme_form_class,
)
from engage.consultations.models import (
    MOVE_LABELS,
    Consultation,
    ConsultationDocument,
    ConsultationStatus,
    Theme,
)
from engage.consultations.queries import all_themes
from engage.consultations.routes import _languages, _manage_url, _managed, bp
from engage.core import confirm
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import language_label, page_language
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db

# Themes


def _theme_form(theme: Theme | None = None, formdata=None):
    form_class = theme_form_class(_languages())
    form = form_class() if formdata is not None else form_class(formdata=None)
    if theme is not None and formdata is None:
        labels = {t.language: t.label for t in theme.translations}
        for code in _languages():
            form[f"label_{code}"].data = labels.get(code, "")
    return form


@bp.route("/themes", methods=["GET", "POST"])
@moderator_required
def themes():
    form = _theme_form(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.create_theme(current_user, form.labels())
        except DomainError as error:
            form[f"label_{_languages()[0]}"].errors.append(error.message)
        else:
            flash(_("The theme has been created."), "success")
            return redirect(url_for("consultations.themes"))
    status = 422 if form.errors else 200
    return render_template("consultations/manage/themes.html", themes=all_themes(), form=form,
                           form_languages=_languages(), language=page_language()), status


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@moderator_required
def edit_theme(theme_id):
    theme = db.get_or_404(Theme, theme_id)
    form = _theme_form(theme, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_theme(current_user, theme, form.labels())
        except DomainError as error:
            form[f"label_{_languages()[0]}"].errors.append(error.message)
        else:
            flash(_("The theme has been saved."), "success")
            return redirect(url_for("consultations.themes"))
    status = 422 if form.errors else 200
    return render_template("consultations/manage/theme_form.html", theme=theme, form=form,
                           form_languages=_languages(), language=page_language()), status


# Consultations


def _consultation_form(consultation: Consultation | None = None, formdata=None):
    form_class = consultation_form_class(_languages())
    form = form_class() if formdata is not None else form_class(formdata=None)
    form.themes.choices = [(t.id, t.label(page_language())) for t in all_themes()]
    if consultation is not None and formdata is None:
        texts = {t.language: t for t in consultation.translations}
        for code in _languages():
            row = texts.get(code)
            form[f"title_{code}"].data = row.title if row else ""
            form[f"summary_{code}"].data = row.summary if row else ""
            form[f"body_{code}"].data = row.body if row else ""
        form.themes.data = [t.id for t in consultation.themes]
        form.opens_on.data = consultation.opens_on
        form.closes_on.data = consultation.closes_on
        form.audience.data = consultation.audience
        form.moderation_policy.data = consultation.moderation_policy
        form.announced.data = consultation.announced
    if consultation is None:
        form.fill_submission_key()
    return form


def _settings_from(form) -> services.ConsultationSettings:
    return services.ConsultationSettings(
        texts={
            code: services.ConsultationText(
                title=form[f"title_{code}"].data or "",
                summary=form[f"summary_{code}"].data or "",
                body=form[f"body_{code}"].data or "",
            )
            for code in form.languages
        },
        theme_ids=list(form.themes.data or []),
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        audience=form.audience.data,
        moderation_policy=form.moderation_policy.data,
        announced=bool(form.announced.data),
    )


def _form_page(form, consultation, status):
    return render_template(
        "consultations/manage/form.html", form=form, consultation=consultation,
        form_languages=_languages(), language=page_language(),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@moderator_required
def new():
    form = _consultation_form(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        key = form.submission_key.data or None
        try:
            consultation, created = services.create_consultation(
                current_user, _settings_from(form), key
            )
            db.session.flush()  # where a replay's unique-key clash shows
        except DomainError as error:
            form[f"title_{_languages()[0]}"].errors.append(error.message)
        except IntegrityError:  # the same form sent twice at once: keep the first
            db.session.rollback()
            consultation, created = services.find_by_key(Consultation, key), False
            if consultation is None:
                raise
            return redirect(_manage_url(consultation))
        else:
            if created:
                flash(_("The consultation has been created as a draft. Add its questions and "
                        "documents, then open it."), "success")
            return redirect(_manage_url(consultation))
    return _form_page(form, None, 422 if form.errors else 200)


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit(consultation_id):
    consultation = _managed(consultation_id)
    if not permissions.can_edit(current_user, consultation):
        abort(403)
    form = _consultation_form(consultation,
                              formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_consultation(current_user, consultation, _settings_from(form))
        except DomainError as error:
            form[f"title_{_languages()[0]}"].errors.append(error.message)
        else:
            flash(_("The consultation has been saved."), "success")
            return redirect(_manage_url(consultation))
    return _form_page(form, consultation, 422 if form.errors else 200)


def _document_form(formdata=None):
    form = DocumentForm() if formdata is not None else DocumentForm(formdata=None)
    form.language.choices = [("", _("Not specified"))] + [
        (code, language_label(code)) for code in _languages()
    ]
    form.fill_submission_key()
    return form


def _manage_page(consultation, document_form=None, status=200, problem=None):
    return render_template(
        "consultations/manage/manage.html",
        consultation=consultation,
        shown=consultation.translated(page_language()),
        language=page_language(),
        form_languages=_languages(),
        document_form=document_form or _document_form(),
        status_form=StatusForm(),
        action_form=ActionForm(),
        move_labels=MOVE_LABELS,
        status_confirmation=_status_confirmation(consultation, consultation.next_status),
        problem=problem,
        permissions=permissions,
    ), status


def _status_confirmation(consultation: Consultation, target) -> confirm.Confirmation | None:
    """What opening the consultation, or closing it before its closing date, will do; None
    for the other moves (and for a move that is not the next one: the service refuses it)."""
    if target is None or target != consultation.next_status:
        return None
    closes_on = format_date(consultation.closes_on, "long") if consultation.closes_on else None
    if target == ConsultationStatus.OPEN:
        what = (_("Participants will be able to answer its questions and contribute until "
                  "%(date)s, and its followers will be told.", date=closes_on) if closes_on
                else _("Participants will be able to answer its questions and contribute, and "
                       "its followers will be told."))
        return confirm.Confirmation(
            key="open-consultation", title=_("Open this consultation?"), what=what,
            cannot_undo=_("Its questions are then frozen: they can no longer be added, changed "
                          "or deleted, and the consultation cannot go back to draft."),
            button=str(MOVE_LABELS[ConsultationStatus.OPEN]),
            cancel_url=_manage_url(consultation),
        )
    if target == ConsultationStatus.CLOSED and consultation.is_accepting():
        what = (_("The consultation will close now, before its closing date (%(date)s): "
                  "participants will no longer be able to answer its questions or contribute.",
                  date=closes_on) if closes_on
                else _("The consultation will close now: participants will no longer be able "
                       "to answer its questions or contribute."))
        return confirm.Confirmation(
            key="close-consultation", title=_("Close this consultation early?"), what=what,
            cannot_undo=_("A closed consultation cannot be opened again."),
            button=str(MOVE_LABELS[ConsultationStatus.CLOSED]),
            cancel_url=_manage_url(consultation),
        )
    return None


@bp.get("/<int:consultation_id>/manage")
@moderator_required
def manage(consultation_id):
    return _manage_page(_managed(consultation_id))


@bp.post("/<int:consultation_id>/status")
@moderator_required
def change_status(consultation_id):
    consultation = _managed(consultation_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    confirmation = _status_confirmation(consultation, form.target.data)
    if confirmation is not None and not confirm.confirmed():
        return confirm.confirmation_page(confirmation)
    try:
        services.change_status(current_user, consultation, form.target.data)
    except DomainError as error:
        return _manage_page(consultation, status=422, problem=error.message)
    flash(_("The consultation is now: %(status)s.", status=consultation.status_label), "success")
    return redirect(_manage_url(consultation))


@bp.post("/<int:consultation_id>/documents")
@moderator_required
def upload_document(consultation_id):
    consultation = _managed(consultation_id)
    if not permissions.can_edit(current_user, consultation):
        abort(403)
    form = _document_form(formdata=request.form)
    if form.validate_on_submit():
        try:
            _document, created = services.add_document(
                current_user, consultation, title=form.title.data,
                language=form.language.data or None,
                file_storage=request.files.get(form.file.name),
                submission_key=form.submission_key.data or None,
            )
            db.session.flush()  # where a replay's unique-key clash shows
        except DomainError as error:
            form.file.errors = [*form.file.errors, error.message]
        except IntegrityError:  # the same upload twice at once: keep the first
            db.session.rollback()
            return redirect(_manage_url(consultation, "documents"))
        else:
            if created:
                flash(_("The document has been added."), "success")
            return redirect(_manage_url(consultation, "documents"))
    return _manage_page(consultation, form, 422)


@bp.post("/<int:consultation_id>/documents/<int:document_id>/delete")
@moderator_required
def delete_document(consultation_id, document_id):
    consultation = _managed(consultation_id)
    document = db.get_or_404(ConsultationDocument, document_id)
    if document.consultation_id != consultation.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.delete_document(current_user, document)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("The document has been removed."), "success")
    return redirect(_manage_url(consultation, "documents"))
