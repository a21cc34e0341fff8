"""Reading consultations: the list, a consultation's page (where people contribute), its
documents, following it, and the search."""

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from engage.consultations import (
    contribution_lists,
    notifications,
    participation,
    permissions,
    queries,
    results,
)
from engage.consultations.forms import ActionForm, ContributionForm
from engage.consultations.models import Consultation, ConsultationDocument
from engage.consultations.routes import (
    _contribution_anchor,
    _detail_url,
    _flash_posted,
    _load,
    _replayed,
    _theme_choices,
    bp,
)
from engage.consultations.routes.items import items_view
from engage.core import bounds, fragments, uploads, versions
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.page_cache import cached_page
from engage.core.rate_limits import CONTRIBUTE, SEARCH, limited
from engage.extensions import db

CONTRIBUTIONS_PER_PAGE = 20
POSITIONS_PER_PAGE = 10
SEARCH_PER_PAGE = 20


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


# Lists


@bp.get("/")
@cached_page(scopes=lambda: [versions.CONSULTATIONS])
def index():
    status = request.args.get("status", "")
    if status not in queries.LIST_FILTERS or (
        status == "draft" and not permissions.can_manage(current_user)
    ):
        status = ""
    theme_id = bounds.within_range(request.args.get("theme", type=int))
    page = queries.consultation_list(current_user, status or None, theme_id, _per_page())
    figures = queries.figures_for([c.id for c in page.items])
    return render_template(
        "consultations/index.html", page=page, figures=figures, themes=queries.all_themes(),
        status=status, theme_id=theme_id, language=page_language(),
    )


# The consultation page


def _contribution_form(consultation: Consultation, facts: contribution_lists.ReaderFacts,
                       formdata=None):
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = ContributionForm(**kwargs)
    form.theme.choices = _theme_choices(consultation, page_language(), _("No particular theme"))
    # One position per association: those that have spoken are not offered again.
    form.post_as.choices = [("", _("Myself"))] + [
        (str(a_id), name) for a_id, name in facts.associations if a_id not in facts.positions]
    form.fill_submission_key()
    return form


def _items_html(consultation: Consultation, items: list, replies: dict, view) -> Markup:
    """The items with their replies: the page's costliest part, rendered once for every
    reader who sees the same items with the same rights (engage.core.fragments); each
    answer gets its reader's CSRF token."""
    if not items:
        return Markup()
    rights = view.rights
    shown = tuple((item.id, tuple(reply.id for reply in replies[item.id].shown),
                   replies[item.id].total) for item in items)
    parts = ("consultation-items", str(get_locale()), view.back, shown,
             rights.can_participate, *(tuple(sorted(ids)) for ids in (
                 rights.supported, rights.supportable, rights.repliable, rights.editable,
                 rights.reportable, rights.history)))
    return fragments.cached(
        parts, [versions.consultation(consultation.id)],
        lambda token: render_template("consultations/_items.html", items=items,
                                      replies=replies, v=view, token=token),
        with_token=current_user.is_authenticated)


def _detail_page(consultation: Consultation, contribution_form=None, status: int = 200,
                 problem=None, facts: contribution_lists.ReaderFacts | None = None):
    language = page_language()
    sort = request.args.get("sort", "newest")
    sort = sort if sort in queries.SORTS else "newest"
    theme_id = bounds.within_range(request.args.get("theme", type=int))
    if facts is None:
        facts = contribution_lists.reader_facts(current_user, consultation, theme_id)
    counts = contribution_lists.page_counts(consultation, theme_id)
    contributions = contribution_lists.contributions_list(
        consultation, current_user, positions=False, sort=sort, theme_id=theme_id,
        per_page=CONTRIBUTIONS_PER_PAGE,
        total=counts.contributions + facts.own_unpublished_contributions,
    )
    positions = contribution_lists.contributions_list(
        consultation, current_user, positions=True, sort="newest", theme_id=None,
        per_page=POSITIONS_PER_PAGE, total=counts.positions + facts.own_unpublished_positions,
        page_param="positions_page", cursor_prefix="positions_",
    )
    top_level = positions.items + contributions.items
    replies = contribution_lists.replies_preview([c.id for c in top_level], current_user)
    items = top_level + [reply for preview in replies.values() for reply in preview.shown]
    can_contribute = permissions.can_contribute(current_user, consultation)
    given_positions = facts.given_positions if can_contribute else []
    if contribution_form is None and can_contribute:
        contribution_form = _contribution_form(consultation, facts)
    rights = permissions.item_rights(current_user, consultation, items + given_positions,
                                     supported=[item.id for item in items if item.supported])
    view = items_view(consultation.id, rights,
                      contribution_lists.theme_labels(consultation, items, language), language)
    return render_template(
        "consultations/detail.html",
        positions_html=_items_html(consultation, positions.items, replies, view),
        contributions_html=_items_html(consultation, contributions.items, replies, view),
        consultation=consultation,
        shown=consultation.translated(language),
        language=language,
        contributions=contributions,
        positions=positions,
        replies=replies,
        v=view,
        sort=sort,
        theme_id=theme_id,
        figures=queries.figures_for([consultation.id])[consultation.id],
        question_count=counts.questions,
        results=results.questionnaire_results(consultation, language)
        if permissions.can_see_results(current_user, consultation) else None,
        following=facts.following,
        can_follow=permissions.can_follow(current_user, consultation),
        can_manage=permissions.can_manage(current_user),
        response=facts.response,
        refusal=participation.participation_refusal(current_user, consultation),
        can_contribute=can_contribute,
        given_positions=given_positions,
        form=contribution_form,
        problem=problem,
    ), status


@bp.get("/<int:consultation_id>")
@cached_page
def detail(consultation_id):
    return _detail_page(_load(consultation_id))


@bp.get("/<int:consultation_id>/documents/<int:document_id>")
def document(consultation_id, document_id):
    consultation = _load(consultation_id)
    doc = db.get_or_404(ConsultationDocument, document_id)
    if doc.consultation_id != consultation.id:
        abort(404)
    return uploads.DOCUMENTS.send(doc.stored_name, doc.download_name,
                                  private=not consultation.is_public)


# Following


@bp.post("/<int:consultation_id>/follow")
@login_required
def follow(consultation_id):
    consultation = _load(consultation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not permissions.can_follow(current_user, consultation):
        abort(403)
    try:
        notifications.follow(current_user, consultation)
        db.session.flush()  # where a race's unique-key clash shows
    except IntegrityError:  # followed twice at once: once is enough
        db.session.rollback()
    flash(_("You follow this consultation: we will email you when it opens, when it is about "
            "to close and when its summary is published."), "success")
    return redirect(_detail_url(consultation, "follow"))


@bp.post("/<int:consultation_id>/unfollow")
@login_required
def unfollow(consultation_id):
    consultation = _load(consultation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    notifications.unfollow(current_user, consultation)
    flash(_("You no longer follow this consultation."), "success")
    return redirect(_detail_url(consultation, "follow"))


# Contributing


@bp.post("/<int:consultation_id>/contributions")
@limited("RATELIMIT_CONTRIBUTE", CONTRIBUTE)
@login_required
def contribute(consultation_id):
    consultation = _load(consultation_id)
    theme_id = bounds.within_range(request.args.get("theme", type=int))
    facts = contribution_lists.reader_facts(current_user, consultation, theme_id)
    form = _contribution_form(consultation, facts, formdata=request.form)
    refusal = participation.participation_refusal(current_user, consultation)
    if refusal:
        return _detail_page(consultation, form, 403, problem=refusal, facts=facts)
    if not form.validate_on_submit():
        return _detail_page(consultation, form, 422, facts=facts)
    key = form.submission_key.data or None
    try:
        contribution, created = participation.post_contribution(
            current_user, consultation, form.body.data,
            theme_id=int(form.theme.data) if form.theme.data else None,
            association_id=int(form.post_as.data) if form.post_as.data else None,
            submission_key=key, language=page_language(),
        )
        db.session.flush()  # where a replay's unique-key clash shows
    except DomainError as error:
        form.body.errors.append(error.message)
        return _detail_page(consultation, form, 422)
    except IntegrityError:
        contribution, created = _replayed(key), False
    _flash_posted(contribution, created, _("Thank you, your contribution is published."))
    return redirect(_detail_url(consultation, _contribution_anchor(contribution)))


# Search


@bp.get("/search")
@limited("RATELIMIT_SEARCH", SEARCH, methods=("GET",))
@cached_page(scopes=lambda: [versions.CONSULTATIONS, versions.CONTRIBUTIONS])
def search():
    query = request.args.get("q", "").strip()[:200]
    terms, page = queries.search_everything(query, current_user, page_language(), SEARCH_PER_PAGE)
    return render_template(
        "consultations/search.html", query=query, terms=terms, page=page, language=page_language(),
    )
