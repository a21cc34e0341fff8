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
from engage.moderation.forms import HideForm, RedactionForm, StateForm
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


def _redaction_page(item, target, form, plan=None):
    """The form, or the preview of `plan` with the form under it (422 when it has errors)."""
    return render_template(
        "moderation/redact.html", item=item, target=target, form=form, plan=plan,
        text=getattr(item, target.text_attribute) or "", place=target.place(item, page_language()),
    ), 422 if form.errors else 200


def _preview(item, form):
    """The plan of the passages given, its fingerprint in the form; None with a form error."""
    try:
        plan = services.plan_redaction(item, form.passages.data)
    except DomainError as error:
        form.passages.errors.append(error.message)
        return None
    form.previewed.data = plan.fingerprint
    return plan


def _confirm(item, target, form):
    """Apply the preview the moderator saw; the page again if it cannot be applied."""
    if not form.previewed.data:  # never previewed (a form sent without its buttons)
        form.passages.errors.append(_("Preview the removal before you confirm it."))
        return _redaction_page(item, target, form)
    try:
        services.redact(current_user, item, form.passages.data, form.reason.data,
                        form.note.data or "", form.expected_state.data or None,
                        previewed=form.previewed.data)
    except services.StaleItem as error:
        flash_refusal(error)
        return redirect(_item_url(item))
    except services.PreviewOutdated as error:
        # The text changed under the moderator: the new preview, to check and confirm.
        plan = _preview(item, form)
        form.passages.errors.append(error.message)
        return _redaction_page(item, target, form, plan)
    except DomainError as error:
        form.passages.errors.append(error.message)
        return _redaction_page(item, target, form)
    flash(_("The passage is removed. Its author has been told why."), "success")
    return redirect(_item_url(item))


@bp.route("/items/<target_type>/<int:target_id>/redact", methods=["GET", "POST"])
@moderator_required
def redact(target_type, target_id):
    """Remove passages: the form (GET); "preview" shows what will be replaced, in the text;
    "confirm" replaces exactly that. Both are POSTs; the confirmation applies only a preview
    whose text and passages are unchanged."""
    item = _load(target_type, target_id)
    target = services.target_of(item)
    if not permissions.can_redact(current_user, item, target.text_attribute):
        abort(403)
    form = RedactionForm(prefix="redact")
    if request.method == "GET":
        form.expected_state.data = services.item_state(item)
        form.reason.data = ReportReason.HEALTH_DATA.value
        return _redaction_page(item, target, form)
    if not form.validate_on_submit():
        return _redaction_page(item, target, form)
    if form.step.data == "preview":
        return _redaction_page(item, target, form, _preview(item, form))
    return _confirm(item, target, form)
