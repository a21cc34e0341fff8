"""Lay review, the moderators' side: the funding calls and their status."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.pagination import paginate
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.reviews import permissions, services
from engage.reviews.forms import ConfirmForm, call_form
from engage.reviews.models import Application, Assignment, FundingCall
from engage.reviews.routes import bp, forbidden_page, load_call


@bp.get("/calls")
@moderator_required
def calls():
    page = paginate(
        select(FundingCall).options(selectinload(FundingCall.translations))
        .order_by(FundingCall.review_deadline.desc(), FundingCall.id.desc())
    )
    counts = {}
    if page.items:
        counts = dict(db.session.execute(
            select(Application.call_id, func.count(Application.id))
            .where(Application.call_id.in_([c.id for c in page.items]))
            .group_by(Application.call_id)).all())
    return render_template("reviews/calls.html", page=page, counts=counts, language=page_language(),
                           can_create=permissions.can_create_call(current_user))


def _call_texts(call: FundingCall) -> dict:
    data = {}
    for row in call.translations:
        data[f"title_{row.language}"] = row.title
        data[f"description_{row.language}"] = row.description
    return data


@bp.route("/calls/new", methods=["GET", "POST"])
@moderator_required
def new_call():
    if not permissions.can_create_call(current_user):
        abort(403)
    form = call_form()
    if form.validate_on_submit():
        try:
            call = services.create_call(
                current_user, texts=form.texts(), review_opens_on=form.review_opens_on.data,
                review_deadline=form.review_deadline.data,
                reviews_per_application=form.reviews_per_application.data)
        except DomainError as error:
            first_title = form[f"title_{form.languages[0]}"]
            first_title.errors = [*first_title.errors, error.message]
        else:
            flash(_("The call has been created with the default rubric."), "success")
            return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/call_form.html", form=form, call=None), \
        422 if form.errors else 200


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_call(call_id):
    call = load_call(call_id)
    if not permissions.can_edit_call(current_user, call):
        return forbidden_page(_("This call can no longer be changed."))
    form = call_form(data={**_call_texts(call), "review_opens_on": call.review_opens_on,
                           "review_deadline": call.review_deadline,
                           "reviews_per_application": call.reviews_per_application})
    if form.validate_on_submit():
        try:
            services.update_call(
                current_user, call, texts=form.texts(), review_opens_on=form.review_opens_on.data,
                review_deadline=form.review_deadline.data,
                reviews_per_application=form.reviews_per_application.data)
        except DomainError as error:
            first_title = form[f"title_{form.languages[0]}"]
            first_title.errors = [*first_title.errors, error.message]
        else:
            flash(_("The call has been saved."), "success")
            return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/call_form.html", form=form, call=call), \
        422 if form.errors else 200


@bp.get("/calls/<int:call_id>")
@moderator_required
def call(call_id):
    call = load_call(call_id)
    page = paginate(
        select(Application).where(Application.call_id == call.id)
        .options(selectinload(Application.assignments).selectinload(Assignment.review))
        .order_by(Application.acronym)
    )
    return render_template(
        "reviews/call.html", call=call, page=page, language=page_language(),
        confirm_form=ConfirmForm(formdata=None),
        can_edit=permissions.can_edit_call(current_user, call),
        can_edit_rubric=permissions.can_edit_rubric(current_user, call),
        can_add=permissions.can_add_applications(current_user, call),
        can_assign=permissions.can_assign(current_user, call),
        can_change_status=permissions.can_change_status(current_user, call),
        can_dashboard=permissions.can_view_dashboard(current_user, call),
    )


@bp.post("/calls/<int:call_id>/status")
@moderator_required
def change_status(call_id):
    call = load_call(call_id)
    form = ConfirmForm()
    action = request.form.get("action", "")
    if not form.validate_on_submit() or action not in {"open", "close", "decide"}:
        abort(400)
    if not permissions.can_change_status(current_user, call):
        abort(403)
    try:
        services.change_call_status(current_user, call, action)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("The call is now: %(status)s.", status=call.status_label), "success")
    return redirect(url_for("reviews.call", call_id=call.id))
