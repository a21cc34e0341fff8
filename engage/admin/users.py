"""People management: the list of accounts, a person's page, invitations, roles,
deactivation, and the confirmation and invitation emails sent again. Routes of the admin
blueprint (`engage.admin.routes.bp`)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts import services
from engage.accounts.forms import ChangeRoleForm, ConfirmActionForm, DeactivateForm, InviteForm
from engage.accounts.models import AccountState, Role, User
from engage.admin import permissions, queries
from engage.admin.routes import bp
from engage.core.auth import admin_required
from engage.core.errors import DomainError
from engage.core.pagination import paginate
from engage.core.rate_limits import setting
from engage.core.unit_of_work import flash_refusal
from engage.extensions import limiter

# Emails sent again to one person, whoever asks: an address is not flooded.
RESEND_LIMIT = "3 per hour;10 per day"


def _emails_to_the_person() -> str:
    return f"admin-resend:{(request.view_args or {}).get('user_id')}"


resend_limit = limiter.limit(setting("RATELIMIT_ADMIN_RESEND", RESEND_LIMIT), methods=["POST"],
                             key_func=_emails_to_the_person)


@bp.get("/users")
@admin_required
def users():
    filters = queries.UserFilters.from_request(request)
    page = paginate(queries.user_list(filters))
    return render_template(
        "admin/users.html", page=page, filters=filters, roles=Role.choices(),
        states=[(state.value, state.label) for state in queries.LISTED_STATES],
        associations=queries.association_choices(),
    )


def _person_or_404(user_id: int) -> User:
    user = queries.person(user_id)
    if user is None:
        abort(404)
    return user


def _user_page(user: User, *, role_form=None, deactivate_form=None, status=200):
    return render_template(
        "admin/user.html", person=user, permissions=permissions,
        activity=queries.activity(user.id), history=queries.history(user.id),
        role_form=role_form or ChangeRoleForm(formdata=None, prefix="role", role=user.role),
        deactivate_form=deactivate_form or DeactivateForm(formdata=None, prefix="deactivate"),
        action_form=ConfirmActionForm(formdata=None), states=AccountState,
    ), status


@bp.get("/users/<int:user_id>")
@admin_required
def user(user_id):
    return _user_page(_person_or_404(user_id))


@bp.route("/users/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = InviteForm()
    existing = None
    if form.validate_on_submit():
        try:
            invited = services.invite(current_user, email=form.email.data,
                                      display_name=form.display_name.data, role=form.role.data,
                                      language=form.language.data)
        except services.AccountExists as error:
            existing = error.user
            form.email.errors.append(error.message)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            flash(_("%(name)s is invited: the invitation has been sent to %(email)s.",
                    name=invited.display_name, email=invited.email), "success")
            return redirect(url_for("admin.user", user_id=invited.id))
    status = 422 if form.errors else 200
    return render_template("admin/invite.html", form=form, existing=existing), status


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id):
    user = _person_or_404(user_id)
    form = ChangeRoleForm(prefix="role")
    if form.validate_on_submit():
        try:
            services.change_role(current_user, user, form.role.data, form.reason.data)
        except DomainError as error:
            form.role.errors.append(error.message)
        else:
            flash(_("The role of %(name)s is now: %(role)s.", name=user.display_name,
                    role=Role(user.role).label), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, role_form=form, status=422)


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id):
    user = _person_or_404(user_id)
    form = DeactivateForm(prefix="deactivate")
    if form.validate_on_submit():
        try:
            services.deactivate(current_user, user, form.reason.data)
        except DomainError as error:
            form.reason.errors.append(error.message)
        else:
            flash(_("The account of %(name)s is deactivated: they can no longer sign in.",
                    name=user.display_name), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, deactivate_form=form, status=422)


def _simple_action(user_id: int, action, done_message: str):
    """A button with nothing to type: the action, then back to the person's page, with
    the outcome or the refusal said there."""
    user = _person_or_404(user_id)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, user)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(done_message % {"name": user.display_name, "email": user.email}, "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id):
    return _simple_action(user_id, services.reactivate,
                          _("The account of %(name)s is active again."))


@bp.post("/users/<int:user_id>/resend-confirmation")
@admin_required
@resend_limit
def resend_confirmation(user_id):
    return _simple_action(user_id, services.resend_confirmation_by_admin,
                          _("A new confirmation link has been sent to %(email)s."))


@bp.post("/users/<int:user_id>/resend-invitation")
@admin_required
@resend_limit
def resend_invitation(user_id):
    return _simple_action(user_id, services.resend_invitation,
                          _("A new invitation has been sent to %(email)s; the earlier links "
                            "no longer work."))
