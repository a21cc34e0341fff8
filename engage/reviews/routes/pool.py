"""Lay review, the moderators' side: the reviewer pool, assignments and proposals, and
the declarations of links of interest."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from engage.accounts.models import User
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.pagination import paginate
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.reviews import permissions, services
from engage.reviews.forms import AssignForm, ConfirmForm
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    ConflictDeclaration,
    FundingCall,
)
from engage.reviews.routes import (
    bp,
    forbidden_page,
    load_application,
    load_call,
    moderator_application_page,
)


@bp.get("/pool")
@moderator_required
def pool():
    page = paginate(services.pool_statement())
    profiles = services.profiles_by_user([u.id for u in page.items])
    loads = {}
    if page.items:
        loads = dict(db.session.execute(
            select(Assignment.reviewer_id, func.count(Assignment.id))
            .join(Application, Assignment.application_id == Application.id)
            .join(FundingCall, Application.call_id == FundingCall.id)
            .where(Assignment.reviewer_id.in_([u.id for u in page.items]),
                   Assignment.status == AssignmentStatus.ACTIVE,
                   FundingCall.status.in_([CallStatus.DRAFT, CallStatus.OPEN]))
            .group_by(Assignment.reviewer_id)).all())
    return render_template("reviews/pool.html", page=page, profiles=profiles, loads=loads)


@bp.post("/applications/<int:application_id>/assignments")
@moderator_required
def assign(application_id):
    application = load_application(application_id)
    if not permissions.can_assign(current_user, application.call):
        return forbidden_page(_("Reviewers can no longer be assigned in this call."))
    form = AssignForm()
    pool = db.session.scalars(services.pool_statement()).all()
    form.reviewer_id.choices = [(0, "")] + [(u.id, u.display_name) for u in pool]
    if form.validate_on_submit():
        reviewer = db.get_or_404(User, form.reviewer_id.data)
        try:
            services.assign(current_user, application, reviewer)
        except DomainError as error:
            form.reviewer_id.errors = [*form.reviewer_id.errors, error.message]
        else:
            flash(_("%(name)s has been assigned to %(acronym)s.", name=reviewer.display_name,
                    acronym=application.acronym), "success")
            return redirect(url_for("reviews.application", application_id=application.id))
    return moderator_application_page(application, assign_form=form, status=422)


@bp.post("/assignments/<int:assignment_id>/remove")
@moderator_required
def unassign(assignment_id):
    assignment = db.get_or_404(Assignment, assignment_id)
    application_id = assignment.application_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not permissions.can_assign(current_user, assignment.application.call):
        return forbidden_page(_("Reviewers can no longer be changed in this call."))
    try:
        services.unassign(current_user, assignment)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("The assignment has been removed."), "success")
    return redirect(url_for("reviews.application", application_id=application_id))


@bp.route("/calls/<int:call_id>/proposal", methods=["GET", "POST"])
@moderator_required
def proposal(call_id):
    call = load_call(call_id)
    if not permissions.can_assign(current_user, call):
        return forbidden_page(_("Reviewers can no longer be assigned in this call."))
    form = ConfirmForm()
    status = 200
    if form.validate_on_submit():
        try:
            count = services.apply_proposal(current_user, call, set(request.form.getlist("pair")))
        except DomainError as error:
            flash(error.message, "error")
            status = 422
        else:
            flash(ngettext("%(num)s assignment has been made.",
                           "%(num)s assignments have been made.", count), "success")
            return redirect(url_for("reviews.call", call_id=call.id))
    result = services.propose_assignments(call)
    return render_template("reviews/proposal.html", call=call, result=result, form=form,
                           language=page_language()), status


@bp.get("/calls/<int:call_id>/declarations")
@moderator_required
def declarations(call_id):
    call = load_call(call_id)
    page = paginate(
        select(ConflictDeclaration)
        .join(Assignment, ConflictDeclaration.assignment_id == Assignment.id)
        .join(Application, Assignment.application_id == Application.id)
        .where(Application.call_id == call.id)
        .options(joinedload(ConflictDeclaration.assignment).joinedload(Assignment.reviewer),
                 joinedload(ConflictDeclaration.assignment).joinedload(Assignment.application))
        .order_by(ConflictDeclaration.created_at.desc(), ConflictDeclaration.id.desc())
    )
    return render_template("reviews/declarations.html", call=call, page=page,
                           language=page_language())
