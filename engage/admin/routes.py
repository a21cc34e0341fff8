"""Administration pages. Admins manage associations; moderators decide representation
requests. The people pages (accounts, roles, invitations) are in engage/admin/users.py, on
this blueprint."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from engage.accounts import services
from engage.accounts.forms import (
    REPRESENTATION_DECISIONS,
    AssociationForm,
    DecisionForm,
    RepresentationDecisionForm,
)
from engage.accounts.models import (
    ALREADY_DECIDED,
    Association,
    InvalidAccreditation,
    Membership,
    MembershipStatus,
)
from engage.core.auth import admin_required, moderator_required
from engage.core.errors import DomainError
from engage.core.pagination import paginate
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/<lang_code>/admin")


@bp.get("/associations")
@admin_required
def associations():
    page = paginate(select(Association).options(joinedload(Association.accreditation_set_by))
                    .order_by(Association.name))
    return render_template("admin/associations.html", page=page)


def _association_fields(form: AssociationForm) -> dict:
    return {
        "name": form.name.data,
        "accreditation": form.accreditation.data,
        "accreditation_number": form.accreditation_number.data,
        "accredited_on": form.accredited_on.data,
        "description_fr": form.description_fr.data or "",
        "description_en": form.description_en.data or "",
        "website": form.website.data,
    }


def _show_association_refusal(form: AssociationForm, error: DomainError) -> None:
    """A refused save, next to the field concerned."""
    if isinstance(error, InvalidAccreditation):
        for name, message in error.problems.items():
            form[name].errors.append(message)
    else:
        form.name.errors.append(error.message)


@bp.route("/associations/new", methods=["GET", "POST"])
@admin_required
def new_association():
    form = AssociationForm()
    if form.validate_on_submit():
        try:
            services.create_association(current_user, **_association_fields(form))
        except DomainError as error:
            _show_association_refusal(form, error)
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
            services.update_association(current_user, association, **_association_fields(form))
        except DomainError as error:
            _show_association_refusal(form, error)
        else:
            flash(_("The association has been saved."), "success")
            return redirect(url_for("admin.associations"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/association_form.html", form=form, association=association
    ), status


def _decision_form(membership: Membership, submitted: bool = False):
    """The decision form of one request. A page lists several: the field's id and label
    name the request."""
    form = RepresentationDecisionForm() if submitted \
        else RepresentationDecisionForm(formdata=None)
    form.message.id = f"message-{membership.id}"
    form.message.label.text = _("Message to %(name)s", name=membership.user.display_name)
    return form


@bp.get("/representation-requests")
@moderator_required
def representation_requests():
    page = paginate(
        select(Membership)
        .where(Membership.status == MembershipStatus.REQUESTED)
        .options(joinedload(Membership.user), joinedload(Membership.association))
        .order_by(Membership.created_at)
    )
    forms = {membership.id: _decision_form(membership) for membership in page.items}
    return render_template("admin/representation_requests.html", page=page, forms=forms)


@bp.route("/representation-requests/<int:membership_id>", methods=["GET", "POST"])
@moderator_required
def decide_representation(membership_id):
    """One request: its page (where a refused decision comes back), and the decision."""
    membership = db.get_or_404(Membership, membership_id)
    if request.method == "GET":
        return render_template("admin/representation_request.html", membership=membership,
                               form=_decision_form(membership))
    decision = request.form.get("decision")
    if decision not in REPRESENTATION_DECISIONS:
        abort(400)
    if membership.status != MembershipStatus.REQUESTED:  # decided meanwhile
        flash_refusal(DomainError(ALREADY_DECIDED))
        return redirect(url_for("admin.representation_requests"))
    form = _decision_form(membership, submitted=True)
    if form.validate_on_submit():
        try:
            services.decide_representation(current_user, membership, decision == "approve",
                                           form.message.data or "")
        except DomainError as error:
            form.message.errors.append(error.message)
        else:
            if decision == "approve":
                flash(_("%(name)s now represents %(association)s.",
                        name=membership.user.display_name,
                        association=membership.association.name), "success")
            else:
                flash(_("The request has been declined."), "success")
            return redirect(url_for("admin.representation_requests"))
    return render_template("admin/representation_request.html", membership=membership,
                           form=form), 422


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
