"""The summaries' public pages: the list, the outcome reports and their downloads, and
the Atom feed (with its date filter)."""

from datetime import UTC

from flask import Response, current_app, render_template, url_for

from engage.consultations.results import questionnaire_results
from engage.core import versions
from engage.core.db import utcnow
from engage.core.i18n import page_language
from engage.core.markdown import render_markdown
from engage.core.page_cache import cached_page
from engage.core.pagination import paginate
from engage.extensions import db
from engage.summaries import citations, exports, outcome
from engage.summaries.models import Summary
from engage.summaries.queries import lead, load_questionnaire, published_statement
from engage.summaries.report_view import ArgumentsView
from engage.summaries.routes import bp, consultation_of, load_summary

FEED_SIZE = 20


@bp.get("/")
@cached_page(scopes=lambda: [versions.SUMMARIES])
def index():
    page = paginate(published_statement())
    return render_template("summaries/index.html", page=page, language=page_language(), lead=lead)


@bp.get("/feed.atom")
def feed():
    language = page_language()
    summaries = db.session.scalars(published_statement().limit(FEED_SIZE)).unique().all()
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
    load_questionnaire(consultation)
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
        "arguments_view": ArgumentsView(consultation.id, language, external),
        "language": language,
        "external": external,
    }


@bp.get("/<int:summary_id>")
@cached_page(scopes=lambda summary_id: [
    versions.SUMMARIES, versions.consultation(consultation_of(summary_id))])
def report(summary_id):
    summary = load_summary(summary_id)
    return render_template("summaries/report.html", **report_context(summary, page_language()))


def _download_name(summary: Summary, extension: str) -> str:
    return f"engage-consultation-{summary.consultation_id}-{page_language()}.{extension}"


def _attachment(data, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:summary_id>/report.pdf")
def report_pdf(summary_id):
    summary = load_summary(summary_id)
    context = report_context(summary, page_language(), external=True)
    # Relative addresses in the PDF resolve against the site's, not the request's Host.
    context["base_url"] = current_app.config["BASE_URL"] + "/"
    context["report_url"] = url_for("summaries.report", summary_id=summary.id, _external=True)
    pdf = exports.as_pdf(context)
    return _attachment(pdf, "application/pdf", _download_name(summary, "pdf"))


@bp.get("/<int:summary_id>/contributions.csv")
def contributions_csv(summary_id):
    summary = load_summary(summary_id)
    data = exports.as_csv(summary.consultation, page_language())
    return _attachment(data, "text/csv; charset=utf-8", _download_name(summary, "csv"))


@bp.get("/<int:summary_id>/questionnaire.csv")
def questionnaire_csv(summary_id):
    summary = load_summary(summary_id)
    data = exports.questionnaire_csv(summary.consultation, page_language())
    name = _download_name(summary, "csv").replace("consultation-", "questionnaire-", 1)
    return _attachment(data, "text/csv; charset=utf-8", name)


@bp.get("/<int:summary_id>/contributions.json")
def contributions_json(summary_id):
    summary = load_summary(summary_id)
    data = exports.as_json(summary.consultation, page_language(),
                           url_for("summaries.report", summary_id=summary.id, _external=True))
    return _attachment(data, "application/json", _download_name(summary, "json"))


def atom_date(value) -> str:
    value = value or utcnow()
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
