"""Registration, sign-in and sign-out, the email links, the password reset, and the public
list of associations."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.accounts import permissions, services
from engage.accounts.forms import (
    AcceptInvitationForm,
    RegistrationForm,
    RequestPasswordResetForm,
    ResetPasswordForm,
    SignInForm,
)
from engage.accounts.models import Association, Membership
from engage.accounts.routes import bp
from engage.accounts.tokens import InvalidToken
from engage.core.errors import DomainError
from engage.core.i18n import best_language
from engage.core.navigation import redirect_back
from engage.core.sessions import end_session, start_session
from engage.core.unit_of_work import keep_despite_error_answer
from engage.extensions import db, limiter


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
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.AccountDeactivated as error:
            form.password.data = ""
            form.email.errors.append(error.message)
            return render_template("accounts/sign_in.html", form=form), 403
        if user is None:
            form.password.errors.append(_("The email address or the password is not correct."))
        elif not user.is_confirmed:
            services.resend_confirmation(user)
            # The new link must reach them although the form answers with an error.
            keep_despite_error_answer()
            form.email.errors.append(
                _("Please confirm your email address first. We have sent you a new link.")
            )
        else:
            start_session(user, remember=form.remember_me.data)
            if request.values.get("next"):
                flash(_("Welcome, %(name)s.", name=user.display_name), "success")
                return redirect_back()
            # Home in the person's own language: the welcome is said in it too.
            with force_locale(user.language):
                flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(url_for("pages.home", lang_code=user.language))
        form.password.data = ""
        return render_template("accounts/sign_in.html", form=form), 401
    return render_template("accounts/sign_in.html", form=form), 200 if not form.errors else 422


@bp.post("/sign-out")
@login_required
def sign_out():
    end_session()
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], key_func=_submitted_account)
def request_password_reset():
    form = RequestPasswordResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, language=best_language())
        return render_template("accounts/reset_requested.html", email=form.email.data)
    status = 200 if not form.errors else 422
    return render_template("accounts/request_password_reset.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def reset_password(token):
    try:
        user = services.user_for_reset_token(token)
    except InvalidToken as error:
        return _link_problem(_token_error_message(error), 400)
    form = ResetPasswordForm(account=user)
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        end_session()
        flash(_("Your password has been changed. You can now sign in."), "success")
        return redirect(url_for("accounts.sign_in"))
    status = 200 if not form.errors else 422
    return render_template("accounts/reset_password.html", form=form), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def accept_invitation(token):
    """An administrator's invitation: the person chooses a password and gives their
    consent, and is signed in."""
    try:
        user = services.user_for_invitation(token)
    except InvalidToken as error:
        return _link_problem(_token_error_message(error), 400)
    form = AcceptInvitationForm(account=user)
    if form.validate_on_submit():
        services.accept_invitation(token, form.password.data)
        start_session(user)
        with force_locale(user.language):
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name),
                  "success")
        return redirect(url_for("pages.home", lang_code=user.language))
    status = 200 if not form.errors else 422
    return render_template("accounts/accept_invitation.html", form=form, invited=user), status


@bp.get("/associations")
def associations():
    """Public list of the associations taking part."""
    items = db.session.scalars(
        select(Association).order_by(Association.name)
        .options(selectinload(Association.memberships).selectinload(Membership.user))
    ).all()
    # Where the reader stands with each one: the entry offers to ask, or says how it went.
    mine = {m.association_id: m for m in current_user.memberships} \
        if current_user.is_authenticated else {}
    return render_template("accounts/associations.html", associations=items, memberships=mine,
                           can_ask=permissions.can_request_representation(current_user))
