"""Staff pages of the research priorities area (moderators): preparing and running an
exercise, processing the submissions into indicative questions, moderating what participants
wrote, and recording the order agreed at the final workshop."""

from collections.abc import Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from engage.core.auth import moderator_required
from engage.core.bounds import within_range
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.moderated import ModerationStatus
from engage.core.navigation import safe_next_url
from engage.core.pagination import paginate
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.priorities import permissions, results, services
from engage.priorities.forms import (
    ConfirmForm,
    ExerciseFormBase,
    GroupSubmissionsForm,
    ModerateForm,
    QuestionFormBase,
    StageForm,
    WorkshopForm,
    exercise_form,
    fill,
    question_form,
    stakeholder_group_form,
    texts,
)
from engage.priorities.models import (
    Exercise,
    IndicativeQuestion,
    Stage,
    StageChange,
    Submission,
    question_submissions,
)
from engage.priorities.routes import (
    bp,
    exercise_or_404,
    item_or_404,
    item_return_url,
    question_or_404,
)

EXERCISE_TEXTS = ("title", "description", "scope")

# Preparing an exercise


def _exercise_form_data(form: ExerciseFormBase) -> dict:
    return {
        "texts": texts(form, EXERCISE_TEXTS),
        "gathering_ends_on": form.gathering_ends_on.data,
        "ranking_ends_on": form.ranking_ends_on.data,
        "workshop_on": form.workshop_on.data,
        "workshop_size": form.workshop_size.data,
    }


@bp.route("/new", methods=["GET", "POST"])
@moderator_required
def new_exercise():
    form = exercise_form()
    if form.validate_on_submit():
        try:
            exercise = services.create_exercise(current_user, **_exercise_form_data(form))
        except DomainError as error:
            form[f"title_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(_("The exercise has been created. It stays in preparation until you open "
                    "the gathering of questions."), "success")
            return redirect(url_for("priorities.manage", exercise_id=exercise.id))
    return render_template("priorities/exercise_form.html", form=form, exercise=None), (
        422 if form.errors else 200)


@bp.route("/<int:exercise_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_exercise(exercise_id):
    exercise = exercise_or_404(exercise_id)
    form = exercise_form(obj=exercise)
    if request.method == "GET":
        fill(form, exercise.translations, EXERCISE_TEXTS)
    if form.validate_on_submit():
        try:
            services.update_exercise(current_user, exercise, **_exercise_form_data(form))
        except DomainError as error:
            form.workshop_size.errors.append(error.message)
        else:
            flash(_("The exercise has been saved."), "success")
            return redirect(url_for("priorities.manage", exercise_id=exercise.id))
    return render_template("priorities/exercise_form.html", form=form, exercise=exercise), (
        422 if form.errors else 200)

# Running the exercise (moderators)


def _manage_page(exercise: Exercise, group_form=None, stage_error=None, status=200):
    history = db.session.scalars(
        select(StageChange).where(StageChange.exercise_id == exercise.id)
        .options(joinedload(StageChange.changed_by)).order_by(StageChange.changed_at)
    ).all()
    summary = results.engagement(exercise)
    return render_template(
        "priorities/manage.html", exercise=exercise, summary=summary, history=history,
        stage_form=StageForm(formdata=None, stage=exercise.next_stage),
        group_form=group_form or stakeholder_group_form(formdata=None), stage_error=stage_error,
        workshop_ready=services.workshop_order_recorded(exercise)
        if exercise.at(Stage.FINAL_WORKSHOP) else None,
    ), status


@bp.get("/<int:exercise_id>/manage")
@moderator_required
def manage(exercise_id):
    return _manage_page(exercise_or_404(exercise_id))


@bp.post("/<int:exercise_id>/stage")
@moderator_required
def move_stage(exercise_id):
    exercise = exercise_or_404(exercise_id)
    form = StageForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change = services.move_stage(current_user, exercise, form.stage.data or "")
    except DomainError as error:
        return _manage_page(exercise, stage_error=error.message, status=422)
    flash(_("The exercise is now at the stage: %(stage)s.", stage=change.to_label), "success")
    return redirect(url_for("priorities.manage", exercise_id=exercise.id))


@bp.post("/<int:exercise_id>/groups")
@moderator_required
def add_group(exercise_id):
    exercise = exercise_or_404(exercise_id)
    form = stakeholder_group_form()
    if form.validate_on_submit():
        try:
            services.add_group(current_user, exercise, form.labels())
        except DomainError as error:
            form[f"label_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(_("The group has been added."), "success")
            return redirect(url_for("priorities.manage", exercise_id=exercise.id,
                                    _anchor="groups"))
    return _manage_page(exercise, group_form=form, status=422)


# Processing: submissions grouped into indicative questions


_IS_GROUPED = (
    select(question_submissions.c.submission_id)
    .where(question_submissions.c.submission_id == Submission.id).exists()
)
SUBMISSION_FILTERS = {
    "ungrouped": ~_IS_GROUPED,
    "grouped": _IS_GROUPED,
    "hidden": Submission.moderation_status == ModerationStatus.HIDDEN,
    "all": None,
}


def _submissions_page(exercise: Exercise, form=None, status=200):
    show = request.values.get("show", "ungrouped")
    if show not in SUBMISSION_FILTERS:
        show = "ungrouped"
    statement = (
        select(Submission).where(Submission.exercise_id == exercise.id)
        .options(selectinload(Submission.questions), joinedload(Submission.author))
        .order_by(Submission.id)
    )
    condition = SUBMISSION_FILTERS[show]
    if condition is not None:
        statement = statement.where(condition)
    page = paginate(statement)
    questions: Sequence[IndicativeQuestion] = []
    if permissions.can_process(current_user, exercise):
        questions = db.session.scalars(
            select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id)
            .order_by(IndicativeQuestion.number)
        ).all()
    form = form or GroupSubmissionsForm(formdata=None)
    form.question.choices = [("new", _("A new indicative question"))] + [
        (str(q.id), _("Q%(number)s – %(text)s", number=q.number, text=q.text(page_language())[:80]))
        for q in questions
    ]
    return render_template(
        "priorities/submissions.html", exercise=exercise, page=page, show=show, form=form,
        filters=SUBMISSION_FILTERS, can_process=permissions.can_process(current_user, exercise),
    ), status


@bp.get("/<int:exercise_id>/submissions")
@moderator_required
def submissions(exercise_id):
    return _submissions_page(exercise_or_404(exercise_id))


@bp.post("/<int:exercise_id>/submissions/group")
@moderator_required
def group_submissions(exercise_id):
    exercise = exercise_or_404(exercise_id)
    form = GroupSubmissionsForm()
    form.question.choices = [("new", "")] + [
        (str(q_id), "") for q_id in db.session.scalars(
            select(IndicativeQuestion.id).where(IndicativeQuestion.exercise_id == exercise.id))
    ]
    if form.validate_on_submit():
        if form.question.data == "new":
            return redirect(url_for("priorities.new_question", exercise_id=exercise.id,
                                    submission=form.submissions.data))
        question = db.get_or_404(IndicativeQuestion, int(form.question.data))
        try:
            added = services.link_submissions(current_user, question, form.submissions.data)
        except DomainError as error:
            form.submissions.errors.append(error.message)
        else:
            flash(ngettext("%(num)s submission grouped into question %(number)s.",
                           "%(num)s submissions grouped into question %(number)s.",
                           added, number=question.number), "success")
            return redirect(url_for("priorities.submissions", exercise_id=exercise.id,
                                    show=request.form.get("show") or None))
    return _submissions_page(exercise, form, 422)

def _question_form_data(form: QuestionFormBase) -> dict:
    return {
        "texts": texts(form, form.TEXT_FIELDS),
        "status": form.status.data,
        "answered_reference": form.answered_reference.data or "",
        "evidence": form.evidence,
    }


@bp.route("/<int:exercise_id>/questions/new", methods=["GET", "POST"])
@moderator_required
def new_question(exercise_id):
    exercise = exercise_or_404(exercise_id)
    if not permissions.can_process(current_user, exercise):
        abort(403)
    form = question_form()
    if request.method == "GET":
        form.submissions.data = [number for number in request.args.getlist("submission", type=int)
                                 if within_range(number)]
    chosen = db.session.scalars(
        select(Submission).where(Submission.exercise_id == exercise.id,
                                 Submission.id.in_(form.submissions.data or []))
        .order_by(Submission.id)
    ).all()
    if form.validate_on_submit():
        try:
            question = services.create_question(
                current_user, exercise, submission_ids=form.submissions.data or [],
                **_question_form_data(form))
        except DomainError as error:
            form[f"text_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(_("Question %(number)s has been created.", number=question.number),
                  "success")
            return redirect(url_for("priorities.question", exercise_id=exercise.id,
                                    question_id=question.id))
    return render_template("priorities/question_form.html", exercise=exercise, form=form,
                           question=None, chosen=chosen), 422 if form.errors else 200


@bp.route("/<int:exercise_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_question(exercise_id, question_id):
    exercise = exercise_or_404(exercise_id)
    question = question_or_404(exercise, question_id)
    if not permissions.can_process(current_user, exercise):
        abort(403)
    form = question_form(obj=question)
    if request.method == "GET":
        fill(form, question.translations, form.TEXT_FIELDS)
        for index, evidence in enumerate(question.evidence, start=1):
            form[f"evidence_{index}"].data = evidence.reference
    if form.validate_on_submit():
        try:
            services.update_question(current_user, question, **_question_form_data(form))
        except DomainError as error:
            form[f"text_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(_("Question %(number)s has been saved.", number=question.number), "success")
            return redirect(url_for("priorities.question", exercise_id=exercise.id,
                                    question_id=question.id))
    return render_template("priorities/question_form.html", exercise=exercise, form=form,
                           question=question, chosen=[]), 422 if form.errors else 200

@bp.post("/<int:exercise_id>/questions/<int:question_id>/submissions/<int:submission_id>/unlink")
@moderator_required
def unlink_submission(exercise_id, question_id, submission_id):
    exercise = exercise_or_404(exercise_id)
    question = question_or_404(exercise, question_id)
    submission = db.get_or_404(Submission, submission_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.unlink_submission(current_user, question, submission)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("The submission is no longer linked to this question."), "success")
    return redirect(url_for("priorities.question", exercise_id=exercise.id,
                            question_id=question.id, _anchor="submissions"))

# Moderation of what participants wrote


@bp.route("/<int:exercise_id>/moderate/<kind>/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def moderate(exercise_id, kind, item_id):
    exercise = exercise_or_404(exercise_id)
    item = item_or_404(exercise, kind, item_id)
    form = ModerateForm()
    if request.method == "GET":
        form.decision.data = (
            "restore" if item.moderation_status == ModerationStatus.HIDDEN else "hide")
    if form.validate_on_submit():
        try:
            services.moderate(current_user, item, form.decision.data, form.reason.data,
                              form.note.data or "")
        except DomainError as error:
            form.reason.errors.append(error.message)
        else:
            flash(_("The text is hidden.") if form.decision.data == "hide"
                  else _("The text is visible again."), "success")
            return redirect(safe_next_url("priorities.index") if request.values.get("next")
                            else item_return_url(exercise, kind, item))
    return render_template("priorities/moderate.html", exercise=exercise, kind=kind, item=item,
                           form=form, back=item_return_url(exercise, kind, item)), (
        422 if form.errors else 200)


# Final workshop


def _workshop_places(questions) -> tuple[dict[int, int], list[int]]:
    places, bad = {}, []
    for question in questions:
        value = request.form.get(f"place-{question.id}", "")
        if value.isdigit():
            places[question.id] = int(value)
        else:
            bad.append(question.id)
    return places, bad


@bp.route("/<int:exercise_id>/workshop", methods=["GET", "POST"])
@moderator_required
def workshop(exercise_id):
    exercise = exercise_or_404(exercise_id)
    if not exercise.reached(Stage.FINAL_WORKSHOP):
        abort(404)
    shortlisted = services.shortlist(exercise)
    form = WorkshopForm()
    error, places = None, {q.id: q.final_rank or q.interim_rank for q in shortlisted}
    if request.method == "POST":
        if not permissions.can_record_workshop(current_user, exercise):
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        submitted, bad = _workshop_places(shortlisted)
        places.update(submitted)
        if bad:
            error = _("Please give a place to every question.")
        else:
            try:
                services.record_workshop_order(current_user, exercise, submitted)
            except DomainError as domain_error:
                error = domain_error.message
            else:
                flash(_("The order agreed at the workshop has been recorded."), "success")
                return redirect(url_for("priorities.manage", exercise_id=exercise.id))
    return render_template(
        "priorities/workshop.html", exercise=exercise, questions=shortlisted, places=places,
        form=form, error=error,
        can_record=permissions.can_record_workshop(current_user, exercise),
    ), 422 if error else 200
