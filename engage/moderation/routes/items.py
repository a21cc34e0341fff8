"""One item of the queue: its page, the actions on it, removing a passage."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from engage.consultations.models import Contribution, Theme
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.moderated import ReportReason
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.moderation import permissions, queries, services
from engage.moderation.forms import HideForm, RedactForm, StateForm
from engage.moderation.routes import bp

ITEM_ACTIONS = ("approve", "hide", "restore", "dismiss")


def _load(target_type: str, target_id: int):
    item = services.load_item(target_type, target_id)
    if item is None:
        abort(404)
    return item


def _item_url(item) -> str:
    return url_for("moderation.item", target_type=item.MODERATION_TARGET, target_id=item.id)


def _item_forms(item, **given):
    state = services.item_state(item)
    forms = {
        "approve": StateForm(prefix="approve", formdata=None),
        "hide": HideForm(prefix="hide", formdata=None),
        "restore": StateForm(prefix="restore", formdata=None),
        "dismiss": StateForm(prefix="dismiss", formdata=None),
    }
    for form in forms.values():
        form.expected_state.data = state
    forms.update(given)
    return forms


def _item_page(item, status: int = 200, **forms):
    target = services.target_of(item)
    themes = []
    if isinstance(item, Contribution):
        ids = services.themes_of(item)
        themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(ids)))) if ids else []
    return render_template(
        "moderation/item.html", item=item, target=target,
        place=target.place(item, page_language()), text=getattr(item, target.text_attribute) or "",
        reports=queries.reports_of(target.name, item.id),
        history=queries.history_of(target.name, item.id), forms=_item_forms(item, **forms),
        themes=themes, language=page_language(), permissions=permissions,
        is_contribution=isinstance(item, Contribution),
    ), status


@bp.get("/items/<target_type>/<int:target_id>")
@moderator_required
def item(target_type, target_id):
    return _item_page(_load(target_type, target_id))


DONE_MESSAGES = {
    "approve": _l("The item is approved and published."),
    "hide": _l("The item is hidden. Its author has been told why."),
    "restore": _l("The item is visible again."),
    "dismiss": _l("The reports are dismissed."),
}


def _approve(item, form, expected) -> None:
    services.approve(current_user, item, expected)


def _hide(item, form, expected) -> None:
    services.hide(current_user, item, form.reason.data, form.note.data or "", expected)


def _restore(item, form, expected) -> None:
    services.restore(current_user, item, expected)


def _dismiss(item, form, expected) -> None:
    services.dismiss_reports(current_user, item, expected)


# One service call per action in ITEM_ACTIONS; each takes (item, form, expected state).
ACTION_HANDLERS = {
    "approve": _approve,
    "hide": _hide,
    "restore": _restore,
    "dismiss": _dismiss,
}


def _invalid_action_form(item, action: str, form):
    # A missing or expired CSRF token is a bad request, not a form to correct.
    if form.errors.get("csrf_token"):
        abort(400)
    return _item_page(item, 422, **{action: form})


def _action_refused(error: DomainError, item, action: str, form, target_type, target_id):
    # Hiding has a form to correct (the reason); the other actions have nothing to fix.
    if action == "hide":
        form.reason.errors.append(error.message)
        return _item_page(_load(target_type, target_id), 422, hide=form)
    flash_refusal(error)
    return redirect(_item_url(item))


def _action_done(item, action: str):
    flash(str(DONE_MESSAGES[action]), "success")
    if request.form.get("back") == "queue":
        return redirect(url_for("moderation.index"))
    return redirect(_item_url(item))


@bp.post("/items/<target_type>/<int:target_id>/<action>")
@moderator_required
def act(target_type, target_id, action):
    if action not in ITEM_ACTIONS:
        abort(404)
    item = _load(target_type, target_id)
    form = HideForm(prefix="hide") if action == "hide" else StateForm(prefix=action)
    if not form.validate_on_submit():
        return _invalid_action_form(item, action, form)
    expected = form.expected_state.data or None
    try:
        ACTION_HANDLERS[action](item, form, expected)
    except services.StaleItem as error:
        flash_refusal(error)
        return redirect(_item_url(item))
    except DomainError as error:
        return _action_refused(error, item, action, form, target_type, target_id)
    return _action_done(item, action)


@bp.route("/items/<target_type>/<int:target_id>/redact", methods=["GET", "POST"])
@moderator_required
def redact(target_type, target_id):
    item = _load(target_type, target_id)
    target = services.target_of(item)
    if not permissions.can_redact(current_user, item, target.text_attribute):
        abort(403)
    form = RedactForm(prefix="redact")
    if request.method == "GET":
        form.expected_state.data = services.item_state(item)
        form.reason.data = ReportReason.HEALTH_DATA.value
    elif form.validate_on_submit():
        try:
            services.redact(current_user, item, form.passages.data, form.reason.data,
                            form.note.data or "", form.expected_state.data or None)
        except services.StaleItem as error:
            flash_refusal(error)
            return redirect(_item_url(item))
        except DomainError as error:
            item = _load(target_type, target_id)
            form.passages.errors.append(error.message)
        else:
            flash(_("The passage is removed. Its author has been told why."), "success")
            return redirect(_item_url(item))
    status = 422 if form.errors else 200
    return render_template(
        "moderation/redact.html", item=item, target=target, form=form,
        text=getattr(item, target.text_attribute) or "", place=target.place(item, page_language()),
    ), status
