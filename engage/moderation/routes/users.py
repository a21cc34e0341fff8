"""Authors: a person's page, blocking and unblocking."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.models import User
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.moderation import permissions, services
from engage.moderation.forms import BlockForm, StateForm
from engage.moderation.routes import bp


def _user_page(author, form=None, status=200):
    form = form or BlockForm(prefix="block", formdata=None)
    return render_template("moderation/user.html", author=author, form=form,
                           unblock_form=StateForm(prefix="unblock", formdata=None),
                           permissions=permissions), status


@bp.get("/users/<int:user_id>")
@moderator_required
def user(user_id):
    return _user_page(db.get_or_404(User, user_id))


@bp.post("/users/<int:user_id>/block")
@moderator_required
def block_user(user_id):
    author = db.get_or_404(User, user_id)
    form = BlockForm(prefix="block")
    if not form.validate_on_submit():
        return _user_page(author, form, 422)
    try:
        services.block(current_user, author, form.reason.data)
    except services.StaleItem as error:
        flash_refusal(error)
        return redirect(url_for("moderation.user", user_id=user_id))
    except DomainError as error:
        form.reason.errors.append(error.message)
        return _user_page(db.get_or_404(User, user_id), form, 422)
    flash(_("%(name)s is blocked: they can read, not write.", name=author.public_name),
          "success")
    return redirect(url_for("moderation.user", user_id=user_id))


@bp.post("/users/<int:user_id>/unblock")
@moderator_required
def unblock_user(user_id):
    author = db.get_or_404(User, user_id)
    if not StateForm(prefix="unblock").validate_on_submit():
        abort(400)
    try:
        services.unblock(current_user, author)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("%(name)s can write again.", name=author.public_name), "success")
    return redirect(url_for("moderation.user", user_id=user_id))
