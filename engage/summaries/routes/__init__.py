"""The summaries' blueprint and what its routes share: the page language, the site's
languages, and the loader of a summary (404 for the public until it is published).

Routes: public.py (the list, reports, downloads, the feed) and manage.py (the moderators'
editor and review workflow). engage.summaries.init_app imports them.
"""

from flask import Blueprint, abort, current_app
from flask_login import current_user
from sqlalchemy.orm import joinedload

from engage.consultations.queries import consultation_options
from engage.extensions import db
from engage.summaries import permissions
from engage.summaries.models import Summary

bp = Blueprint("summaries", __name__, url_prefix="/<lang_code>/summaries")


def site_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def load_summary(summary_id: int) -> Summary:
    # The summary, its texts, its consultation's texts and themes: one query.
    summary = db.get_or_404(Summary, summary_id, options=[
        joinedload(Summary.translations),
        joinedload(Summary.consultation).options(*consultation_options())])
    if not permissions.can_view(current_user, summary):
        abort(404)  # an unpublished summary does not exist for the public
    return summary
