"""Administration pages. Admins manage users and associations; moderators decide
representation requests."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from engage.accounts import services
from engage.accounts.forms import AssociationForm, DecisionForm, RoleForm
from engage.accounts.models import Association, Membership, MembershipStatus, Role, User
from engage.core.auth import admin_required, moderator_required
from engage.core.errors import DomainError
from engage.core.pagination import paginate
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/<lang_code>/admin")


@bp.get("/users")
@admin_required
def users():
    query = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern))
        )
    if role in {r.value for r in Role}:
        statement = statement.where(User.role == role)
    page = paginate(statement)
    role_forms = {user.id: RoleForm(formdata=None, role=user.role) for user in page.items}
    return render_template(
        "admin/users.html", page=page, query=query, role=role, roles=Role, role_forms=role_forms
    )


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.change_role(current_user, user, form.role.data)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash(_("The role of %(name)s is now: %(role)s.", name=user.display_name,
                    role=Role(user.role).label), "success")
    else:
        flash(_("Please choose a role from the list."), "error")
    return redirect(url_for("admin.users", q=request.args.get("q") or None))


@bp.get("/associations")
@admin_required
def associations():
    page = paginate(select(Association).order_by(Association.name))
    return render_template("admin/associations.html", page=page)


@bp.route("/associations/new", methods=["GET", "POST"])
@admin_required
def new_association():
    form = AssociationForm()
    if form.validate_on_submit():
        try:
            services.create_association(
                current_user,
                name=form.name.data,
                accreditation=form.accreditation.data,
                description_fr=form.description_fr.data or "",
                description_en=form.description_en.data or "",
                website=form.website.data,
            )
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("The association has been created."), "success")
            return redirect(url_for("admin.associations"))
    status = 422 if form.errors else 200
    return render_template("admin/association_form.html", form=form, association=None), status


@bp.route("/associations/<int:association_id>", methods=["GET", "POST"])
@admin_required
def edit_association(association_id):
    association = db.get_or_404(Association, association_id)
    form = AssociationForm(obj=association)
    if form.validate_on_submit():
        try:
            services.update_association(
                current_user,
                association,
                name=form.name.data,
                accreditation=form.accreditation.data,
                description_fr=form.description_fr.data or "",
                description_en=form.description_en.data or "",
                website=form.website.data,
            )
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("The association has been saved."), "success")
            return redirect(url_for("admin.associations"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/association_form.html", form=form, association=association
    ), status


@bp.get("/representation-requests")
@moderator_required
def representation_requests():
    page = paginate(
        select(Membership)
        .where(Membership.status == MembershipStatus.REQUESTED)
        .options(joinedload(Membership.user), joinedload(Membership.association))
        .order_by(Membership.created_at)
    )
    return render_template(
        "admin/representation_requests.html", page=page, decision_form=DecisionForm()
    )


@bp.post("/representation-requests/<int:membership_id>")
@moderator_required
def decide_representation(membership_id):
    membership = db.get_or_404(Membership, membership_id)
    decision = request.form.get("decision")
    form = DecisionForm()
    if decision not in {"approve", "decline"} or not form.validate_on_submit():
        abort(400)
    try:
        services.decide_representation(current_user, membership, decision == "approve")
    except DomainError as error:
        flash_refusal(error)
    else:
        if decision == "approve":
            flash(_("%(name)s now represents %(association)s.", name=membership.user.display_name,
                    association=membership.association.name), "success")
        else:
            flash(_("The request has been declined."), "success")
    return redirect(url_for("admin.representation_requests"))


@bp.get("/jobs")
@admin_required
def jobs():
    """Background jobs that failed every try (the dead letters)."""
    from engage.core import jobs as background

    enabled = bool(current_app.config.get("REDIS_URL"))
    failed = background.failed_jobs() if enabled else []
    return render_template("admin/jobs.html", enabled=enabled, failed=failed,
                           form=DecisionForm())


@bp.post("/jobs/<job_id>")
@admin_required
def handle_job(job_id):
    from engage.core import jobs as background

    form = DecisionForm()
    action = request.form.get("action")
    if not current_app.config.get("REDIS_URL") or action not in {"retry", "delete"} \
            or not form.validate_on_submit():
        abort(400)
    if action == "retry":
        background.requeue_failed(job_id)
        flash(_("The job is queued again."), "success")
    else:
        background.delete_failed(job_id)
        flash(_("The job has been deleted."), "success")
    return redirect(url_for("admin.jobs"))
