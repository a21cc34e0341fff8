"""Pages where moderators and administrators write a consultation's questionnaire."""

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from engage.consultations import permissions, services
from engage.consultations.forms import ActionForm, MoveForm, question_form_class
from engage.consultations.models import Consultation, ConsultationQuestion, QuestionKind
from engage.consultations.routes import _languages, _manage_url, _managed, bp
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db


def _question_form(question: ConsultationQuestion | None = None, formdata=None):
    form_class = question_form_class(_languages())
    form = form_class() if formdata is not None else form_class(formdata=None)
    if question is not None and formdata is None:
        form.kind.data = question.kind
        form.required.data = question.required
        texts = {t.language: t for t in question.translations}
        for code in _languages():
            row = texts.get(code)
            form[f"text_{code}"].data = row.text if row else ""
            form[f"hint_{code}"].data = row.hint if row else ""
            form[f"scale_min_{code}"].data = row.scale_min_label if row else ""
            form[f"scale_max_{code}"].data = row.scale_max_label if row else ""
            labels = [next((t.label for t in o.translations if t.language == code), "")
                      for o in question.options]
            form[f"options_{code}"].data = "\n".join(labels) if any(labels) else ""
    if question is None:
        form.fill_submission_key()
    return form


def _question_texts(form) -> dict[str, services.QuestionText]:
    return {
        code: services.QuestionText(
            text=form[f"text_{code}"].data or "",
            hint=form[f"hint_{code}"].data or "",
            scale_min_label=form[f"scale_min_{code}"].data or "",
            scale_max_label=form[f"scale_max_{code}"].data or "",
            options=form.option_lines(code),
        )
        for code in form.languages
    }


def _question_page(form, consultation, question, status):
    return render_template(
        "consultations/manage/question_form.html", form=form, consultation=consultation,
        shown=consultation.translated(page_language()), question=question,
        form_languages=_languages(), kinds=QuestionKind,
    ), status


@bp.route("/<int:consultation_id>/questions/new", methods=["GET", "POST"])
@moderator_required
def new_question(consultation_id):
    consultation = _managed(consultation_id)
    if not permissions.can_edit_questions(current_user, consultation):
        abort(403)
    form = _question_form(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            _question, created = services.add_question(
                current_user, consultation, kind=form.kind.data, required=form.required.data,
                texts=_question_texts(form), submission_key=form.submission_key.data or None,
            )
            db.session.flush()  # where a replay's unique-key clash shows
        except DomainError as error:
            form[f"text_{_languages()[0]}"].errors.append(error.message)
        except IntegrityError:  # the same form sent twice at once: keep the first
            db.session.rollback()
            return redirect(_manage_url(consultation, "questions"))
        else:
            if created:
                flash(_("The question has been added."), "success")
            return redirect(_manage_url(consultation, "questions"))
    return _question_page(form, consultation, None, 422 if form.errors else 200)


def _managed_question(consultation: Consultation, question_id: int) -> ConsultationQuestion:
    question = db.get_or_404(ConsultationQuestion, question_id)
    if question.consultation_id != consultation.id:
        abort(404)
    return question


@bp.route("/<int:consultation_id>/questions/<int:question_id>", methods=["GET", "POST"])
@moderator_required
def edit_question(consultation_id, question_id):
    consultation = _managed(consultation_id)
    question = _managed_question(consultation, question_id)
    if not permissions.can_edit_questions(current_user, consultation):
        abort(403)
    form = _question_form(question, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_question(current_user, question, kind=form.kind.data,
                                     required=form.required.data, texts=_question_texts(form))
        except DomainError as error:
            form[f"text_{_languages()[0]}"].errors.append(error.message)
        else:
            flash(_("The question has been saved."), "success")
            return redirect(_manage_url(consultation, "questions"))
    return _question_page(form, consultation, question, 422 if form.errors else 200)


@bp.post("/<int:consultation_id>/questions/<int:question_id>/delete")
@moderator_required
def delete_question(consultation_id, question_id):
    consultation = _managed(consultation_id)
    question = _managed_question(consultation, question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.delete_question(current_user, question)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("The question has been deleted."), "success")
    return redirect(_manage_url(consultation, "questions"))


@bp.post("/<int:consultation_id>/questions/<int:question_id>/move")
@moderator_required
def move_question(consultation_id, question_id):
    consultation = _managed(consultation_id)
    question = _managed_question(consultation, question_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.move_question(current_user, question, form.direction.data)
    except DomainError as error:
        flash_refusal(error)
    return redirect(_manage_url(consultation, "questions"))
