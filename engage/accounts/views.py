"""Registration, sign-in, email links and the account settings pages."""

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.accounts import permissions, services
from engage.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmActionForm,
    DeleteAccountForm,
    ProfileForm,
    RegistrationForm,
    RepresentationRequestForm,
    RequestPasswordResetForm,
    ResetPasswordForm,
    SignInForm,
)
from engage.accounts.models import Association, Membership
from engage.accounts.personal_data import collect_personal_data
from engage.accounts.tokens import InvalidToken
from engage.core import registry
from engage.core.errors import DomainError
from engage.core.i18n import best_language
from engage.core.navigation import redirect_back
from engage.core.sessions import start_session
from engage.extensions import db, limiter

bp = Blueprint("accounts", __name__, url_prefix="/<lang_code>/account")


def _sign_in_limit():
    return current_app.config["RATELIMIT_SIGN_IN"]


def _submitted_account():
    """Rate-limit key of the account a sign-in or reset targets, whatever the IP address."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _register_limit():
    return current_app.config["RATELIMIT_REGISTER"]


def _token_error_message(error: InvalidToken) -> str:
    if error.expired:
        return _("This link has expired. Please ask for a new one.")
    return _("This link is not valid. It may have been used already or copied incompletely.")


def _link_problem(message, status):
    return render_template("accounts/link_problem.html", message=message), status


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegistrationForm()
    if form.validate_on_submit():
        services.register(
            email=form.email.data,
            display_name=form.display_name.data,
            password=form.password.data,
            language=best_language(),
            participant_type=form.participant_type.data,
            departement=form.departement.data,
            pseudonym=form.pseudonym.data,
            use_pseudonym=form.use_pseudonym.data,
            lay_reviewer=form.lay_reviewer.data,
        )
        db.session.commit()
        # The same page whether or not the address already had an account.
        return redirect(url_for("accounts.check_your_email"))
    return render_template("accounts/register.html", form=form), 200 if not form.errors else 422


@bp.get("/check-your-email")
def check_your_email():
    return render_template("accounts/check_your_email.html")


@bp.get("/confirm/<token>")
def confirm_email(token):
    try:
        user = services.confirm_email(token)
    except InvalidToken as error:
        return _link_problem(_token_error_message(error), 400)
    except DomainError as error:
        return _link_problem(error.message, 409)
    db.session.commit()
    flash(_("Thank you, your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("accounts.settings"))
    return redirect(url_for("accounts.sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], key_func=_submitted_account)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email address or the password is not correct."))
        elif not user.is_confirmed:
            services.resend_confirmation(user)
            db.session.commit()
            form.email.errors.append(
                _("Please confirm your email address first. We have sent you a new link.")
            )
        else:
            db.session.commit()
            start_session(user, remember=form.remember_me.data)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            if request.values.get("next"):
                return redirect_back()
            return redirect(url_for("pages.home", lang_code=user.language))
        form.password.data = ""
        return render_template("accounts/sign_in.html", form=form), 401
    return render_template("accounts/sign_in.html", form=form), 200 if not form.errors else 422


@bp.post("/sign-out")
@login_required
def sign_out():
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], key_func=_submitted_account)
def request_password_reset():
    form = RequestPasswordResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("accounts/reset_requested.html", email=form.email.data)
    status = 200 if not form.errors else 422
    return render_template("accounts/request_password_reset.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except InvalidToken as error:
        return _link_problem(_token_error_message(error), 400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. You can now sign in."), "success")
        return redirect(url_for("accounts.sign_in"))
    status = 200 if not form.errors else 422
    return render_template("accounts/reset_password.html", form=form), status


# The settings page holds several forms: prefixes keep their field ids apart.
SETTINGS_FORMS = {
    "profile_form": (ProfileForm, "profile"),
    "password_form": (ChangePasswordForm, "password"),
    "email_form": (ChangeEmailForm, "email"),
    "representation_form": (RepresentationRequestForm, "representation"),
}


def _settings_form(name: str, submitted: bool):
    form_class, prefix = SETTINGS_FORMS[name]
    kwargs = {"prefix": prefix}
    if not submitted:
        kwargs["formdata"] = None
    if form_class is ProfileForm:
        kwargs["obj"] = current_user
    form = form_class(**kwargs)
    if form_class is RepresentationRequestForm:
        form.association_id.choices = [
            (a.id, a.name)
            for a in db.session.scalars(select(Association).order_by(Association.name))
        ]
    return form


def _settings_page(status=200, **submitted_forms):
    forms = {name: _settings_form(name, submitted=False) for name in SETTINGS_FORMS}
    forms.update(submitted_forms)
    return render_template(
        "accounts/settings.html", memberships=current_user.memberships, **forms
    ), status


@bp.get("/")
@login_required
def settings():
    return _settings_page()


@bp.post("/profile")
@login_required
def update_profile():
    form = _settings_form("profile_form", submitted=True)
    if not form.validate_on_submit():
        return _settings_page(422, profile_form=form)
    services.update_profile(
        current_user,
        display_name=form.display_name.data,
        participant_type=form.participant_type.data,
        departement=form.departement.data,
        pseudonym=form.pseudonym.data,
        use_pseudonym=form.use_pseudonym.data,
        lay_reviewer=form.lay_reviewer.data,
        language=form.language.data,
    )
    db.session.commit()
    flash(_("Your profile has been saved."), "success")
    # Show the settings in the language just chosen.
    return redirect(url_for("accounts.settings", lang_code=current_user.language))


@bp.post("/password")
@login_required
def change_password():
    form = _settings_form("password_form", submitted=True)
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            form.current_password.errors.append(error.message)
        else:
            db.session.commit()
            # The session id changed with the password: keep this session, the others end.
            start_session(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(422, password_form=form)


@bp.post("/email")
@login_required
def change_email():
    form = _settings_form("email_form", submitted=True)
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.current_password.data, form.email.data)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _("We have sent a confirmation link to %(email)s. Your address will change "
                  "once you follow it.", email=form.email.data),
                "success",
            )
            return redirect(url_for("accounts.settings"))
    return _settings_page(422, email_form=form)


@bp.post("/representation")
@login_required
def request_representation():
    form = _settings_form("representation_form", submitted=True)
    if not permissions.can_request_representation(current_user):
        form.association_id.errors = [_("Please confirm your email address first.")]
        return _settings_page(403, representation_form=form)
    if form.validate_on_submit():
        association = db.get_or_404(Association, form.association_id.data)
        try:
            services.request_representation(current_user, association, form.message.data or "")
        except DomainError as error:
            form.association_id.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your request has been sent to the moderators."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(422, representation_form=form)


@bp.get("/associations")
def associations():
    """Public list of the associations taking part."""
    items = db.session.scalars(
        select(Association).order_by(Association.name)
        .options(selectinload(Association.memberships).selectinload(Membership.user))
    ).all()
    return render_template("accounts/associations.html", associations=items)


@bp.get("/my-data")
@login_required
def my_data():
    data = collect_personal_data(current_user)
    return render_template("accounts/my_data.html", sections=registry.of().personal_data, data=data)


@bp.get("/my-data.json")
@login_required
def my_data_json():
    body = json.dumps(collect_personal_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="engage-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/consent/withdraw")
@login_required
def withdraw_consent():
    if ConfirmActionForm().validate_on_submit():
        services.withdraw_consent(current_user)
        db.session.commit()
        flash(_("Your consent is withdrawn. You can still read, but you can no longer take "
                "part until you give it again."), "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/consent/give")
@login_required
def give_consent():
    if ConfirmActionForm().validate_on_submit():
        services.give_consent_again(current_user)
        db.session.commit()
        flash(_("Thank you, your consent is recorded. You can take part again."), "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if ConfirmActionForm().validate_on_submit():
        services.sign_out_everywhere(current_user)
        db.session.commit()
        logout_user()
        flash(_("You are signed out on every device."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data, form.delete_content.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account has been deleted. Thank you for taking part."), "success")
            return redirect(url_for("pages.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/delete_account.html", form=form), status
