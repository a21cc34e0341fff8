"""Answering a consultation's questionnaire."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from engage.consultations import participation, questionnaire
from engage.consultations.forms import ActionForm
from engage.consultations.routes import _detail_url, _load, bp
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.extensions import db


def _questionnaire_page(consultation, values, errors=None, status=200, problem=None):
    response = participation.response_of(current_user, consultation)
    return render_template(
        "consultations/questionnaire.html",
        consultation=consultation,
        shown=consultation.translated(page_language()),
        language=page_language(),
        questions=consultation.questions,
        values=values,
        errors=errors or {},
        response=response,
        problem=problem,
        field_name=questionnaire.field_name,
        form=ActionForm(),
    ), status


@bp.get("/<int:consultation_id>/questionnaire")
@login_required
def answer(consultation_id):
    consultation = _load(consultation_id)
    if not consultation.questions:
        abort(404)
    refusal = participation.participation_refusal(current_user, consultation)
    response = participation.response_of(current_user, consultation)
    stored = questionnaire.answers_as_form(consultation.questions,
                                           response.answers if response else [])
    values = questionnaire.FormValues(stored=stored)
    return _questionnaire_page(consultation, values, problem=refusal,
                               status=403 if refusal else 200)


@bp.post("/<int:consultation_id>/questionnaire")
@login_required
def save_answers(consultation_id):
    consultation = _load(consultation_id)
    if not consultation.questions:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    values = questionnaire.FormValues(form=request.form)
    refusal = participation.participation_refusal(current_user, consultation)
    if refusal:
        return _questionnaire_page(consultation, values, problem=refusal, status=403)
    submit = request.form.get("action") != "draft"
    for attempt in (1, 2):
        try:
            response = participation.save_response(current_user, consultation, request.form,
                                                   submit=submit)
            db.session.flush()  # where a replay's unique-key clash shows
            break
        except participation.InvalidAnswers as error:
            return _questionnaire_page(consultation, values, errors=error.errors, status=422)
        except DomainError as error:
            return _questionnaire_page(consultation, values, problem=error.message, status=422)
        except IntegrityError:
            # The same form sent twice at once: the other request created the response;
            # save again onto it.
            db.session.rollback()
            if attempt == 2:
                raise
    if response.is_submitted:
        flash(_("Thank you, your answers are saved. You can change them until the "
                "consultation closes."), "success")
        return redirect(_detail_url(consultation, "questionnaire"))
    flash(_("Your draft is saved. Come back to finish it before the consultation closes."),
          "success")
    return redirect(url_for("consultations.answer", consultation_id=consultation.id))
