"""The summaries' blueprint and what its routes share: the page language, the site's
languages, and the loader of a summary (404 for the public until it is published).

Routes: public.py (the list, reports, downloads, the feed) and manage.py (the moderators'
editor and review workflow). engage.summaries.init_app imports them.
"""

from functools import cache

from flask import Blueprint, abort, current_app
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from engage.consultations.queries import consultation_options
from engage.extensions import db
from engage.summaries import permissions
from engage.summaries.models import Summary

bp = Blueprint("summaries", __name__, url_prefix="/<lang_code>/summaries")


def site_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def consultation_of(summary_id: int) -> int | None:
    """The consultation a summary is of: what its outcome report shows (engage.core.versions)."""
    return db.session.scalar(select(Summary.consultation_id).where(Summary.id == summary_id))


@cache  # built once per process: building it costs more than running it
def _summary_statement():
    # The summary, its texts, its consultation's texts (one query), then the themes.
    return select(Summary).where(Summary.id == bindparam("summary_id")).options(
        joinedload(Summary.translations),
        joinedload(Summary.consultation).options(*consultation_options()))


def load_summary(summary_id: int) -> Summary:
    summary = db.session.scalars(_summary_statement(),
                                 {"summary_id": summary_id}).unique().first()
    if summary is None:
        abort(404)
    if not permissions.can_view(current_user, summary):
        abort(404)  # an unpublished summary does not exist for the public
    return summary
