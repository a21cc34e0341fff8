"""Lay review's blueprint and what its routes share: loaders, the 403 page, the page
language, and the moderators' view of an application (shown again by the staff forms).

Routes: public.py (the reviewers' side), calls.py, rubric.py, applications.py, pool.py
and committee.py (the moderators' side). engage.reviews.init_app imports them.
"""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from engage.core.i18n import page_language
from engage.core.markdown import plain_text
from engage.core.readability import SUPPORTED_LANGUAGES, measure
from engage.extensions import db
from engage.reviews import permissions, services
from engage.reviews.dashboard import reviewer_letters
from engage.reviews.forms import AssignForm, ConfirmForm, DecisionForm
from engage.reviews.models import Application, Assignment, Criterion, FundingCall

bp = Blueprint("reviews", __name__, url_prefix="/<lang_code>/reviews")


def forbidden_page(message, link=None, link_text=None):
    """403 with an explanation of what to do."""
    return render_template("reviews/forbidden.html", message=message, link=link,
                           link_text=link_text), 403


def load_application(application_id) -> Application:
    return db.first_or_404(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.call).selectinload(FundingCall.translations))
    )


def load_call(call_id) -> FundingCall:
    return db.first_or_404(
        select(FundingCall).where(FundingCall.id == call_id)
        .options(selectinload(FundingCall.translations),
                 selectinload(FundingCall.criteria).selectinload(Criterion.translations))
    )


def application_readability(application: Application):
    if application.summary_language not in SUPPORTED_LANGUAGES:
        return None
    return measure(plain_text(application.lay_summary), application.summary_language)


def moderator_application_page(application: Application, assign_form=None,
                                decision_form=None, status=200):
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.application_id == application.id)
        .options(joinedload(Assignment.reviewer), selectinload(Assignment.review),
                 selectinload(Assignment.declarations))
        .order_by(Assignment.id)
    ).all()
    call = application.call
    if assign_form is None:
        assign_form = AssignForm(formdata=None)
    taken = {a.reviewer_id for a in assignments}
    pool = db.session.scalars(services.pool_statement()).all()
    assign_form.reviewer_id.choices = [(0, _("Choose a reviewer…"))] + [
        (u.id, u.display_name) for u in pool if u.id not in taken]
    if decision_form is None:
        decision_form = DecisionForm(formdata=None, decision=application.decision or "",
                                     decision_note=application.decision_note)
    return render_template(
        "reviews/application.html", application=application, call=call,
        assignments=assignments, readability=application_readability(application),
        letters=reviewer_letters(assignments), assign_form=assign_form,
        decision_form=decision_form, confirm_form=ConfirmForm(formdata=None),
        can_assign=permissions.can_assign(current_user, call),
        can_edit=permissions.can_add_applications(current_user, call),
        can_decide=permissions.can_record_decision(current_user, call),
        language=page_language(), moderator=True,
    ), status
