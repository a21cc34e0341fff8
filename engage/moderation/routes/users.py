"""Authors: a person's page, blocking (confirmed first: see engage/core/confirm.py) and
unblocking."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.models import User
from engage.core import confirm
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
                           block_confirmation=_block_confirmation(author),
                           permissions=permissions), status


def _block_confirmation(author) -> confirm.Confirmation:
    return confirm.Confirmation(
        key="block-author", title=_("Block %(name)s?", name=author.public_name),
        what=_("%(name)s will still be able to read, but no longer to write anything: "
               "contributions, replies, comments or reviews. They are told at once by email, "
               "with your reason.", name=author.public_name),
        cannot_undo=_("The email cannot be taken back, even if you unblock them later."),
        button=_("Block this person"),
        cancel_url=url_for("moderation.user", user_id=author.id),
    )


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
    if not confirm.confirmed():
        return confirm.confirmation_page(_block_confirmation(author))
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
