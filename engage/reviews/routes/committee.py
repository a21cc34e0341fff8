"""Lay review, the moderators' side: the committee dashboard and the exports."""

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.auth import moderator_required
from engage.core.i18n import page_language
from engage.core.page_cache import cached_page
from engage.core.pagination import ListPage
from engage.reviews import exports, permissions
from engage.reviews.dashboard import build_dashboard
from engage.reviews.routes import bp, forbidden_page, load_call


def _dashboard_call(call_id):
    call = load_call(call_id)
    if not permissions.can_view_dashboard(current_user, call):
        return call, forbidden_page(_("The committee dashboard opens with the review."))
    return call, None


@bp.get("/calls/<int:call_id>/dashboard")
@moderator_required
@cached_page
def dashboard(call_id):
    call, refused = _dashboard_call(call_id)
    if refused:
        return refused
    board = build_dashboard(call)
    page = ListPage.of_list(board.rows, current_app.config["PAGE_SIZE"])
    return render_template("reviews/dashboard.html", call=call, board=board, page=page,
                           language=page_language(),
                           can_export_feedback=permissions.can_export_feedback(current_user, call))


def _download(body, mimetype, filename):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/calls/<int:call_id>/committee.csv")
@moderator_required
def export_csv(call_id):
    call, refused = _dashboard_call(call_id)
    if refused:
        return refused
    return _download(exports.committee_csv(build_dashboard(call), page_language()),
                     "text/csv; charset=utf-8", f"committee-call-{call.id}.csv")


@bp.get("/calls/<int:call_id>/committee-pack.pdf")
@moderator_required
def export_pack(call_id):
    call, refused = _dashboard_call(call_id)
    if refused:
        return refused
    return _download(exports.committee_pack_pdf(build_dashboard(call), page_language()),
                     "application/pdf", f"committee-pack-call-{call.id}.pdf")


@bp.get("/calls/<int:call_id>/feedback.csv")
@moderator_required
def export_feedback(call_id):
    call = load_call(call_id)
    if not permissions.can_export_feedback(current_user, call):
        return forbidden_page(_("The applicants’ feedback can be exported once the call is "
                            "decided."))
    return _download(exports.feedback_csv(build_dashboard(call), page_language()),
                     "text/csv; charset=utf-8", f"applicant-feedback-call-{call.id}.csv")
