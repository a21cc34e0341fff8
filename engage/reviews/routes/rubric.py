"""Lay review, the moderators' side: the rubric (criteria) of a call."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.reviews import permissions, services
from engage.reviews.forms import ConfirmForm, criterion_form
from engage.reviews.models import Criterion, FundingCall
from engage.reviews.routes import bp, forbidden_page, load_call


def _criterion_texts(criterion: Criterion) -> dict:
    data = {}
    for row in criterion.translations:
        data[f"label_{row.language}"] = row.label
        data[f"guidance_{row.language}"] = row.guidance
    return data


@bp.route("/calls/<int:call_id>/criteria", methods=["GET", "POST"])
@moderator_required
def criteria(call_id):
    call = load_call(call_id)
    form = criterion_form()
    status = 200
    if request.method == "POST":
        if not permissions.can_edit_rubric(current_user, call):
            return forbidden_page(_("The rubric can only be changed while the call is a draft."))
        if form.validate_on_submit():
            try:
                services.add_criterion(current_user, call, form.texts())
            except DomainError as error:
                first_label = form[f"label_{form.languages[0]}"]
                first_label.errors = [*first_label.errors, error.message]
            else:
                flash(_("The criterion has been added."), "success")
                return redirect(url_for("reviews.criteria", call_id=call.id))
        status = 422
    return render_template(
        "reviews/criteria.html", call=call, form=form, language=page_language(),
        confirm_form=ConfirmForm(formdata=None),
        can_edit=permissions.can_edit_rubric(current_user, call)), status


def _load_criterion(criterion_id) -> Criterion:
    return db.first_or_404(
        select(Criterion).where(Criterion.id == criterion_id)
        .options(selectinload(Criterion.translations),
                 joinedload(Criterion.call).selectinload(FundingCall.criteria))
    )


@bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@moderator_required
def edit_criterion(criterion_id):
    criterion = _load_criterion(criterion_id)
    if not permissions.can_edit_rubric(current_user, criterion.call):
        return forbidden_page(_("The rubric can only be changed while the call is a draft."))
    form = criterion_form(data=_criterion_texts(criterion))
    if form.validate_on_submit():
        try:
            services.update_criterion(current_user, criterion, form.texts())
        except DomainError as error:
            first_label = form[f"label_{form.languages[0]}"]
            first_label.errors = [*first_label.errors, error.message]
        else:
            flash(_("The criterion has been saved."), "success")
            return redirect(url_for("reviews.criteria", call_id=criterion.call_id))
    return render_template("reviews/criterion_form.html", form=form, criterion=criterion,
                           call=criterion.call, language=page_language()), \
        422 if form.errors else 200


@bp.post("/criteria/<int:criterion_id>/delete")
@moderator_required
def delete_criterion(criterion_id):
    criterion = _load_criterion(criterion_id)
    call_id = criterion.call_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not permissions.can_edit_rubric(current_user, criterion.call):
        return forbidden_page(_("The rubric can only be changed while the call is a draft."))
    try:
        services.delete_criterion(current_user, criterion)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("The criterion has been removed."), "success")
    return redirect(url_for("reviews.criteria", call_id=call_id))
