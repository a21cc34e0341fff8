"""The open-data API: read-only JSON of published content under /api/v1.

Every list is paginated (`page`, `per_page`) with links in the body and a `Link` header;
every 200 answer carries an ETag (`If-None-Match` gives 304) and may be cached for a
minute; every answer allows any origin (CORS, no credentials). Texts come in every
language, or in the one asked for with `?lang=`. The API never looks at who is signed in:
a moderator gets exactly what a visitor gets.
"""

import json
import logging
from typing import Any, overload

from flask import Blueprint, abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload
from werkzeug.exceptions import HTTPException

from engage.accountability import open_data
from engage.api import openapi, queries, serializers
from engage.consultations.results import questionnaire_results
from engage.core import aggregate_cache, errors, page_cache, versions
from engage.core.bounds import MAX_ID
from engage.core.i18n import page_language
from engage.core.unit_of_work import roll_back_quietly
from engage.extensions import csrf, db
from engage.priorities.models import QuestionStatus
from engage.priorities.results import (
    engagement,
    group_columns,
    interim_figures_published,
    interim_tally,
)

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
CACHE_SECONDS = 60
LICENCE = {
    "name": "Licence Ouverte 2.0 / Etalab",
    "identifier": "etalab-2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


# What the open data shows: every public list, each support count, the network's record.
SCOPES = (versions.CONSULTATIONS, versions.CONTRIBUTIONS, versions.SUPPORTS,
          versions.SUMMARIES, versions.EXERCISES, versions.CALLS, open_data.SCOPE)


def _scopes(**view_args) -> list[str]:
    return [*SCOPES, *page_cache.by_address(**view_args)]


# Language, parameters, responses


@bp.before_request
def _choose_language():
    """`?lang=` (or the platform's first language) for links to pages and labels."""
    languages = current_app.config["LANGUAGES"]
    value = request.args.get("lang") or None
    if value is not None and value not in languages:
        g.api_language, g.lang_code = None, languages[0]
        refresh()
        abort(400, _("Unknown language “%(value)s”: use one of %(choices)s.",
                     value=value, choices=", ".join(languages)))
    g.api_language = value
    g.lang_code = value or languages[0]
    refresh()


def language() -> str | None:
    """The language asked for, or None for every translation."""
    return g.get("api_language")


def json_response(body, status: int = 200):
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(text, status=status, mimetype="application/json")


@overload
def int_arg(name: str, default: int) -> int: ...
@overload
def int_arg(name: str, default: None = None) -> int | None: ...
def int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
        abort(400, _("“%(name)s” must be a whole number from 1.", name=name))
    return int(raw)


def choice_arg(name: str, choices) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in choices:
        abort(400, _("“%(name)s” must be one of %(choices)s.", name=name,
                     choices=", ".join(choices)))
    return value


def _page_url(page: int) -> str:
    endpoint = request.endpoint
    if endpoint is None:  # only called from a matched API route
        raise RuntimeError("no endpoint to link to outside a routed request")
    # The path arguments win over a query argument of the same name, and url_for's own
    # `_external`, `_anchor`… are not taken from the query (passing a name twice to url_for
    # raised TypeError: a 500 for `?exercise_id=…` under an exercise, or `?_external=`).
    query = {key: value for key, value in request.args.to_dict(flat=True).items()
             if not key.startswith("_")}
    values: dict[str, Any] = {**query, **(request.view_args or {}), "page": page}
    return url_for(endpoint, **values, _external=True)


def listing(statement, serialize):
    """A page of `statement`, each row made a dict by `serialize(rows) -> list`."""
    page = int_arg("page", 1)
    per_page = int_arg("per_page", DEFAULT_PER_PAGE)
    if per_page > MAX_PER_PAGE:
        abort(400, _("“per_page” must be at most %(max)d.", max=MAX_PER_PAGE))
    pagination = db.paginate(statement, page=page, per_page=per_page,
                             max_per_page=MAX_PER_PAGE, error_out=False, count=False)
    # The same for everyone: counted once while nothing is written (aggregate_cache).
    filters = tuple(sorted((key, value) for key, value in request.args.items(multi=True)
                           if key not in ("page", "per_page")))
    pagination.total = aggregate_cache.remember(
        ("api-total", request.path, filters), lambda: db.session.scalar(
            select(func.count()).select_from(
                statement.options(lazyload("*")).order_by(None).subquery())) or 0,
        SCOPES)
    pages = pagination.pages
    last = max(pages, 1)
    links = {
        "self": _page_url(page),
        "first": _page_url(1),
        "last": _page_url(last),
        "prev": _page_url(min(page - 1, last)) if page > 1 else None,
        "next": _page_url(page + 1) if page < pages else None,
    }
    response = json_response({
        "data": serialize(list(pagination.items)),
        "meta": {"page": page, "per_page": per_page, "total": pagination.total,
                 "pages": pages},
        "links": links,
    })
    response.headers["Link"] = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.items() if url is not None)
    return response


def not_found():
    abort(404, _("There is nothing public at this address."))


@bp.after_request
def _api_headers(response):
    """CORS for anyone, no credentials; ETag and a short public cache on every 200."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.max_age = CACHE_SECONDS
        response.add_etag()
        response.make_conditional(request)
    return response


def _default_message(code: int) -> str:
    if code == 404:
        return _("There is nothing public at this address.")
    if code == 405:
        return _("This API is read-only: use GET.")
    return _("The request could not be understood.")


@bp.errorhandler(HTTPException)
def _http_error(error):
    message = error.description
    if not isinstance(message, str) or message == type(error).description:
        message = _default_message(error.code)
    response = json_response({"error": {"status": error.code, "message": str(message)}},
                             error.code)
    for name, value in error.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


@bp.errorhandler(Exception)
def _unexpected_error(error):
    if errors.database_unavailable(error):
        # Like the pages: "come back later", not "something is broken".
        log.warning("The database cannot be reached: API answered 503", exc_info=error)
        roll_back_quietly()
        response = json_response({"error": {"status": 503, "message": _(
            "The service is temporarily unavailable. Please try again in a moment.")}}, 503)
        response.headers["Retry-After"] = str(errors.RETRY_AFTER_SECONDS)
        return response
    log.exception("Unhandled error in the API")
    db.session.rollback()
    return json_response({"error": {"status": 500, "message": _(
        "Something went wrong on our side. Please try again later.")}}, 500)


# The index and the description


@bp.get("/")
def index():
    return json_response({
        "name": "Engage open data API",
        "version": openapi.API_VERSION,
        "licence": LICENCE,
        "languages": list(current_app.config["LANGUAGES"]),
        "links": {
            "self": serializers.api_url("index"),
            "openapi": serializers.api_url("openapi_document"),
            "consultations": serializers.api_url("consultations"),
            "contributions": serializers.api_url("contributions"),
            "summaries": serializers.api_url("summaries"),
            "priorities": serializers.api_url("exercises"),
            "themes": serializers.api_url("themes"),
            "participation": serializers.api_url("participation"),
            "commitments": serializers.api_url("commitments"),
            "projects": serializers.api_url("projects"),
            "accountability_figures": serializers.api_url("accountability_figures"),
        },
    })


@bp.get("/openapi.json")
def openapi_document():
    return json_response(openapi.document(current_app.config["LANGUAGES"], LICENCE))


@bp.get("/<path:anything>")
def unknown(anything):
    not_found()


# Consultations


@bp.get("/themes")
def themes():
    lang = language()
    return listing(queries.themes(),
                   lambda rows: [serializers.theme(item, lang) for item in rows])


def _consultations(rows):
    ids = [item.id for item in rows]
    figures = queries.figures(ids)
    summaries = queries.published_summaries(ids)
    return [serializers.consultation(item, language(), page_language(), figures[item.id],
                                     summaries.get(item.id)) for item in rows]


@bp.get("/consultations")
def consultations():
    status = choice_arg("status", [s.value for s in queries.PUBLIC_STATUSES])
    return listing(queries.consultations(status, int_arg("theme")), _consultations)


@bp.get("/consultations/<int:consultation_id>")
def consultation(consultation_id):
    item = queries.consultation(consultation_id) or not_found()
    return json_response(_consultations([item])[0])


@bp.get("/consultations/<int:consultation_id>/results")
def consultation_results(consultation_id):
    item = queries.consultation(consultation_id) or not_found()
    if not item.shows_results:
        abort(404, _("The results are published once the consultation is closed."))
    results = questionnaire_results(item, page_language())
    return json_response(serializers.questionnaire(item, results, language()))


@bp.get("/consultations/<int:consultation_id>/participation")
def consultation_participation(consultation_id):
    item = queries.consultation(consultation_id) or not_found()
    return json_response(serializers.participation(queries.participation(item.id), item.id))


@bp.get("/participation")
def participation():
    return json_response(serializers.participation(queries.participation(), None))


# Contributions


def _contributions(rows):
    themes = queries.themes_of(rows)
    return [serializers.contribution(item, themes[item.id], language(), page_language())
            for item in rows]


@bp.get("/contributions")
def contributions():
    statement = queries.contributions(int_arg("consultation"), int_arg("theme"))
    return listing(statement, _contributions)


@bp.get("/contributions/<int:contribution_id>")
def contribution(contribution_id):
    item = queries.contribution(contribution_id) or not_found()
    return json_response(_contributions([item])[0])


# Summaries


def _summaries(rows):
    cited = queries.cited_contributions([item.id for item in rows])
    return [serializers.summary(item, cited[item.id], language(), page_language())
            for item in rows]


@bp.get("/summaries")
def summaries():
    return listing(queries.summaries(int_arg("consultation")), _summaries)


@bp.get("/summaries/<int:summary_id>")
def summary(summary_id):
    item = queries.summary(summary_id) or not_found()
    return json_response(_summaries([item])[0])


# Research priorities


@bp.get("/priorities")
def exercises():
    lang = language()
    return listing(queries.exercises(), lambda rows: [
        serializers.exercise(item, lang, page_language()) for item in rows])


@bp.get("/priorities/<int:exercise_id>")
def exercise(exercise_id):
    item = queries.exercise(exercise_id) or not_found()
    body = serializers.exercise(item, language(), page_language())
    body["figures"] = serializers.exercise_figures(engagement(item), group_columns(item))
    return json_response(body)


@bp.get("/priorities/<int:exercise_id>/questions")
def exercise_questions(exercise_id):
    item = queries.exercise(exercise_id) or not_found()
    status = choice_arg("status", [s.value for s in QuestionStatus])
    tally = interim_tally(item)
    published = interim_figures_published(item)
    columns = group_columns(item)
    lang = language()
    return listing(queries.priority_questions(item.id, status), lambda rows: [
        serializers.priority_question(
            question, tally.score_of(question.id) if published else None, columns,
            item.workshop_size, lang) for question in rows])


# The network's record: commitments, funded projects, figures


def _commitments(rows, with_updates: bool = False):
    ids = [item.id for item in rows]
    cited = queries.commitment_citations(ids)
    calls = open_data.calls_of_commitments(ids)
    return [serializers.commitment(item, cited[item.id], calls[item.id], language(),
                                   page_language(), with_updates) for item in rows]


@bp.get("/commitments")
def commitments():
    status = choice_arg("status", open_data.STATUSES)
    return listing(open_data.commitments(status), _commitments)


@bp.get("/commitments/<int:commitment_id>")
def commitment(commitment_id):
    item = open_data.commitment(commitment_id) or not_found()
    return json_response(_commitments([item], with_updates=True)[0])


def _projects(rows, with_updates: bool = False):
    answers = open_data.call_answers({item.call_id for item in rows})
    return [serializers.project(item, open_data.lay_review(item), answers[item.call_id],
                                language(), page_language(), with_updates) for item in rows]


@bp.get("/projects")
def projects():
    return listing(open_data.projects(int_arg("call"), with_updates=False), _projects)


@bp.get("/projects/<int:project_id>")
def project(project_id):
    item = open_data.project(project_id) or not_found()
    return json_response(_projects([item], with_updates=True)[0])


@bp.get("/accountability/figures")
def accountability_figures():
    return json_response(serializers.accountability_figures(open_data.figures()))


# Every answer depends on the address and the published data only.
page_cache.cache_blueprint(bp, _scopes)
