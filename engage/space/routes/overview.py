"""My space: what the person wrote and follows, their latest notifications."""

from flask import render_template
from flask_login import current_user, login_required

from engage.core.i18n import page_language
from engage.space import queries, services
from engage.space.routes import bp


@bp.get("/")
@login_required
def index():
    # The one write of a page view: the start of a visit, at most once per VISIT_LENGTH.
    since = services.record_visit(current_user)
    language = page_language()
    return render_template(
        "space/index.html", latest=queries.latest(current_user, language),
        unread=queries.header_unread_count(), sections=queries.sections(current_user, since),
        since=since)
