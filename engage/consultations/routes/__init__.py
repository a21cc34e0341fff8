"""The `consultations` blueprint and what its routes share: loaders, URLs, page language.

The routes themselves are in `public.py`, `questionnaire.py`, `contributions.py` (people
taking part) and `manage.py`, `manage_questions.py` (moderators and administrators);
`engage.consultations.init_app` imports them, which registers them on `bp`.
"""

from flask import Blueprint, abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.consultations import participation, permissions, queries, services
from engage.consultations.models import Consultation
from engage.extensions import db

bp = Blueprint("consultations", __name__, url_prefix="/<lang_code>/consultations")


def _load(consultation_id: int) -> Consultation:
    consultation = db.get_or_404(Consultation, consultation_id,
                                 options=queries.consultation_page_options())
    if not permissions.can_view(current_user, consultation):
        abort(404)  # an unannounced draft does not exist for the public
    return consultation


def _load_contribution(consultation: Consultation, contribution_id: int):
    contribution = queries.load_contribution(consultation, contribution_id)
    if contribution is None or not permissions.can_see_contribution(current_user, contribution):
        abort(404)
    return contribution


def _detail_url(consultation: Consultation, anchor: str | None = None) -> str:
    return url_for("consultations.detail", consultation_id=consultation.id,
                   _anchor=anchor)


def _contribution_anchor(contribution) -> str:
    return f"contribution-{contribution.id}"


def _theme_choices(consultation: Consultation, language: str, empty_label):
    return [("", empty_label)] + [
        (str(theme.id), theme.label(language)) for theme in consultation.themes
    ]


def _replayed(submission_key):
    """After a unique-key clash: the same form was sent twice at once; give back the row
    the other request created."""
    db.session.rollback()
    existing = participation.existing_submission(current_user, submission_key)
    if existing is None:
        raise  # the IntegrityError being handled: not a replay after all
    return existing


def _flash_posted(contribution, created: bool, published_message) -> None:
    if not created:
        flash(_("This text had already been sent: it is saved only once."), "info")
    elif contribution.is_visible:
        flash(published_message, "success")
    else:
        flash(_("Thank you. Your text will be published once a moderator has checked it."),
              "success")


# Shared by the management pages


def _languages() -> tuple[str, ...]:
    return tuple(services.configured_languages())


def _managed(consultation_id: int) -> Consultation:
    return db.get_or_404(Consultation, consultation_id)


def _manage_url(consultation: Consultation, anchor: str | None = None) -> str:
    return url_for("consultations.manage", consultation_id=consultation.id, _anchor=anchor)
