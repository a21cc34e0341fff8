"""Lay review, the moderators' side: calls, rubric, applications, assignment,
dashboard and exports. Routes on the `reviews` blueprint (see views.py)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from engage.accounts.models import User
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.page_cache import cached_page
from engage.core.pagination import paginate
from engage.extensions import db
from engage.reviews import exports, permissions, services, storage
from engage.reviews.dashboard import build_dashboard
from engage.reviews.forms import (
    ApplicationForm,
    AssignForm,
    CallForm,
    ConfirmForm,
    CriterionForm,
    DecisionForm,
    ImportForm,
)
from engage.reviews.importer import ImportProblems
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    FundingCall,
)
from engage.reviews.views import (
    bp,
    forbidden_page,
    load_application,
    moderator_application_page,
    page_language,
)

# Moderators: calls --------------------------------------------------------------------

@bp.get("/calls")
@moderator_required
def calls():
    page = paginate(
        select(FundingCall).options(selectinload(FundingCall.translations))
        .order_by(FundingCall.review_deadline.desc(), FundingCall.id.desc())
    )
    counts = {}
    if page.items:
        counts = dict(db.session.execute(
            select(Application.call_id, func.count(Application.id))
            .where(Application.call_id.in_([c.id for c in page.items]))
            .group_by(Application.call_id)).all())
    return render_template("reviews/calls.html", page=page, counts=counts, language=page_language(),
                           can_create=permissions.can_create_call(current_user))


def _call_texts(call: FundingCall) -> dict:
    data = {}
    for row in call.translations:
        data[f"title_{row.language}"] = row.title
        data[f"description_{row.language}"] = row.description
    return data


@bp.route("/calls/new", methods=["GET", "POST"])
@moderator_required
def new_call():
    if not permissions.can_create_call(current_user):
        abort(403)
    form = CallForm()
    if form.validate_on_submit():
        try:
            call = services.create_call(
                current_user, texts=form.texts(), review_opens_on=form.review_opens_on.data,
                review_deadline=form.review_deadline.data,
                reviews_per_application=form.reviews_per_application.data)
        except DomainError as error:
            form.title_fr.errors = [*form.title_fr.errors, error.message]
        else:
            db.session.commit()
            flash(_("The call has been created with the default rubric."), "success")
            return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/call_form.html", form=form, call=None), \
        422 if form.errors else 200


def _load_call(call_id) -> FundingCall:
    return db.first_or_404(
        select(FundingCall).where(FundingCall.id == call_id)
        .options(selectinload(FundingCall.translations),
                 selectinload(FundingCall.criteria).selectinload(Criterion.translations))
    )


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_call(call_id):
    call = _load_call(call_id)
    if not permissions.can_edit_call(current_user, call):
        return forbidden_page(_("This call can no longer be changed."))
    form = CallForm(data={**_call_texts(call), "review_opens_on": call.review_opens_on,
                          "review_deadline": call.review_deadline,
                          "reviews_per_application": call.reviews_per_application})
    if form.validate_on_submit():
        try:
            services.update_call(
                current_user, call, texts=form.texts(), review_opens_on=form.review_opens_on.data,
                review_deadline=form.review_deadline.data,
                reviews_per_application=form.reviews_per_application.data)
        except DomainError as error:
            form.title_fr.errors = [*form.title_fr.errors, error.message]
        else:
            db.session.commit()
            flash(_("The call has been saved."), "success")
            return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/call_form.html", form=form, call=call), \
        422 if form.errors else 200


@bp.get("/calls/<int:call_id>")
@moderator_required
def call(call_id):
    call = _load_call(call_id)
    page = paginate(
        select(Application).where(Application.call_id == call.id)
        .options(selectinload(Application.assignments).selectinload(Assignment.review))
        .order_by(Application.acronym)
    )
    return render_template(
        "reviews/call.html", call=call, page=page, language=page_language(),
        confirm_form=ConfirmForm(formdata=None),
        can_edit=permissions.can_edit_call(current_user, call),
        can_edit_rubric=permissions.can_edit_rubric(current_user, call),
        can_add=permissions.can_add_applications(current_user, call),
        can_assign=permissions.can_assign(current_user, call),
        can_change_status=permissions.can_change_status(current_user, call),
        can_dashboard=permissions.can_view_dashboard(current_user, call),
    )


@bp.post("/calls/<int:call_id>/status")
@moderator_required
def change_status(call_id):
    call = _load_call(call_id)
    form = ConfirmForm()
    action = request.form.get("action", "")
    if not form.validate_on_submit() or action not in {"open", "close", "decide"}:
        abort(400)
    if not permissions.can_change_status(current_user, call):
        abort(403)
    try:
        services.change_call_status(current_user, call, action)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The call is now: %(status)s.", status=call.status_label), "success")
    return redirect(url_for("reviews.call", call_id=call.id))


# Moderators: rubric -------------------------------------------------------------------

def _criterion_texts(criterion: Criterion) -> dict:
    data = {}
    for row in criterion.translations:
        data[f"label_{row.language}"] = row.label
        data[f"guidance_{row.language}"] = row.guidance
    return data


@bp.route("/calls/<int:call_id>/criteria", methods=["GET", "POST"])
@moderator_required
def criteria(call_id):
    call = _load_call(call_id)
    form = CriterionForm()
    status = 200
    if request.method == "POST":
        if not permissions.can_edit_rubric(current_user, call):
            return forbidden_page(_("The rubric can only be changed while the call is a draft."))
        if form.validate_on_submit():
            try:
                services.add_criterion(current_user, call, form.texts())
            except DomainError as error:
                form.label_fr.errors = [*form.label_fr.errors, error.message]
            else:
                db.session.commit()
                flash(_("The criterion has been added."), "success")
                return redirect(url_for("reviews.criteria", call_id=call.id))
        status = 422
    return render_template(
        "reviews/criteria.html", call=call, form=form, language=page_language(),
        confirm_form=ConfirmForm(formdata=None),
        can_edit=permissions.can_edit_rubric(current_user, call)), status


def _load_criterion(criterion_id) -> Criterion:
    return db.first_or_404(
        select(Criterion).where(Criterion.id == criterion_id)
        .options(selectinload(Criterion.translations),
                 joinedload(Criterion.call).selectinload(FundingCall.criteria))
    )


@bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@moderator_required
def edit_criterion(criterion_id):
    criterion = _load_criterion(criterion_id)
    if not permissions.can_edit_rubric(current_user, criterion.call):
        return forbidden_page(_("The rubric can only be changed while the call is a draft."))
    form = CriterionForm(data=_criterion_texts(criterion))
    if form.validate_on_submit():
        try:
            services.update_criterion(current_user, criterion, form.texts())
        except DomainError as error:
            form.label_fr.errors = [*form.label_fr.errors, error.message]
        else:
            db.session.commit()
            flash(_("The criterion has been saved."), "success")
            return redirect(url_for("reviews.criteria", call_id=criterion.call_id))
    return render_template("reviews/criterion_form.html", form=form, criterion=criterion,
                           call=criterion.call, language=page_language()), \
        422 if form.errors else 200


@bp.post("/criteria/<int:criterion_id>/delete")
@moderator_required
def delete_criterion(criterion_id):
    criterion = _load_criterion(criterion_id)
    call_id = criterion.call_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not permissions.can_edit_rubric(current_user, criterion.call):
        return forbidden_page(_("The rubric can only be changed while the call is a draft."))
    try:
        services.delete_criterion(current_user, criterion)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The criterion has been removed."), "success")
    return redirect(url_for("reviews.criteria", call_id=call_id))


# Moderators: applications -------------------------------------------------------------

def _uploaded_pdf(form: ApplicationForm):
    """(bytes, name) of the uploaded PDF, None if none; errors go next to the field."""
    upload = form.pdf.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return storage.read_pdf(upload.stream), upload.filename
    except DomainError as error:
        form.pdf.errors = [*form.pdf.errors, error.message]
        return False


@bp.route("/calls/<int:call_id>/applications/new", methods=["GET", "POST"])
@moderator_required
def new_application(call_id):
    call = _load_call(call_id)
    if not permissions.can_add_applications(current_user, call):
        return forbidden_page(_("Applications can no longer be added to this call."))
    form = ApplicationForm()
    if request.method == "GET":
        form.summary_language.data = page_language()
    if form.validate_on_submit():
        pdf = _uploaded_pdf(form)
        if pdf is not False:
            try:
                application = services.create_application(
                    current_user, call, pdf=pdf[0] if pdf else None,
                    pdf_name=pdf[1] if pdf else None, **form.values())
            except DomainError as error:
                form.acronym.errors = [*form.acronym.errors, error.message]
            else:
                db.session.commit()
                flash(_("The application %(acronym)s has been added.",
                        acronym=application.acronym), "success")
                return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/application_form.html", form=form, call=call,
                           application=None, language=page_language()), \
        422 if form.errors else 200


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_application(application_id):
    application = load_application(application_id)
    call = application.call
    if not permissions.can_add_applications(current_user, call):
        return forbidden_page(_("Applications can no longer be changed in this call."))
    form = ApplicationForm(obj=application)
    if form.validate_on_submit():
        pdf = _uploaded_pdf(form)
        if pdf is not False:
            try:
                old_pdf = services.update_application(
                    current_user, application, pdf=pdf[0] if pdf else None,
                    pdf_name=pdf[1] if pdf else None, remove_pdf=form.remove_pdf.data,
                    **form.values())
            except DomainError as error:
                form.acronym.errors = [*form.acronym.errors, error.message]
            else:
                db.session.commit()
                storage.delete_pdf(old_pdf)
                flash(_("The application has been saved."), "success")
                return redirect(url_for("reviews.application", application_id=application.id))
    return render_template("reviews/application_form.html", form=form, call=call,
                           application=application, language=page_language()), \
        422 if form.errors else 200


@bp.route("/calls/<int:call_id>/import", methods=["GET", "POST"])
@moderator_required
def import_applications(call_id):
    call = _load_call(call_id)
    if not permissions.can_add_applications(current_user, call):
        return forbidden_page(_("Applications can no longer be added to this call."))
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not getattr(upload, "filename", ""):
            form.file.errors = [_("Please choose a CSV file.")]
        else:
            try:
                imported = services.import_applications(
                    current_user, call, upload.stream.read(),
                    current_app.config["LANGUAGES"])
            except ImportProblems as error:
                db.session.rollback()
                problems = error.problems
                form.file.errors = [error.message]
            else:
                db.session.commit()
                flash(ngettext("%(num)s application has been imported.",
                               "%(num)s applications have been imported.", len(imported)),
                      "success")
                return redirect(url_for("reviews.call", call_id=call.id))
    return render_template("reviews/import.html", form=form, call=call, problems=problems,
                           language=page_language()), 422 if form.errors else 200


@bp.post("/applications/<int:application_id>/decision")
@moderator_required
def record_decision(application_id):
    application = load_application(application_id)
    form = DecisionForm()
    if not permissions.can_record_decision(current_user, application.call):
        return forbidden_page(_("Decisions are recorded once the call is marked as decided."))
    if form.validate_on_submit():
        try:
            services.record_decision(current_user, application, form.decision.data,
                                     form.decision_note.data)
        except DomainError as error:
            form.decision.errors = [*form.decision.errors, error.message]
        else:
            db.session.commit()
            flash(_("The decision on %(acronym)s has been recorded.",
                    acronym=application.acronym), "success")
            return redirect(url_for("reviews.application", application_id=application.id))
    return moderator_application_page(application, decision_form=form, status=422)


# Moderators: pool, assignments, declarations ------------------------------------------

@bp.get("/pool")
@moderator_required
def pool():
    page = paginate(services.pool_statement())
    profiles = services.profiles_by_user([u.id for u in page.items])
    loads = {}
    if page.items:
        loads = dict(db.session.execute(
            select(Assignment.reviewer_id, func.count(Assignment.id))
            .join(Application, Assignment.application_id == Application.id)
            .join(FundingCall, Application.call_id == FundingCall.id)
            .where(Assignment.reviewer_id.in_([u.id for u in page.items]),
                   Assignment.status == AssignmentStatus.ACTIVE,
                   FundingCall.status.in_([CallStatus.DRAFT, CallStatus.OPEN]))
            .group_by(Assignment.reviewer_id)).all())
    return render_template("reviews/pool.html", page=page, profiles=profiles, loads=loads)


@bp.post("/applications/<int:application_id>/assignments")
@moderator_required
def assign(application_id):
    application = load_application(application_id)
    if not permissions.can_assign(current_user, application.call):
        return forbidden_page(_("Reviewers can no longer be assigned in this call."))
    form = AssignForm()
    pool = db.session.scalars(services.pool_statement()).all()
    form.reviewer_id.choices = [(0, "")] + [(u.id, u.display_name) for u in pool]
    if form.validate_on_submit():
        reviewer = db.session.get(User, form.reviewer_id.data)
        try:
            services.assign(current_user, application, reviewer)
        except DomainError as error:
            form.reviewer_id.errors = [*form.reviewer_id.errors, error.message]
        else:
            db.session.commit()
            flash(_("%(name)s has been assigned to %(acronym)s.", name=reviewer.display_name,
                    acronym=application.acronym), "success")
            return redirect(url_for("reviews.application", application_id=application.id))
    return moderator_application_page(application, assign_form=form, status=422)


@bp.post("/assignments/<int:assignment_id>/remove")
@moderator_required
def unassign(assignment_id):
    assignment = db.get_or_404(Assignment, assignment_id)
    application_id = assignment.application_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not permissions.can_assign(current_user, assignment.application.call):
        return forbidden_page(_("Reviewers can no longer be changed in this call."))
    try:
        services.unassign(current_user, assignment)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The assignment has been removed."), "success")
    return redirect(url_for("reviews.application", application_id=application_id))


@bp.route("/calls/<int:call_id>/proposal", methods=["GET", "POST"])
@moderator_required
def proposal(call_id):
    call = _load_call(call_id)
    if not permissions.can_assign(current_user, call):
        return forbidden_page(_("Reviewers can no longer be assigned in this call."))
    form = ConfirmForm()
    status = 200
    if form.validate_on_submit():
        try:
            count = services.apply_proposal(current_user, call, set(request.form.getlist("pair")))
        except DomainError as error:
            flash(error.message, "error")
            status = 422
        else:
            db.session.commit()
            flash(ngettext("%(num)s assignment has been made.",
                           "%(num)s assignments have been made.", count), "success")
            return redirect(url_for("reviews.call", call_id=call.id))
    result = services.propose_assignments(call)
    return render_template("reviews/proposal.html", call=call, result=result, form=form,
                           language=page_language()), status


@bp.get("/calls/<int:call_id>/declarations")
@moderator_required
def declarations(call_id):
    call = _load_call(call_id)
    page = paginate(
        select(ConflictDeclaration)
        .join(Assignment, ConflictDeclaration.assignment_id == Assignment.id)
        .join(Application, Assignment.application_id == Application.id)
        .where(Application.call_id == call.id)
        .options(joinedload(ConflictDeclaration.assignment).joinedload(Assignment.reviewer),
                 joinedload(ConflictDeclaration.assignment).joinedload(Assignment.application))
        .order_by(ConflictDeclaration.created_at.desc(), ConflictDeclaration.id.desc())
    )
    return render_template("reviews/declarations.html", call=call, page=page,
                           language=page_language())


# Moderators: dashboard and exports ----------------------------------------------------

class _Page:
    """A page of an already computed list, for the pagination macro."""

    def __init__(self, items, per_page):
        self.total = len(items)
        self.per_page = per_page
        self.pages = max((self.total + per_page - 1) // per_page, 1)
        self.page = min(max(request.args.get("page", 1, type=int), 1), self.pages)
        start = (self.page - 1) * per_page
        self.items = items[start:start + per_page]
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1


def _dashboard_call(call_id):
    call = _load_call(call_id)
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
    page = _Page(board.rows, current_app.config["PAGE_SIZE"])
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
    call = _load_call(call_id)
    if not permissions.can_export_feedback(current_user, call):
        return forbidden_page(_("The applicants’ feedback can be exported once the call is "
                            "decided."))
    return _download(exports.feedback_csv(build_dashboard(call), page_language()),
                     "text/csv; charset=utf-8", f"applicant-feedback-call-{call.id}.csv")
