"""The moderation queue: pending and reported items of every area, and the bulk
actions on them (hiding is confirmed first: see engage/core/confirm.py)."""

import re

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from engage.core import confirm, versions
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.moderated import ReportReason, report_threshold
from engage.core.page_cache import cached_page
from engage.core.unit_of_work import flash_refusal
from engage.moderation import queries, services
from engage.moderation.forms import BulkForm
from engage.moderation.queue_view import QueueView
from engage.moderation.routes import bp, excerpt

_REF = re.compile(r"^[a-z_]{1,30}:\d{1,12}$")


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def _hidden_sentence(count: int, shown: str) -> str:
    return ngettext("%(count)s selected item will be hidden from participants, and its author "
                    "told why.",
                    "%(count)s selected items will be hidden from participants, and their "
                    "authors told why.", count, count=shown)


def _hide_confirmation(back: str, count: int | None = None) -> confirm.Confirmation:
    """Hiding the selected items: the queue's dialog counts them in the browser (`count`
    None), the second page says the number posted."""
    counted = confirm.Counted.of("items", _hidden_sentence)
    return confirm.Confirmation(
        key="bulk-hide", title=_("Hide the selected items?"),
        what=(counted.forms["other"] if count is None
              else _hidden_sentence(count, format_decimal(count))),
        cannot_undo=_("Their authors are told at once: that cannot be taken back, even if you "
                      "restore the items later."),
        button=_("Hide the selected items"), cancel_url=back,
        counted=counted, only_if=("action", "hide"),
    )


@bp.get("/")
@moderator_required
@cached_page(scopes=lambda: [versions.MODERATION, versions.CONSULTATIONS, versions.EXERCISES])
def index():
    filters = queries.Filters.from_args(request.args)
    language = page_language()
    sources = queries.sources(language)
    page = queries.queue_page(filters, _per_page(), sources, language)
    form = BulkForm(formdata=None)
    back = url_for("moderation.index", **filters.as_args())
    return render_template(
        "moderation/queue.html", page=page, filters=filters, form=form,
        hide_confirmation=_hide_confirmation(back),
        sources=sources, reasons=ReportReason.choices(),
        state_of=services.item_state, excerpt=excerpt, threshold=report_threshold(),
        view=QueueView(language),
    )


@bp.post("/bulk")
@moderator_required
def bulk():
    form = BulkForm()
    refs = [ref for ref in request.form.getlist("items") if _REF.match(ref)]
    form.items.choices = [(ref, ref) for ref in refs]
    shown = {key.removeprefix("back-"): value for key, value in request.form.items()
             if key.startswith("back-")}  # the queue's filters, as the page was shown
    back = url_for("moderation.index", **queries.Filters.from_args(shown).as_args())
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back)
    states = {ref: request.form.get(f"state:{ref}", "") for ref in refs}
    if form.action.data == "hide" and not confirm.confirmed():
        try:  # asks only for what can go ahead
            services.check_bulk(refs, "hide", reason=form.reason.data or "",
                                note=form.note.data or "")
        except DomainError as error:
            flash_refusal(error)
            return redirect(back)
        return confirm.confirmation_page(_hide_confirmation(back, len(refs)))
    try:
        result = services.bulk(current_user, refs, form.action.data, reason=form.reason.data or "",
                               note=form.note.data or "", states=states)
    except DomainError as error:
        flash_refusal(error)
        return redirect(back)
    if result.done:
        flash(_("Done for %(count)d item(s).", count=result.done), "success")
    for message in result.refused:
        # Refused items left no trace; the done ones are kept.
        flash(message, "error")
    return redirect(back)
