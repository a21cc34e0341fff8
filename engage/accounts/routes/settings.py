"""The account settings: profile, password, email address, representation of an
association, my data, consent, signing out everywhere and deleting the account."""

import json
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from engage.accounts import permissions, services
from engage.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmActionForm,
    DeleteAccountForm,
    ProfileForm,
    RepresentationRequestForm,
)
from engage.accounts.models import Association
from engage.accounts.personal_data import collect_personal_data, readable_personal_data
from engage.accounts.routes import bp
from engage.core.errors import DomainError
from engage.core.navigation import safe_next_url
from engage.core.sessions import end_session, start_session
from engage.extensions import db

# The settings page holds several forms: prefixes keep their field ids apart.
SETTINGS_FORMS: dict[str, tuple[type[FlaskForm], str]] = {
    "profile_form": (ProfileForm, "profile"),
    "password_form": (ChangePasswordForm, "password"),
    "email_form": (ChangeEmailForm, "email"),
    "representation_form": (RepresentationRequestForm, "representation"),
}


def _settings_form(name: str, submitted: bool):
    form_class, prefix = SETTINGS_FORMS[name]
    kwargs: dict[str, Any] = {"prefix": prefix}
    if not submitted:
        kwargs["formdata"] = None
    if form_class is ProfileForm:
        kwargs["obj"] = current_user
    if form_class is ChangePasswordForm:
        kwargs["account"] = current_user
    form = form_class(**kwargs)
    if isinstance(form, RepresentationRequestForm):
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
            # Every session ended with the password change: this browser gets a new one.
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
    """From the settings page, or from an association's entry in the public list, whose
    button sends `next`: the answer goes back there, with the outcome as a message."""
    form = _settings_form("representation_form", submitted=True)
    status = 422
    if not permissions.can_request_representation(current_user):
        form.association_id.errors = [_("Please confirm your email address first.")]
        status = 403
    elif form.validate_on_submit():
        association = db.get_or_404(Association, form.association_id.data)
        try:
            services.request_representation(current_user, association, form.message.data or "")
        except DomainError as error:
            form.association_id.errors.append(error.message)
        else:
            flash(_("Your request has been sent to the moderators."), "success")
            return redirect(safe_next_url("accounts.settings"))
    if request.form.get("next"):  # a button, no field to correct: say why, where it was
        for message in (m for errors in form.errors.values() for m in errors):
            flash(message, "error")
        return redirect(safe_next_url("accounts.settings"))
    return _settings_page(status, representation_form=form)


@bp.get("/my-data")
@login_required
def my_data():
    return render_template("accounts/my_data.html",
                           sections=readable_personal_data(current_user))


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
        flash(_("Your consent is withdrawn. You can still read, but you can no longer take "
                "part until you give it again."), "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/consent/give")
@login_required
def give_consent():
    if ConfirmActionForm().validate_on_submit():
        services.give_consent_again(current_user)
        flash(_("Thank you, your consent is recorded. You can take part again."), "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if ConfirmActionForm().validate_on_submit():
        services.sign_out_everywhere(current_user)
        end_session()
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
            end_session()
            flash(_("Your account has been deleted. Thank you for taking part."), "success")
            return redirect(url_for("pages.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/delete_account.html", form=form), status
