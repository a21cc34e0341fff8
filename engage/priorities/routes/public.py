"""Public pages of the research priorities area: the exercises, sending questions, the
indicative questions and their discussion, reporting, the interim ranking and the results."""

from collections.abc import Sequence

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from engage.core import versions
from engage.core.charts import Bar
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.page_cache import cached_page
from engage.core.pagination import paginate
from engage.core.rate_limits import CONTRIBUTE, REPORT, limited
from engage.extensions import db
from engage.priorities import export, permissions, results, services
from engage.priorities.forms import (
    CommentForm,
    ConfirmForm,
    RankingForm,
    ReportForm,
    SubmissionForm,
)
from engage.priorities.models import (
    MAX_RANKED,
    Comment,
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Stage,
    Submission,
    question_submissions,
)
from engage.priorities.queries import (
    comment_counts,
    linked_counts,
    own_ranking,
    submission_counts,
)
from engage.priorities.ranking import BadRankingRequest, new_order, read_request
from engage.priorities.routes import (
    bp,
    exercise_or_404,
    group_choices,
    item_or_404,
    item_return_url,
    question_or_404,
    suggested_group,
)

RANKING_PAGE_SIZE = 50

# Exercises


@bp.get("/")
@cached_page(scopes=lambda: [versions.EXERCISES])
def index():
    statement = select(Exercise).order_by(Exercise.created_at.desc(), Exercise.id.desc())
    if not permissions.is_moderator(current_user):
        statement = statement.where(Exercise.stage != Stage.DRAFT)
    page = paginate(statement)
    counts = submission_counts([e.id for e in page.items])
    return render_template("priorities/index.html", page=page, counts=counts,
                           can_create=permissions.can_manage_exercise(current_user))

def _exercise_page(exercise: Exercise, form: SubmissionForm | None = None, status: int = 200):
    received = submission_counts([exercise.id]).get(exercise.id, 0)
    mine: Sequence[Submission] = []
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
    top: Sequence[IndicativeQuestion] = []
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
                                     text=form.text.data, language=page_language())
        except DomainError as error:
            form.text.errors.append(error.message)
        else:
            flash(_("Thank you, your question has been received. You can send another one."),
                  "success")
            return redirect(url_for("priorities.exercise", exercise_id=exercise.id,
                                    _anchor="your-questions"))
    return _exercise_page(exercise, form, 422)


# Indicative questions and their discussion


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
    condition = QUESTION_FILTERS[show]
    if condition is not None:
        statement = statement.where(condition)
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
            flash(_("Your comment has been posted."), "success")
            return redirect(url_for("priorities.question", exercise_id=exercise.id,
                                    question_id=question.id, page=request.args.get("page"),
                                    _anchor=f"comment-{posted.id}"))
    return _question_page(exercise, question, form, 422)

# Reports of what participants wrote


@bp.route("/<int:exercise_id>/report/<kind>/<int:item_id>", methods=["GET", "POST"])
@limited("RATELIMIT_REPORT", REPORT)
@login_required
def report(exercise_id, kind, item_id):
    exercise = exercise_or_404(exercise_id)
    item = item_or_404(exercise, kind, item_id)
    if not permissions.can_report(current_user, item):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report(current_user, item, form.reason.data, form.details.data or "")
        except DomainError as error:
            form.reason.errors.append(error.message)
        else:
            flash(_("Thank you. The moderators will look at it."), "success")
            return redirect(item_return_url(exercise, kind, item))
    return render_template("priorities/report.html", exercise=exercise, kind=kind, item=item,
                           form=form, back=item_return_url(exercise, kind, item)), (
        422 if form.errors else 200)


# Interim ranking


def _ranking_page(exercise: Exercise, form=None, error=None, status=200):
    group_id, ranked_ids = own_ranking(current_user, exercise.id)
    # The evidence of the questions is not shown here: not loaded.
    ranked = {q.id: q for q in db.session.scalars(
        select(IndicativeQuestion).where(IndicativeQuestion.id.in_(ranked_ids))
        .options(lazyload(IndicativeQuestion.evidence)))}
    page = paginate(
        select(IndicativeQuestion)
        .where(IndicativeQuestion.exercise_id == exercise.id,
               IndicativeQuestion.status == QuestionStatus.KEPT)
        .options(lazyload(IndicativeQuestion.evidence))
        .order_by(IndicativeQuestion.number),
        per_page=RANKING_PAGE_SIZE,
        # The same list for every participant: counted once per change of the exercise.
        total_key=("ranking-questions", exercise.id),
        total_scopes=[versions.exercise(exercise.id)],
    )
    if form is None:
        form = RankingForm(formdata=None)
        form.group.data = str(suggested_group(
            exercise, group_id) or "")
    form.group.choices = [("", _("Choose your group"))] + [
        (str(value), label) for value, label in group_choices(exercise)]
    return render_template(
        "priorities/ranking.html", exercise=exercise, form=form, error=error,
        ranked=[ranked[qid] for qid in ranked_ids if qid in ranked], ranked_ids=ranked_ids,
        page=page, comment_counts=comment_counts([q.id for q in page.items]),
        can_rank=permissions.can_rank(current_user, exercise), max_ranked=MAX_RANKED,
    ), status


@bp.get("/<int:exercise_id>/ranking")
@login_required
@cached_page
def ranking(exercise_id):
    exercise = exercise_or_404(exercise_id)
    if not exercise.reached(Stage.INTERIM_RANKING):
        flash(_("The ranking has not started yet."), "info")
        return redirect(url_for("priorities.exercise", exercise_id=exercise.id))
    return _ranking_page(exercise)


RANKING_MESSAGES = {
    "add": _l("Question %(number)s is now in your ranking, at position %(position)s."),
    "up": _l("Question %(number)s moved to position %(position)s."),
    "down": _l("Question %(number)s moved to position %(position)s."),
    "remove": _l("Question %(number)s was removed from your ranking."),
    "save": _l("Your ranking has been saved."),
    "clear": _l("Your ranking has been withdrawn."),
}


@bp.post("/<int:exercise_id>/ranking")
@login_required
def save_ranking(exercise_id):
    exercise = exercise_or_404(exercise_id)
    if not permissions.can_write(current_user):
        abort(403)
    form = RankingForm()
    form.group.choices = [("", "")] + [(str(v), label) for v, label in group_choices(exercise)]
    if not form.validate_on_submit():
        return _ranking_page(exercise, form, status=422)
    try:
        change = read_request(request.form)
        order = new_order(change)
    except BadRankingRequest:
        return _ranking_page(exercise, form, status=422, error=_(
            "This form was out of date. Your ranking was not changed: please try again."))
    try:
        services.save_ranking(current_user, exercise, group_id=int(form.group.data),
                              question_ids=order)
    except DomainError as error:
        return _ranking_page(exercise, form, error=error.message, status=422)
    anchor = "my-ranking"
    if change.question_id in order and change.action != "save":
        anchor = f"ranked-{change.question_id}"
    number = None
    if change.question_id is not None:
        number = db.session.scalar(select(IndicativeQuestion.number).where(
            IndicativeQuestion.id == change.question_id))
    position = order.index(change.question_id) + 1 if change.question_id in order else None
    flash(str(RANKING_MESSAGES[change.action]) % {"number": number, "position": position},
          "success")
    return redirect(url_for("priorities.ranking", exercise_id=exercise.id,
                            page=request.args.get("page", type=int), _anchor=anchor))


# Results


@bp.get("/<int:exercise_id>/results", endpoint="results")
@cached_page
def results_page(exercise_id):
    exercise = exercise_or_404(exercise_id)
    if not permissions.can_see_results(current_user, exercise):
        flash(_("The results are not published yet."), "info")
        return redirect(url_for("priorities.exercise", exercise_id=exercise.id))
    tally = results.interim_tally(exercise)
    questions = {q.id: q for q in db.session.scalars(
        select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id))}
    final = sorted((q for q in questions.values() if q.final_rank), key=lambda q: q.final_rank or 0)

    def label(question_id):
        question = questions[question_id]
        return _("Q%(number)s – %(text)s", number=question.number,
                 text=question.text(page_language()))

    columns = results.group_columns(exercise)
    tally_columns = [column for column in columns if column.key in tally.groups]
    published = results.interim_figures_published(exercise)
    combined_bars = [Bar(label(s.question), round(s.percent, 1), "%")
                     for s in tally.top(exercise.workshop_size)] if published else []
    group_bars = [
        (column, [Bar(label(s.question), s.points[column.key])
                  for s in tally.group_order(column.key)[:10]])
        for column in tally_columns
    ] if published else []
    kept = sum(1 for q in questions.values() if q.is_kept)
    return render_template(
        "priorities/results.html", exercise=exercise, tally=tally, questions=questions,
        final=final, summary=results.engagement(exercise), columns=columns,
        tally_columns=tally_columns, published=published,
        breakdown_published=results.breakdown_published, people_of_row=results.PEOPLE_OF_ROW,
        combined_bars=combined_bars, group_bars=group_bars,
        unranked=max(kept - len(tally.scores), 0),
    )


@bp.get("/<int:exercise_id>/export/<name>.csv")
def export_csv(exercise_id, name):
    exercise = exercise_or_404(exercise_id)
    if name not in export.BUILDERS or not permissions.can_see_results(current_user, exercise):
        abort(404)
    body = export.BUILDERS[name](exercise, page_language())
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="priorities-{exercise.id}-{name}.csv"'})
