"""Lay review, the reviewers' side: their assignments and profile, the declaration of
links of interest, the application (the moderators' view of it too) and the review."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from engage.core import confirm
from engage.core.db import utcnow
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.pagination import paginate
from engage.core.unit_of_work import keep_despite_error_answer
from engage.extensions import db
from engage.reviews import permissions, services, storage
from engage.reviews.dashboard import reviewer_letters
from engage.reviews.forms import DeclarationForm, ReviewerProfileForm, review_form_class
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    Criterion,
    FundingCall,
    Review,
    ReviewerProfile,
)
from engage.reviews.queries import my_assignments_statement
from engage.reviews.routes import (
    application_readability,
    bp,
    forbidden_page,
    load_application,
    moderator_application_page,
)


@bp.get("/")
@login_required
def index():
    if permissions.can_manage_calls(current_user):
        return redirect(url_for("reviews.calls"))
    if permissions.is_lay_reviewer(current_user):
        return redirect(url_for("reviews.my_assignments"))
    return forbidden_page(
        _("Lay review is for the volunteers of the reviewer pool. To join it, tick “I volunteer "
          "to review funding applications” in your account settings."),
        url_for("accounts.settings"), _("Go to my account"))


@bp.get("/assignments")
@login_required
def my_assignments():
    if not permissions.is_lay_reviewer(current_user):
        return forbidden_page(
            _("Only lay reviewers have assignments. To join the pool, tick “I volunteer to "
              "review funding applications” in your account settings."),
            url_for("accounts.settings"), _("Go to my account"))
    page = paginate(my_assignments_statement(current_user))
    profile = db.session.scalar(
        select(ReviewerProfile).where(ReviewerProfile.user_id == current_user.id))
    return render_template("reviews/assignments.html", page=page, profile=profile,
                           language=page_language(), now=utcnow())


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def reviewer_profile():
    if not permissions.is_lay_reviewer(current_user):
        return forbidden_page(
            _("This page is for lay reviewers. To join the pool, tick “I volunteer to review "
              "funding applications” in your account settings."),
            url_for("accounts.settings"), _("Go to my account"))
    profile = db.session.scalar(
        select(ReviewerProfile).where(ReviewerProfile.user_id == current_user.id))
    form = ReviewerProfileForm(obj=profile)
    if form.validate_on_submit():
        if not permissions.can_edit_reviewer_profile(current_user):
            abort(403)
        services.save_reviewer_profile(current_user, themes=form.themes.data,
                                       institutions=form.institutions.data)
        flash(_("Your reviewer profile has been saved."), "success")
        return redirect(url_for("reviews.my_assignments"))
    return render_template("reviews/profile.html", form=form), 422 if form.errors else 200


def _my_assignment(application: Application) -> Assignment | None:
    if not current_user.is_authenticated:
        return None
    return db.session.scalar(
        select(Assignment)
        .where(Assignment.application_id == application.id,
               Assignment.reviewer_id == current_user.id)
        .options(selectinload(Assignment.review).selectinload(Review.scores))
    )


def _refuse_reviewer(application: Application, assignment: Assignment | None):
    """The 403 page explaining why this reviewer cannot open the application."""
    if not permissions.can_see_assignment(current_user, assignment):
        if assignment is not None and not assignment.is_active:
            return forbidden_page(_("You declared a conflict of interest with this application: "
                                "it has been withdrawn from your assignments."))
        return forbidden_page(_("This application is not assigned to you. Reviewers can only "
                            "open the applications assigned to them."))
    return forbidden_page(
        _("Before you can read this application, please declare your links of interest and "
          "accept the confidentiality agreement."),
        url_for("reviews.declaration", application_id=application.id),
        _("Declare my links of interest"))


@bp.route("/applications/<int:application_id>/declaration", methods=["GET", "POST"])
@login_required
def declaration(application_id):
    application = load_application(application_id)
    assignment = _my_assignment(application)
    if not permissions.can_see_assignment(current_user, assignment):
        return _refuse_reviewer(application, assignment)
    form = DeclarationForm()
    status = 200
    if request.method == "POST":
        if assignment is None or not permissions.can_declare(current_user, assignment):
            return forbidden_page(_("Declarations can only be made while the call is open for "
                                "review."))
        if form.validate_on_submit():
            try:
                services.declare(current_user, assignment, links=form.links.data or [],
                                 details=form.details.data, no_conflict=form.no_conflict.data,
                                 confidentiality=form.confidentiality.data)
            except DomainError as error:
                form.links.errors = [*form.links.errors, error.message]
            else:
                if assignment.is_active:
                    flash(_("Thank you. You can now read the application."), "success")
                    return redirect(url_for("reviews.application", application_id=application.id))
                flash(_("Thank you for your declaration. This application has been withdrawn "
                        "from your assignments; the moderators will ask another reviewer."),
                      "success")
                return redirect(url_for("reviews.my_assignments"))
        status = 422
    return render_template("reviews/declaration.html", form=form, application=application,
                           assignment=assignment, language=page_language()), status


@bp.get("/applications/<int:application_id>")
@login_required
def application(application_id):
    application = load_application(application_id)
    if permissions.can_manage_calls(current_user):
        return moderator_application_page(application)
    assignment = _my_assignment(application)
    if not permissions.can_open_application(current_user, application, assignment):
        return _refuse_reviewer(application, assignment)
    outcome = None
    if assignment is not None and permissions.can_see_outcome(current_user, assignment):
        outcome = _outcome(application, assignment)
    return render_template(
        "reviews/application.html", application=application, call=application.call,
        assignment=assignment, readability=application_readability(application), outcome=outcome,
        can_edit_review=permissions.can_edit_review(current_user, assignment),
        can_declare=permissions.can_declare(current_user, assignment),
        language=page_language(), moderator=False,
    )


def _outcome(application: Application, assignment: Assignment):
    """Other reviewers' applicant-facing comments, by letter only."""
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.application_id == application.id)
        .options(selectinload(Assignment.review).selectinload(Review.scores))
        .order_by(Assignment.id)
    ).all()
    letters = reviewer_letters(assignments)
    criteria = db.session.scalars(
        select(Criterion).where(Criterion.call_id == application.call_id)
        .options(selectinload(Criterion.translations))
        .order_by(Criterion.position, Criterion.id)
    ).all()
    reviews = [(letters[a.id], a.review, a.id == assignment.id)
               for a in assignments if a.id in letters]
    return {"reviews": reviews, "criteria": criteria}


@bp.get("/applications/<int:application_id>/project.pdf")
@login_required
def application_pdf(application_id):
    application = load_application(application_id)
    if not permissions.can_manage_calls(current_user):
        assignment = _my_assignment(application)
        if not permissions.can_open_application(current_user, application, assignment):
            return _refuse_reviewer(application, assignment)
    return storage.PROJECT_PDFS.send(application.pdf_filename, f"{application.acronym}.pdf",
                                     private=True)


def _review_form(application, assignment, formdata=True):
    language = page_language()
    form_class = review_form_class(application.call.criteria, language)
    if formdata:
        return form_class()
    review = assignment.review
    data = {}
    if review is not None:
        data = {"overall_score": review.overall_score,
                "overall_applicant": review.overall_applicant_comment,
                "overall_committee": review.overall_committee_comment}
        for score in review.scores:
            data[f"score_{score.criterion_id}"] = score.score
            data[f"applicant_{score.criterion_id}"] = score.applicant_comment
            data[f"committee_{score.criterion_id}"] = score.committee_comment
    return form_class(formdata=None, data=data)


def _render_review(application, assignment, form, status=200, locked_message=None):
    return render_template(
        "reviews/review_form.html", application=application, call=application.call,
        assignment=assignment, review=assignment.review, form=form,
        criteria=application.call.criteria, language=page_language(),
        locked_message=locked_message,
        editable=permissions.can_edit_review(current_user, assignment),
        submit_confirmation=_submit_confirmation(application),
    ), status


def _submit_confirmation(application, note: str = "") -> confirm.Confirmation:
    return confirm.Confirmation(
        key="submit-review", title=_("Submit your review?"),
        what=_("Your review of %(acronym)s will be sent: the scientific committee will read "
               "your scores and comments, and the applicants your comments for them.",
               acronym=application.acronym),
        cannot_undo=_("Once submitted, your review can no longer be changed."),
        button=_("Submit my review"),
        cancel_url=url_for("reviews.review", application_id=application.id),
        note=note,
    )


def _locked_message(assignment: Assignment):
    call = assignment.application.call
    if assignment.is_submitted:
        return _("You have already submitted this review: it can no longer be changed.")
    if call.status != CallStatus.OPEN:
        return _("The review of this call is closed: your draft is kept but can no longer be "
                 "changed.")
    if call.deadline_passed():
        return _("The deadline has passed: your draft is kept but can no longer be changed or "
                 "submitted.")
    if not current_user.can_write:
        return _("Please confirm your email address first.")
    return None


def _save(application, assignment, form, *, submit: bool, complete: bool) -> None:
    """Save the review from the form (and submit it); with `complete`, a draft that could
    not be submitted raises IncompleteReview, as submitting it would."""
    criteria = {
        criterion.id: services.CriterionInput(
            score=form[f"score_{criterion.id}"].data,
            applicant_comment=form[f"applicant_{criterion.id}"].data or "",
            committee_comment=form[f"committee_{criterion.id}"].data or "",
        )
        for criterion in application.call.criteria
    }
    saved = services.save_review(
        current_user, assignment, criteria=criteria,
        overall_score=form.overall_score.data,
        overall_applicant_comment=form.overall_applicant.data or "",
        overall_committee_comment=form.overall_committee.data or "",
        submit=submit,
    )
    if complete:
        problems = services.missing_parts(saved, application.call.criteria)
        if problems:
            raise services.IncompleteReview(problems)


@bp.route("/applications/<int:application_id>/review", methods=["GET", "POST"])
@login_required
def review(application_id):
    application = db.first_or_404(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.call).selectinload(FundingCall.criteria)
                 .selectinload(Criterion.translations))
    )
    assignment = _my_assignment(application)
    if not permissions.can_open_application(current_user, application, assignment) \
            or assignment is None:
        return _refuse_reviewer(application, assignment)
    if request.method == "GET":
        return _render_review(application, assignment, _review_form(application, assignment,
                                                                    formdata=False),
                              locked_message=_locked_message(assignment))
    form = _review_form(application, assignment)
    if not permissions.can_edit_review(current_user, assignment):
        flash(_locked_message(assignment), "error")
        return _render_review(application, assignment, form, 409,
                              locked_message=_locked_message(assignment))
    if not form.validate_on_submit():
        return _render_review(application, assignment, form, 422)
    submit = request.form.get("action") == "submit"
    # Submitting without confirmation saves the draft (what was typed is never lost, whatever
    # the answer), checks that it is complete, then asks: the second page re-posts it all.
    asking = submit and not confirm.confirmed()
    try:
        _save(application, assignment, form, submit=submit and not asking,
              complete=asking)
    except services.IncompleteReview as error:
        keep_despite_error_answer()  # the draft is kept
        for name, message in error.problems.items():
            form[name].errors = [*form[name].errors, message]
        flash(error.message, "error")
        return _render_review(application, assignment, form, 422)
    except DomainError as error:
        flash(error.message, "error")
        return _render_review(application, assignment, form, 409, locked_message=error.message)
    if asking:
        return confirm.confirmation_page(_submit_confirmation(
            application, note=_("Your draft has been saved: if you cancel, you will find it as "
                                "you left it.")))
    if submit:
        flash(_("Thank you: your review has been submitted."), "success")
        return redirect(url_for("reviews.my_assignments"))
    flash(_("Your draft has been saved. You can come back to it until the deadline."),
          "success")
    return redirect(url_for("reviews.review", application_id=application.id))
