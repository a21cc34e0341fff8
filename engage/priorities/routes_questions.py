"""Processing and discussion: submissions, indicative questions, comments, reports, moderation."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from engage.core.auth import moderator_required
from engage.core.bounds import within_range
from engage.core.errors import DomainError
from engage.core.moderated import ModerationStatus
from engage.core.navigation import safe_next_url
from engage.core.pagination import paginate
from engage.core.rate_limits import CONTRIBUTE, REPORT, limited
from engage.extensions import db
from engage.priorities import permissions, services
from engage.priorities.blueprint import (
    bp,
    comment_counts,
    exercise_or_404,
    lang,
    linked_counts,
    question_or_404,
)
from engage.priorities.forms import (
    CommentForm,
    ConfirmForm,
    GroupSubmissionsForm,
    ModerateForm,
    QuestionForm,
    ReportForm,
    fill,
    texts,
)
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Submission,
    question_submissions,
)

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
    if SUBMISSION_FILTERS[show] is not None:
        statement = statement.where(SUBMISSION_FILTERS[show])
    page = paginate(statement)
    questions = []
    if permissions.can_process(current_user, exercise):
        questions = db.session.scalars(
            select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id)
            .order_by(IndicativeQuestion.number)
        ).all()
    form = form or GroupSubmissionsForm(formdata=None)
    form.question.choices = [("new", _("A new indicative question"))] + [
        (str(q.id), _("Q%(number)s – %(text)s", number=q.number, text=q.text(lang())[:80]))
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
        question = db.session.get(IndicativeQuestion, int(form.question.data))
        try:
            added = services.link_submissions(current_user, question, form.submissions.data)
        except DomainError as error:
            form.submissions.errors.append(error.message)
        else:
            db.session.commit()
            flash(ngettext("%(num)s submission grouped into question %(number)s.",
                           "%(num)s submissions grouped into question %(number)s.",
                           added, number=question.number), "success")
            return redirect(url_for("priorities.submissions", exercise_id=exercise.id,
                                    show=request.form.get("show") or None))
    return _submissions_page(exercise, form, 422)


# Indicative questions


QUESTION_FILTERS = {
    "all": None,
    "kept": IndicativeQuestion.status == QuestionStatus.KEPT,
    "set_aside": IndicativeQuestion.status != QuestionStatus.KEPT,
}


@bp.get("/<int:exercise_id>/questions")
def questions(exercise_id):
    exercise = exercise_or_404(exercise_id)
    if not permissions.can_view_questions(current_user, exercise):
        abort(404)
    show = request.args.get("show", "all")
    if show not in QUESTION_FILTERS:
        show = "all"
    statement = select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id)
    if QUESTION_FILTERS[show] is not None:
        statement = statement.where(QUESTION_FILTERS[show])
    # Kept questions first; those set aside stay listed with their reason.
    statement = statement.order_by(
        (IndicativeQuestion.status != QuestionStatus.KEPT), IndicativeQuestion.number)
    page = paginate(statement)
    ids = [q.id for q in page.items]
    return render_template(
        "priorities/questions.html", exercise=exercise, page=page, show=show,
        comment_counts=comment_counts(ids), linked_counts=linked_counts(ids),
        can_process=permissions.can_process(current_user, exercise),
    )


def _question_form_data(form: QuestionForm) -> dict:
    return {
        "texts": texts(form, QuestionForm.TEXT_FIELDS),
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
    form = QuestionForm()
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
            form.text_fr.errors.append(error.message)
        else:
            db.session.commit()
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
    form = QuestionForm(obj=question)
    if request.method == "GET":
        fill(form, question.translations, QuestionForm.TEXT_FIELDS)
        for index, evidence in enumerate(question.evidence, start=1):
            form[f"evidence_{index}"].data = evidence.reference
    if form.validate_on_submit():
        try:
            services.update_question(current_user, question, **_question_form_data(form))
        except DomainError as error:
            form.text_fr.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Question %(number)s has been saved.", number=question.number), "success")
            return redirect(url_for("priorities.question", exercise_id=exercise.id,
                                    question_id=question.id))
    return render_template("priorities/question_form.html", exercise=exercise, form=form,
                           question=question, chosen=[]), 422 if form.errors else 200


def _question_page(exercise, question, form=None, status=200):
    linked = db.session.scalars(
        select(Submission).join(question_submissions,
                                question_submissions.c.submission_id == Submission.id)
        .where(question_submissions.c.question_id == question.id)
        .options(joinedload(Submission.group))
        .order_by(Submission.id)
    ).all()
    comments = paginate(
        select(Comment).where(Comment.question_id == question.id)
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    )
    if form is None and permissions.can_comment(current_user, exercise):
        form = CommentForm(formdata=None)
    readability = None
    if permissions.is_moderator(current_user):
        from engage.priorities.readability import question_readability

        readability = question_readability(question)
    return render_template(
        "priorities/question.html", exercise=exercise, question=question, linked=linked,
        comments=comments, form=form, readability=readability,
        confirm_form=ConfirmForm(formdata=None),
        can_process=permissions.can_process(current_user, exercise),
    ), status


@bp.get("/<int:exercise_id>/questions/<int:question_id>")
def question(exercise_id, question_id):
    exercise = exercise_or_404(exercise_id)
    return _question_page(exercise, question_or_404(exercise, question_id))


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
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The submission is no longer linked to this question."), "success")
    return redirect(url_for("priorities.question", exercise_id=exercise.id,
                            question_id=question.id, _anchor="submissions"))


@bp.post("/<int:exercise_id>/questions/<int:question_id>/comments")
@limited("RATELIMIT_CONTRIBUTE", CONTRIBUTE)
@login_required
def comment(exercise_id, question_id):
    exercise = exercise_or_404(exercise_id)
    question = question_or_404(exercise, question_id)
    if not permissions.can_write(current_user):
        abort(403)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            posted = services.add_comment(current_user, question, form.body.data)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your comment has been posted."), "success")
            return redirect(url_for("priorities.question", exercise_id=exercise.id,
                                    question_id=question.id, page=request.args.get("page"),
                                    _anchor=f"comment-{posted.id}"))
    return _question_page(exercise, question, form, 422)


# Reports and moderation of what participants wrote

ITEM_KINDS = {"comment": Comment, "submission": Submission}


def _item_or_404(exercise: Exercise, kind: str, item_id: int):
    model = ITEM_KINDS.get(kind) or abort(404)
    item = db.get_or_404(model, item_id)
    owner = item.question.exercise_id if kind == "comment" else item.exercise_id
    if owner != exercise.id:
        abort(404)
    return item


def _item_return_url(exercise: Exercise, kind: str, item) -> str:
    if kind == "comment":
        return url_for("priorities.question", exercise_id=exercise.id,
                       question_id=item.question_id, _anchor=f"comment-{item.id}")
    if item.questions:
        return url_for("priorities.question", exercise_id=exercise.id,
                       question_id=item.questions[0].id, _anchor="submissions")
    return url_for("priorities.exercise", exercise_id=exercise.id)


@bp.route("/<int:exercise_id>/report/<kind>/<int:item_id>", methods=["GET", "POST"])
@limited("RATELIMIT_REPORT", REPORT)
@login_required
def report(exercise_id, kind, item_id):
    exercise = exercise_or_404(exercise_id)
    item = _item_or_404(exercise, kind, item_id)
    if not permissions.can_report(current_user, item):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report(current_user, item, form.reason.data, form.details.data or "")
        except DomainError as error:
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Thank you. The moderators will look at it."), "success")
            return redirect(_item_return_url(exercise, kind, item))
    return render_template("priorities/report.html", exercise=exercise, kind=kind, item=item,
                           form=form, back=_item_return_url(exercise, kind, item)), (
        422 if form.errors else 200)


@bp.route("/<int:exercise_id>/moderate/<kind>/<int:item_id>", methods=["GET", "POST"])
@moderator_required
def moderate(exercise_id, kind, item_id):
    exercise = exercise_or_404(exercise_id)
    item = _item_or_404(exercise, kind, item_id)
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
            db.session.commit()
            flash(_("The text is hidden.") if form.decision.data == "hide"
                  else _("The text is visible again."), "success")
            return redirect(safe_next_url("priorities.index") if request.values.get("next")
                            else _item_return_url(exercise, kind, item))
    return render_template("priorities/moderate.html", exercise=exercise, kind=kind, item=item,
                           form=form, back=_item_return_url(exercise, kind, item)), (
        422 if form.errors else 200)
