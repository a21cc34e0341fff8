"""Reading consultations and taking part. Management pages are in `manage.py`."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from engage.consultations import (
    notifications,
    participation,
    permissions,
    queries,
    questionnaire,
    results,
)
from engage.consultations.forms import (
    ActionForm,
    ContributionForm,
    EditContributionForm,
    ReplyForm,
    ReportForm,
)
from engage.consultations.models import Consultation, ConsultationDocument
from engage.core import bounds, uploads
from engage.core.errors import DomainError
from engage.core.navigation import safe_next_url
from engage.core.page_cache import cached_page
from engage.core.rate_limits import CONTRIBUTE, REPORT, SEARCH, limited
from engage.extensions import db

bp = Blueprint("consultations", __name__, url_prefix="/<lang_code>/consultations")

CONTRIBUTIONS_PER_PAGE = 20
POSITIONS_PER_PAGE = 10
REPLIES_PER_PAGE = 30
SEARCH_PER_PAGE = 20


def _language() -> str:
    return str(get_locale())


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def _load(consultation_id: int) -> Consultation:
    consultation = db.get_or_404(Consultation, consultation_id, options=[
        *queries.consultation_options(), joinedload(Consultation.documents)])
    if not permissions.can_view(current_user, consultation):
        abort(404)  # an unannounced draft does not exist for the public
    return consultation


def _load_contribution(consultation: Consultation, contribution_id: int):
    contribution = queries.load_contribution(consultation, contribution_id)
    if contribution is None or not permissions.can_see_contribution(current_user, contribution):
        abort(404)
    return contribution


def _back(default_url: str):
    """Back to the page the form came from (`next`, inside this site), else `default_url`."""
    if request.values.get("next"):
        return redirect(safe_next_url("consultations.index"))
    return redirect(default_url)


def _detail_url(consultation: Consultation, anchor: str | None = None) -> str:
    return url_for("consultations.detail", consultation_id=consultation.id,
                   _anchor=anchor)


def _contribution_anchor(contribution) -> str:
    return f"contribution-{contribution.id}"


# Lists


@bp.get("/")
@cached_page
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
        status=status, theme_id=theme_id, language=_language(),
    )


def _home_section():
    soon, others = queries.open_consultations()
    if not soon and not others:
        return None
    return {"closing_soon": soon, "open_now": others, "language": _language()}


# The consultation page


def _theme_choices(consultation: Consultation, language: str, empty_label):
    return [("", empty_label)] + [
        (str(theme.id), theme.label(language)) for theme in consultation.themes
    ]


def _contribution_form(consultation: Consultation, formdata=None):
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = ContributionForm(**kwargs)
    form.theme.choices = _theme_choices(consultation, _language(), _("No particular theme"))
    associations = current_user.represented_associations() \
        if current_user.is_authenticated else []
    form.post_as.choices = [("", _("Myself"))] + [(str(a.id), a.name) for a in associations]
    form.fill_submission_key()
    return form


def _reply_form(formdata=None):
    form = ReplyForm() if formdata is None else ReplyForm(formdata=formdata)
    form.fill_submission_key()
    return form


def _detail_page(consultation: Consultation, contribution_form=None, status: int = 200,
                 problem=None):
    language = _language()
    sort = request.args.get("sort", "newest")
    sort = sort if sort in queries.SORTS else "newest"
    theme_id = bounds.within_range(request.args.get("theme", type=int))
    contributions = queries.contributions_page(
        consultation, current_user, positions=False, sort=sort, theme_id=theme_id,
        per_page=CONTRIBUTIONS_PER_PAGE,
    )
    positions = queries.contributions_page(
        consultation, current_user, positions=True, sort="newest", theme_id=None,
        per_page=POSITIONS_PER_PAGE, page_param="positions_page",
    )
    top_level = list(positions.items) + list(contributions.items)
    replies = queries.replies_preview([c.id for c in top_level], current_user)
    shown_ids = [c.id for c in top_level] + [r.id for p in replies.values() for r in p.shown]
    can_contribute = permissions.can_contribute(current_user, consultation)
    if contribution_form is None and can_contribute:
        contribution_form = _contribution_form(consultation)
    return render_template(
        "consultations/detail.html",
        consultation=consultation,
        shown=consultation.translated(language),
        language=language,
        contributions=contributions,
        positions=positions,
        replies=replies,
        supported=queries.supported_ids(current_user, shown_ids),
        sort=sort,
        theme_id=theme_id,
        figures=queries.figures_for([consultation.id])[consultation.id],
        question_count=queries.question_count(consultation),
        results=results.questionnaire_results(consultation, language)
        if permissions.can_see_results(current_user, consultation) else None,
        following=notifications.is_following(current_user, consultation),
        response=participation.response_of(current_user, consultation),
        refusal=participation.participation_refusal(current_user, consultation),
        can_contribute=can_contribute,
        form=contribution_form,
        action_form=ActionForm(),
        problem=problem,
        permissions=permissions,
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
    return uploads.send_pdf(doc.stored_name, doc.download_name,
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
        db.session.commit()
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
    if notifications.unfollow(current_user, consultation):
        db.session.commit()
    flash(_("You no longer follow this consultation."), "success")
    return redirect(_detail_url(consultation, "follow"))


# Questionnaire


def _questionnaire_page(consultation, values, errors=None, status=200, problem=None):
    response = participation.response_of(current_user, consultation)
    return render_template(
        "consultations/questionnaire.html",
        consultation=consultation,
        shown=consultation.translated(_language()),
        language=_language(),
        questions=consultation.questions,
        values=values,
        errors=errors or {},
        response=response,
        problem=problem,
        field_name=questionnaire.field_name,
        form=ActionForm(),
    ), status


@bp.get("/<int:consultation_id>/questionnaire")
@login_required
def answer(consultation_id):
    consultation = _load(consultation_id)
    if not consultation.questions:
        abort(404)
    refusal = participation.participation_refusal(current_user, consultation)
    response = participation.response_of(current_user, consultation)
    stored = questionnaire.answers_as_form(consultation.questions,
                                           response.answers if response else [])
    values = questionnaire.FormValues(stored=stored)
    return _questionnaire_page(consultation, values, problem=refusal,
                               status=403 if refusal else 200)


@bp.post("/<int:consultation_id>/questionnaire")
@login_required
def save_answers(consultation_id):
    consultation = _load(consultation_id)
    if not consultation.questions:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    values = questionnaire.FormValues(form=request.form)
    refusal = participation.participation_refusal(current_user, consultation)
    if refusal:
        return _questionnaire_page(consultation, values, problem=refusal, status=403)
    submit = request.form.get("action") != "draft"
    for attempt in (1, 2):
        try:
            response = participation.save_response(current_user, consultation, request.form,
                                                   submit=submit)
            db.session.commit()
            break
        except participation.InvalidAnswers as error:
            return _questionnaire_page(consultation, values, errors=error.errors, status=422)
        except DomainError as error:
            return _questionnaire_page(consultation, values, problem=error.message, status=422)
        except IntegrityError:
            # The same form sent twice at once: the other request created the response;
            # save again onto it.
            db.session.rollback()
            if attempt == 2:
                raise
    if response.is_submitted:
        flash(_("Thank you, your answers are saved. You can change them until the "
                "consultation closes."), "success")
        return redirect(_detail_url(consultation, "questionnaire"))
    flash(_("Your draft is saved. Come back to finish it before the consultation closes."),
          "success")
    return redirect(url_for("consultations.answer", consultation_id=consultation.id))


# Contributions


def _replayed(submission_key):
    """After a unique-key clash: the same form was sent twice at once; give back the row
    the other request created."""
    db.session.rollback()
    existing = participation.existing_submission(current_user, submission_key)
    if existing is None:
        raise  # the IntegrityError being handled: not a replay after all
    return existing


@bp.post("/<int:consultation_id>/contributions")
@limited("RATELIMIT_CONTRIBUTE", CONTRIBUTE)
@login_required
def contribute(consultation_id):
    consultation = _load(consultation_id)
    form = _contribution_form(consultation, formdata=request.form)
    refusal = participation.participation_refusal(current_user, consultation)
    if refusal:
        return _detail_page(consultation, form, 403, problem=refusal)
    if not form.validate_on_submit():
        return _detail_page(consultation, form, 422)
    key = form.submission_key.data or None
    try:
        contribution, created = participation.post_contribution(
            current_user, consultation, form.body.data,
            theme_id=int(form.theme.data) if form.theme.data else None,
            association_id=int(form.post_as.data) if form.post_as.data else None,
            submission_key=key, language=_language(),
        )
        db.session.commit()
    except DomainError as error:
        form.body.errors.append(error.message)
        return _detail_page(consultation, form, 422)
    except IntegrityError:
        contribution, created = _replayed(key), False
    _flash_posted(contribution, created, _("Thank you, your contribution is published."))
    return redirect(_detail_url(consultation, _contribution_anchor(contribution)))


def _flash_posted(contribution, created: bool, published_message) -> None:
    if not created:
        flash(_("This text had already been sent: it is saved only once."), "info")
    elif contribution.is_visible:
        flash(published_message, "success")
    else:
        flash(_("Thank you. Your text will be published once a moderator has checked it."),
              "success")


def _contribution_page(consultation, contribution, reply_form=None, status=200, problem=None):
    language = _language()
    replies = None
    if not contribution.is_reply:
        replies = queries.replies_page(contribution, current_user, REPLIES_PER_PAGE)
    shown_ids = [contribution.id] + ([r.id for r in replies.items] if replies else [])
    can_reply = permissions.can_reply(current_user, contribution)
    if reply_form is None and can_reply:
        reply_form = _reply_form()
    return render_template(
        "consultations/contribution.html",
        consultation=consultation,
        shown=consultation.translated(language),
        language=language,
        contribution=contribution,
        replies=replies,
        supported=queries.supported_ids(current_user, shown_ids),
        can_reply=can_reply,
        form=reply_form,
        action_form=ActionForm(),
        problem=problem,
        refusal=participation.participation_refusal(current_user, consultation),
        permissions=permissions,
    ), status


@bp.get("/<int:consultation_id>/contributions/<int:contribution_id>")
@cached_page
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
            current_user, parent, form.body.data, submission_key=key, language=_language(),
        )
        db.session.commit()
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
    form.theme.choices = _theme_choices(consultation, _language(), _("No particular theme"))
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
            db.session.commit()
            if changed and not item.is_visible:
                flash(_("Your changes are saved. They will be published once a moderator has "
                        "checked them."), "success")
            elif changed:
                flash(_("Your changes are saved."), "success")
            return redirect(_contribution_url(consultation, item))
    status = 422 if form.errors else 200
    return render_template(
        "consultations/edit_contribution.html", consultation=consultation,
        shown=consultation.translated(_language()), contribution=item, form=form,
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
        db.session.commit()
        flash(_("Your contribution has been deleted."), "success")
        return redirect(_detail_url(consultation, "contributions"))
    return render_template(
        "consultations/delete_contribution.html", consultation=consultation,
        shown=consultation.translated(_language()), contribution=item, form=form,
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
        shown=consultation.translated(_language()), contribution=item,
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
        db.session.commit()
    except DomainError as error:
        flash(error.message, "error")
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
        flash(error.message, "error")
    else:
        db.session.commit()
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
            db.session.commit()
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
        shown=consultation.translated(_language()), contribution=item, form=form,
    ), status


# Search


@bp.get("/search")
@limited("RATELIMIT_SEARCH", SEARCH, methods=("GET",))
@cached_page
def search():
    query = request.args.get("q", "").strip()[:200]
    terms, page = queries.search_everything(query, current_user, _language(), SEARCH_PER_PAGE)
    return render_template(
        "consultations/search.html", query=query, terms=terms, page=page, language=_language(),
    )


from engage.consultations import manage  # noqa: E402,F401 - the management routes
