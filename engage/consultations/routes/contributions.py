"""A contribution's page and what people do with a contribution: reply, edit, delete, read
its history, support it, report it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from engage.consultations import contribution_lists, participation, permissions, queries
from engage.consultations.forms import (
    ActionForm,
    EditContributionForm,
    ReplyForm,
    ReportForm,
)
from engage.consultations.routes import (
    _contribution_anchor,
    _detail_url,
    _flash_posted,
    _load,
    _load_contribution,
    _replayed,
    _theme_choices,
    bp,
)
from engage.consultations.routes.items import items_view
from engage.core import versions
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.navigation import safe_next_url
from engage.core.page_cache import cached_page
from engage.core.rate_limits import CONTRIBUTE, REPORT, limited
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db

REPLIES_PER_PAGE = 30


def _back(default_url: str):
    """Back to the page the form came from (`next`, inside this site), else `default_url`."""
    if request.values.get("next"):
        return redirect(safe_next_url("consultations.index"))
    return redirect(default_url)


def _reply_form(formdata=None):
    form = ReplyForm() if formdata is None else ReplyForm(formdata=formdata)
    form.fill_submission_key()
    return form


def _contribution_page(consultation, contribution, reply_form=None, status=200, problem=None):
    language = page_language()
    replies = None
    if not contribution.is_reply:
        replies = contribution_lists.replies_list(contribution.id, current_user,
                                                  REPLIES_PER_PAGE)
    reply_items = replies.items if replies else []
    supported = queries.supported_ids(current_user, [contribution.id])
    item = contribution_lists.ContributionItem.of(contribution, contribution.id in supported)
    items = [item, *reply_items]
    rights = permissions.item_rights(
        current_user, consultation, items,
        supported=[shown.id for shown in items if shown.supported])
    can_reply = item.id in rights.repliable
    if reply_form is None and can_reply:
        reply_form = _reply_form()
    return render_template(
        "consultations/contribution.html",
        consultation=consultation,
        shown=consultation.translated(language),
        language=language,
        contribution=contribution,
        item=item,
        replies=replies,
        v=items_view(consultation.id, rights,
                     contribution_lists.theme_labels(consultation, items, language), language),
        can_reply=can_reply,
        form=reply_form,
        problem=problem,
        refusal=participation.participation_refusal(current_user, consultation),
    ), status


@bp.get("/<int:consultation_id>/contributions/<int:contribution_id>")
# Its chain (engage.accountability) names the network's commitments and funded projects.
@cached_page(scopes=lambda consultation_id, contribution_id: [
    versions.consultation(consultation_id), versions.COMMITMENTS])
def contribution(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    item = _load_contribution(consultation, contribution_id)
    if item.is_reply:
        return redirect(url_for("consultations.contribution", consultation_id=consultation.id,
                                contribution_id=item.parent_id, _anchor=_contribution_anchor(item)))
    return _contribution_page(consultation, item)


@bp.post("/<int:consultation_id>/contributions/<int:contribution_id>/replies")
@limited("RATELIMIT_CONTRIBUTE", CONTRIBUTE)
@login_required
def reply(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    parent = _load_contribution(consultation, contribution_id)
    form = _reply_form(formdata=request.form)
    refusal = participation.participation_refusal(current_user, consultation)
    if refusal:
        return _contribution_page(consultation, parent, form, 403, problem=refusal)
    if not permissions.can_reply(current_user, parent):
        abort(403)
    if not form.validate_on_submit():
        return _contribution_page(consultation, parent, form, 422)
    key = form.submission_key.data or None
    try:
        answer_, created = participation.post_reply(
            current_user, parent, form.body.data, submission_key=key, language=page_language(),
        )
        db.session.flush()  # where a replay's unique-key clash shows
    except DomainError as error:
        form.body.errors.append(error.message)
        return _contribution_page(consultation, parent, form, 422)
    except IntegrityError:
        answer_, created = _replayed(key), False
    _flash_posted(answer_, created, _("Thank you, your reply is published."))
    return redirect(url_for("consultations.contribution", consultation_id=consultation.id,
                            contribution_id=parent.id, _anchor=_contribution_anchor(answer_)))


def _edit_form(consultation, item, formdata=None):
    kwargs = {"formdata": formdata} if formdata is not None else {"obj": None}
    form = EditContributionForm(**kwargs)
    form.theme.choices = _theme_choices(consultation, page_language(), _("No particular theme"))
    if formdata is None:
        form.body.data = item.body
        form.theme.data = str(item.theme_id) if item.theme_id else ""
    return form


@bp.route("/<int:consultation_id>/contributions/<int:contribution_id>/edit",
          methods=["GET", "POST"])
@login_required
def edit_contribution(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    item = _load_contribution(consultation, contribution_id)
    if not permissions.can_edit_contribution(current_user, item):
        abort(403)
    form = _edit_form(consultation, item, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        theme_id = None if item.is_reply or not form.theme.data else int(form.theme.data)
        try:
            changed = participation.edit_contribution(current_user, item, form.body.data,
                                                      theme_id=theme_id)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            if changed and not item.is_visible:
                flash(_("Your changes are saved. They will be published once a moderator has "
                        "checked them."), "success")
            elif changed:
                flash(_("Your changes are saved."), "success")
            return redirect(_contribution_url(consultation, item))
    status = 422 if form.errors else 200
    return render_template(
        "consultations/edit_contribution.html", consultation=consultation,
        shown=consultation.translated(page_language()), contribution=item, form=form,
    ), status


def _contribution_url(consultation, item) -> str:
    target = item.parent_id or item.id
    return url_for("consultations.contribution", consultation_id=consultation.id,
                   contribution_id=target, _anchor=_contribution_anchor(item))


@bp.route("/<int:consultation_id>/contributions/<int:contribution_id>/delete",
          methods=["GET", "POST"])
@login_required
def delete_contribution(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    item = _load_contribution(consultation, contribution_id)
    if not permissions.can_delete_contribution(current_user, item):
        abort(403)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        participation.delete_contribution(current_user, item)
        flash(_("Your contribution has been deleted."), "success")
        return redirect(_detail_url(consultation, "contributions"))
    return render_template(
        "consultations/delete_contribution.html", consultation=consultation,
        shown=consultation.translated(page_language()), contribution=item, form=form,
    )


@bp.get("/<int:consultation_id>/contributions/<int:contribution_id>/history")
@login_required
def history(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    item = _load_contribution(consultation, contribution_id)
    if not permissions.can_see_history(current_user, item):
        abort(403)
    return render_template(
        "consultations/history.html", consultation=consultation,
        shown=consultation.translated(page_language()), contribution=item,
    )


# Support


@bp.post("/<int:consultation_id>/contributions/<int:contribution_id>/support")
@login_required
def support(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    item = _load_contribution(consultation, contribution_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        added = participation.support(current_user, item)
        db.session.flush()  # where a double click's unique-key clash shows
    except DomainError as error:
        flash_refusal(error)
    except IntegrityError:  # two clicks at once: one support
        db.session.rollback()
        flash(_("You already support this contribution."), "info")
    else:
        if added:
            flash(_("You support this contribution."), "success")
        else:
            flash(_("You already support this contribution."), "info")
    return _back(_contribution_url(consultation, item))


@bp.post("/<int:consultation_id>/contributions/<int:contribution_id>/withdraw-support")
@login_required
def withdraw_support(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    item = _load_contribution(consultation, contribution_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        participation.withdraw_support(current_user, item)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("You no longer support this contribution."), "success")
    return _back(_contribution_url(consultation, item))


# Reports


@bp.route("/<int:consultation_id>/contributions/<int:contribution_id>/report",
          methods=["GET", "POST"])
@limited("RATELIMIT_REPORT", REPORT)
@login_required
def report(consultation_id, contribution_id):
    consultation = _load(consultation_id)
    item = _load_contribution(consultation, contribution_id)
    if not permissions.can_report(current_user, item):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            participation.report_contribution(current_user, item, form.reason.data,
                                              form.details.data or "")
            db.session.flush()  # where a race's unique-key clash shows
        except DomainError as error:
            form.reason.errors.append(error.message)
        except IntegrityError:  # reported twice at once: one report is enough
            db.session.rollback()
            flash(_("Thank you. The moderators will look at this contribution."), "success")
            return redirect(_contribution_url(consultation, item))
        else:
            flash(_("Thank you. The moderators will look at this contribution."), "success")
            return redirect(_contribution_url(consultation, item))
    status = 422 if form.errors else 200
    return render_template(
        "consultations/report.html", consultation=consultation,
        shown=consultation.translated(page_language()), contribution=item, form=form,
    ), status
