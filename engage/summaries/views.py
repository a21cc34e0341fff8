"""Summaries: the public list, outcome reports and their downloads, the Atom feed, and the
moderators' editor with its readability panel and review workflow."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload

from engage.consultations.models import Consultation, ConsultationStatus
from engage.consultations.queries import consultation_options
from engage.consultations.results import questionnaire_results
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.markdown import plain_text, render_markdown
from engage.core.page_cache import cached_page
from engage.core.pagination import paginate
from engage.core.readability import LEVEL_LABELS
from engage.extensions import db
from engage.summaries import citations, exports, outcome, permissions, services
from engage.summaries.forms import ReturnForm, VersionForm, response_form_class, summary_form_class
from engage.summaries.models import Citation, Summary, SummaryRevision, SummaryStatus
from engage.summaries.readability import measure_summary

bp = Blueprint("summaries", __name__, url_prefix="/<lang_code>/summaries")

FEED_SIZE = 20
READABILITY_TEXT_MAX = services.BODY_MAX_LENGTH


def _language() -> str:
    return str(get_locale())


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def _load(summary_id: int) -> Summary:
    # The summary, its texts, its consultation's texts and themes: one query.
    summary = db.get_or_404(Summary, summary_id, options=[
        joinedload(Summary.translations),
        joinedload(Summary.consultation).options(*consultation_options())])
    if not permissions.can_view(current_user, summary):
        abort(404)  # an unpublished summary does not exist for the public
    return summary


def _published():
    # The summaries with their texts and their consultations' titles: one query.
    return (select(Summary).where(Summary.status == SummaryStatus.PUBLISHED)
            .options(joinedload(Summary.translations),
                     joinedload(Summary.consultation).options(
                         joinedload(Consultation.translations), lazyload(Consultation.themes)))
            .order_by(Summary.published_at.desc(), Summary.id.desc()))


def lead(summary: Summary, language: str, limit: int = 280) -> tuple[str, str]:
    """The first words of the summary in `language` (or its fallback): (text, language)."""
    shown = summary.translated(language)
    if shown is None:
        return "", language
    text = " ".join(plain_text(citations.strip_citations(shown.body)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text, shown.language


# Public pages


@bp.get("/")
@cached_page
def index():
    page = paginate(_published())
    return render_template("summaries/index.html", page=page, language=_language(), lead=lead)


@bp.get("/feed.atom")
def feed():
    language = _language()
    summaries = db.session.scalars(_published().limit(FEED_SIZE)).unique().all()
    xml = render_template("summaries/feed.atom.html", summaries=summaries, language=language,
                          lead=lead, render=_rendered_body)
    return Response(xml, mimetype="application/atom+xml")


def _rendered_body(summary: Summary, language: str, external: bool = False):
    shown = summary.translated(language)
    if shown is None:
        return None, None
    check = citations.check({shown.language: shown.body}, summary.consultation_id)
    return shown, citations.render(shown.body, summary.consultation_id,
                                   check[shown.language].linked, language, external)


def report_context(summary: Summary, language: str, external: bool = False) -> dict:
    consultation = summary.consultation
    shown, body = _rendered_body(summary, language, external)
    response = None
    if summary.has_response and shown is not None and shown.response:
        response = render_markdown(shown.response)
    return {
        "summary": summary,
        "consultation": consultation,
        "consultation_shown": consultation.translated(language),
        "shown": shown,
        "body": body,
        "response": response,
        "figures": outcome.participation(consultation),
        "results": questionnaire_results(consultation, language)
        if consultation.questions else None,
        "groups": outcome.arguments_by_theme(consultation),
        "language": language,
        "external": external,
    }


@bp.get("/<int:summary_id>")
@cached_page
def report(summary_id):
    summary = _load(summary_id)
    return render_template("summaries/report.html", **report_context(summary, _language()))


def _download_name(summary: Summary, extension: str) -> str:
    return f"engage-consultation-{summary.consultation_id}-{_language()}.{extension}"


def _attachment(data, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:summary_id>/report.pdf")
def report_pdf(summary_id):
    summary = _load(summary_id)
    context = report_context(summary, _language(), external=True)
    context["base_url"] = request.url_root
    context["report_url"] = url_for("summaries.report", summary_id=summary.id, _external=True)
    pdf = exports.as_pdf(context)
    return _attachment(pdf, "application/pdf", _download_name(summary, "pdf"))


@bp.get("/<int:summary_id>/contributions.csv")
def contributions_csv(summary_id):
    summary = _load(summary_id)
    data = exports.as_csv(summary.consultation, _language())
    return _attachment(data, "text/csv; charset=utf-8", _download_name(summary, "csv"))


@bp.get("/<int:summary_id>/contributions.json")
def contributions_json(summary_id):
    summary = _load(summary_id)
    data = exports.as_json(summary.consultation, _language(),
                           url_for("summaries.report", summary_id=summary.id, _external=True))
    return _attachment(data, "application/json", _download_name(summary, "json"))


# Moderators: writing and reviewing


@bp.get("/manage")
@moderator_required
def manage():
    statuses = (ConsultationStatus.CLOSED, ConsultationStatus.SUMMARIZED,
                ConsultationStatus.ARCHIVED)
    page = paginate(
        select(Consultation).where(Consultation.status.in_(statuses))
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    )
    ids = [c.id for c in page.items]
    summaries = {s.consultation_id: s for s in db.session.scalars(
        select(Summary).where(Summary.consultation_id.in_(ids)))} if ids else {}
    return render_template("summaries/manage.html", page=page, summaries=summaries,
                           language=_language(), start_form=VersionForm(formdata=None),
                           permissions=permissions)


@bp.post("/consultations/<int:consultation_id>/start")
@moderator_required
def start(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    if not VersionForm().validate_on_submit():
        abort(400)
    try:
        summary, _created = services.start(current_user, consultation)
        db.session.commit()
    except IntegrityError:  # started twice at once: open the one that exists
        db.session.rollback()
        summary = services.summary_of(consultation)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("summaries.manage"))
    return redirect(url_for("summaries.edit", summary_id=summary.id))


def _readability_panels(texts: dict[str, str]) -> dict:
    return {code: measure_summary(text, code) for code, text in texts.items()}


def _editor(summary: Summary, form=None, status: int = 200, checked: bool = False,
            problem=None):
    languages = _languages()
    form_class = summary_form_class(languages)
    if form is None:
        form = form_class(formdata=None)
        for code in languages:
            form[f"body_{code}"].data = summary.body(code)
        form.version.data = str(summary.version)
    texts = form.texts()
    checks = citations.check(texts, summary.consultation_id)
    previews = {code: citations.render(texts[code], summary.consultation_id,
                                       checks[code].linked, _language())
                for code in languages}
    editors = services.editor_ids(summary)
    workflow = VersionForm(formdata=None)
    workflow.version.data = str(summary.version)
    return_form = ReturnForm(formdata=None)
    return_form.version.data = str(summary.version)
    revisions = db.session.scalars(
        select(SummaryRevision).where(SummaryRevision.summary_id == summary.id)
        .options(joinedload(SummaryRevision.edited_by))
        .order_by(SummaryRevision.id.desc()).limit(10)
    ).all()
    return render_template(
        "summaries/edit.html", summary=summary, consultation=summary.consultation,
        title=summary.consultation.title(_language()), form=form, codes=languages,
        checks=checks, previews=previews, readability=_readability_panels(texts),
        can_approve=permissions.can_approve(current_user, summary, editors),
        is_editor=current_user.id in editors or current_user.id == summary.submitted_by_id,
        workflow=workflow, return_form=return_form, revisions=revisions,
        missing=summary.missing_languages(languages), permissions=permissions,
        checked=checked, language=_language(), problem=problem,
    ), status


@bp.route("/<int:summary_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit(summary_id):
    summary = db.get_or_404(Summary, summary_id)
    if request.method == "GET":
        return _editor(summary)
    if not permissions.can_edit(current_user, summary):
        flash(_("Only a draft can be changed: send it back to draft first."), "error")
        return redirect(url_for("summaries.edit", summary_id=summary.id))
    form = summary_form_class(_languages())()
    if not form.validate_on_submit():
        return _editor(summary, form, 422)
    if request.form.get("action") == "check":
        return _editor(summary, form, checked=True)
    try:
        changed = services.save(current_user, summary, form.texts(), form.version.data or None)
    except services.StaleSummary as error:
        db.session.rollback()
        form.version.data = str(db.session.get(Summary, summary_id).version)
        return _editor(db.session.get(Summary, summary_id), form, 409, problem=error.message)
    except DomainError as error:
        db.session.rollback()
        return _editor(db.session.get(Summary, summary_id), form, 422, problem=error.message)
    db.session.commit()
    flash(_("The summary is saved.") if changed else _("Nothing changed."),
          "success" if changed else "info")
    return redirect(url_for("summaries.edit", summary_id=summary.id, _anchor="readability"))


STEP_MESSAGES = {
    "submit": _l("The summary is sent for review: another moderator must approve it."),
    "approve": _l("The summary is published. Followers and participants are being told."),
    "return": _l("The summary is back to draft, with your note."),
}


@bp.post("/<int:summary_id>/<any(submit, approve, return):step>")
@moderator_required
def workflow(summary_id, step):
    summary = db.get_or_404(Summary, summary_id)
    form = ReturnForm() if step == "return" else VersionForm()
    if not form.validate_on_submit():
        if form.errors.get("csrf_token"):
            abort(400)
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("summaries.edit", summary_id=summary.id))
    version = form.version.data or None
    try:
        if step == "submit":
            services.submit(current_user, summary, version)
        elif step == "approve":
            services.approve(current_user, summary, version)
        else:
            services.return_to_draft(current_user, summary, form.note.data, version)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("summaries.edit", summary_id=summary_id))
    db.session.commit()
    flash(str(STEP_MESSAGES[step]), "success")
    if step == "approve":
        return redirect(url_for("summaries.report", summary_id=summary.id))
    return redirect(url_for("summaries.edit", summary_id=summary.id))


@bp.route("/<int:summary_id>/response", methods=["GET", "POST"])
@moderator_required
def response(summary_id):
    summary = db.get_or_404(Summary, summary_id)
    if not permissions.can_edit_response(current_user, summary):
        abort(403)
    languages = _languages()
    form_class = response_form_class(languages)
    if request.method == "GET":
        form = form_class(formdata=None)
        for code in languages:
            row = next((t for t in summary.translations if t.language == code), None)
            form[f"response_{code}"].data = row.response if row else ""
        form.response_on.data = summary.response_on
        form.version.data = str(summary.version)
    else:
        form = form_class()
        if form.validate_on_submit():
            try:
                services.save_response(current_user, summary, form.texts(),
                                       form.response_on.data, form.version.data or None)
            except DomainError as error:
                db.session.rollback()
                form.response_on.errors.append(error.message)
            else:
                db.session.commit()
                flash(_("The network’s response is published."), "success")
                return redirect(url_for("summaries.report", summary_id=summary.id,
                                        _anchor="response"))
    status = 422 if form.errors else 200
    return render_template("summaries/response.html", summary=summary, form=form,
                           codes=languages,
                           title=summary.consultation.title(_language())), status


@bp.post("/readability")
@moderator_required
def readability():
    """The readability panel of a text being written (used by static/js/summaries.js)."""
    data = request.get_json(silent=True) or {}
    language = data.get("language")
    text = data.get("text")
    if language not in _languages() or not isinstance(text, str) \
            or len(text) > READABILITY_TEXT_MAX:
        return jsonify(error=_("The text could not be measured.")), 400
    result = measure_summary(text, language)
    html = render_template("summaries/_readability.html", result=result, code=language)
    payload = {"html": html, "score": None}
    if result is not None and result.score is not None:
        payload.update(score=round(result.score, 1), target=result.target,
                       meets_target=result.meets_target)
    return jsonify(payload)


# Shared pages and the consultations' pages


def _home_section():
    summaries = db.session.scalars(_published().limit(3)).unique().all()
    if not summaries:
        return None
    return {"summaries": summaries, "language": _language(), "lead": lead}


def summaries_citing(contribution_id: int) -> list[Summary]:
    """The published summaries that cite a contribution (for its page): one query."""
    return list(db.session.scalars(
        select(Summary).join(Citation, Citation.summary_id == Summary.id)
        .where(Citation.contribution_id == contribution_id,
               Summary.status == SummaryStatus.PUBLISHED)
        .options(joinedload(Summary.consultation))
        .order_by(Summary.published_at)
    ).unique())


def published_summary_for(consultation_id: int) -> Summary | None:
    return db.session.scalar(
        select(Summary).where(Summary.consultation_id == consultation_id,
                              Summary.status == SummaryStatus.PUBLISHED)
    )


def atom_date(value) -> str:
    from datetime import UTC

    from engage.core.db import utcnow

    value = value or utcnow()
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.record_once
def _template_helpers(state):
    # HTML put in the feed as text (escaped once by the template), and Atom dates.
    state.app.jinja_env.filters.update(as_source=str, atom_date=atom_date)
    state.app.jinja_env.globals.update(
        summaries_citing=summaries_citing,
        published_summary_for=published_summary_for,
        readability_level_labels=LEVEL_LABELS,
    )


