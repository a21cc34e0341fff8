"""Exercise pages: the list, an exercise, sending questions, and running it (moderators)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.page_cache import cached_page
from engage.core.pagination import paginate
from engage.core.rate_limits import CONTRIBUTE, limited
from engage.extensions import db
from engage.priorities import permissions, results, services
from engage.priorities.blueprint import (
    EXERCISE_TEXTS,
    bp,
    exercise_or_404,
    group_choices,
    lang,
    submission_counts,
    suggested_group,
)
from engage.priorities.forms import (
    ExerciseForm,
    GroupForm,
    StageForm,
    SubmissionForm,
    fill,
    texts,
)
from engage.priorities.models import (
    Exercise,
    IndicativeQuestion,
    Stage,
    StageChange,
    Submission,
)

# Exercises


@bp.get("/")
@cached_page
def index():
    statement = select(Exercise).order_by(Exercise.created_at.desc(), Exercise.id.desc())
    if not permissions.is_moderator(current_user):
        statement = statement.where(Exercise.stage != Stage.DRAFT)
    page = paginate(statement)
    counts = submission_counts([e.id for e in page.items])
    return render_template("priorities/index.html", page=page, counts=counts,
                           can_create=permissions.can_manage_exercise(current_user))


def _exercise_form_data(form: ExerciseForm) -> dict:
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
    form = ExerciseForm()
    if form.validate_on_submit():
        try:
            exercise = services.create_exercise(current_user, **_exercise_form_data(form))
        except DomainError as error:
            form.title_fr.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The exercise has been created. It stays in preparation until you open "
                    "the gathering of questions."), "success")
            return redirect(url_for("priorities.manage", exercise_id=exercise.id))
    return render_template("priorities/exercise_form.html", form=form, exercise=None), (
        422 if form.errors else 200)


@bp.route("/<int:exercise_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_exercise(exercise_id):
    exercise = exercise_or_404(exercise_id)
    form = ExerciseForm(obj=exercise)
    if request.method == "GET":
        fill(form, exercise.translations, EXERCISE_TEXTS)
    if form.validate_on_submit():
        try:
            services.update_exercise(current_user, exercise, **_exercise_form_data(form))
        except DomainError as error:
            form.workshop_size.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The exercise has been saved."), "success")
            return redirect(url_for("priorities.manage", exercise_id=exercise.id))
    return render_template("priorities/exercise_form.html", form=form, exercise=exercise), (
        422 if form.errors else 200)


def _exercise_page(exercise: Exercise, form: SubmissionForm | None = None, status: int = 200):
    received = submission_counts([exercise.id]).get(exercise.id, 0)
    mine = []
    if current_user.is_authenticated:
        mine = db.session.scalars(
            select(Submission).where(Submission.exercise_id == exercise.id,
                                     Submission.author_id == current_user.id)
            .order_by(Submission.id)
        ).all()
    if form is None and permissions.can_submit(current_user, exercise):
        form = SubmissionForm(formdata=None)
        form.group.data = suggested_group(exercise, mine[-1].group_id if mine else None)
    if form is not None:
        form.group.choices = group_choices(exercise)
    top = []
    if exercise.at(Stage.PUBLISHED):
        top = db.session.scalars(
            select(IndicativeQuestion)
            .where(IndicativeQuestion.exercise_id == exercise.id,
                   IndicativeQuestion.final_rank.is_not(None))
            .order_by(IndicativeQuestion.final_rank).limit(10)
        ).all()
    return render_template(
        "priorities/exercise.html", exercise=exercise, received=received, mine=mine, form=form,
        top=top, stages=list(Stage),
        rankers=services.ranking_count(exercise) if exercise.at(Stage.INTERIM_RANKING) else 0,
        shortlisted=len(services.shortlist(exercise)) if exercise.at(Stage.FINAL_WORKSHOP) else 0,
    ), status


@bp.get("/<int:exercise_id>")
def exercise(exercise_id):
    return _exercise_page(exercise_or_404(exercise_id))


@bp.post("/<int:exercise_id>/submissions")
@limited("RATELIMIT_CONTRIBUTE", CONTRIBUTE)
@login_required
def submit(exercise_id):
    exercise = exercise_or_404(exercise_id)
    if not permissions.can_write(current_user):
        abort(403)
    form = SubmissionForm()
    form.group.choices = group_choices(exercise)
    if form.validate_on_submit():
        try:
            services.submit_question(current_user, exercise, group_id=form.group.data,
                                     text=form.text.data, language=lang())
        except DomainError as error:
            form.text.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Thank you, your question has been received. You can send another one."),
                  "success")
            return redirect(url_for("priorities.exercise", exercise_id=exercise.id,
                                    _anchor="your-questions"))
    return _exercise_page(exercise, form, 422)


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
        group_form=group_form or GroupForm(formdata=None), stage_error=stage_error,
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
    db.session.commit()
    flash(_("The exercise is now at the stage: %(stage)s.", stage=change.to_label), "success")
    return redirect(url_for("priorities.manage", exercise_id=exercise.id))


@bp.post("/<int:exercise_id>/groups")
@moderator_required
def add_group(exercise_id):
    exercise = exercise_or_404(exercise_id)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            services.add_group(current_user, exercise,
                               {"fr": form.label_fr.data, "en": form.label_en.data})
        except DomainError as error:
            form.label_fr.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The group has been added."), "success")
            return redirect(url_for("priorities.manage", exercise_id=exercise.id,
                                    _anchor="groups"))
    return _manage_page(exercise, group_form=form, status=422)
