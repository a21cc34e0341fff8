"""The interim ranking, the final workshop, the results and the CSV exports."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from engage.core.auth import moderator_required
from engage.core.charts import Bar
from engage.core.errors import DomainError
from engage.core.page_cache import cached_page
from engage.core.pagination import paginate
from engage.extensions import db
from engage.priorities import export, permissions, results, services
from engage.priorities.blueprint import (
    RANKING_PAGE_SIZE,
    bp,
    comment_counts,
    exercise_or_404,
    group_choices,
    lang,
    suggested_group,
)
from engage.priorities.forms import (
    RankingForm,
    WorkshopForm,
)
from engage.priorities.models import (
    MAX_RANKED,
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Stage,
)
from engage.priorities.ranking import BadRankingRequest, new_order, read_request

CHART_LABEL_LENGTH = 20  # characters of the question shown next to a bar

# Interim ranking


def _ranking_page(exercise: Exercise, form=None, error=None, status=200):
    ranking = services.ranking_of(current_user, exercise)
    ranked_ids = ranking.question_ids if ranking else []
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
    )
    if form is None:
        form = RankingForm(formdata=None)
        form.group.data = str(suggested_group(
            exercise, ranking.group_id if ranking else None) or "")
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
    db.session.commit()
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


# Final workshop and results


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
                db.session.commit()
                flash(_("The order agreed at the workshop has been recorded."), "success")
                return redirect(url_for("priorities.manage", exercise_id=exercise.id))
    return render_template(
        "priorities/workshop.html", exercise=exercise, questions=shortlisted, places=places,
        form=form, error=error,
        can_record=permissions.can_record_workshop(current_user, exercise),
    ), 422 if error else 200


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
    final = sorted((q for q in questions.values() if q.final_rank), key=lambda q: q.final_rank)

    def label(question_id):
        # Short enough for the chart's label column; the tables below give the full text.
        question = questions[question_id]
        text = question.text(lang())
        if len(text) > CHART_LABEL_LENGTH:
            text = text[:CHART_LABEL_LENGTH - 1].rstrip() + "…"
        return _("Q%(number)s – %(text)s", number=question.number, text=text)

    tally_groups = [g for g in exercise.groups if g.id in tally.groups]
    combined_bars = [Bar(label(s.question), round(s.percent, 1), "%")
                     for s in tally.top(exercise.workshop_size)]
    group_bars = [
        (group, [Bar(label(s.question), s.points[group.id])
                 for s in tally.group_order(group.id)[:10]])
        for group in tally_groups
    ]
    kept = sum(1 for q in questions.values() if q.is_kept)
    return render_template(
        "priorities/results.html", exercise=exercise, tally=tally, questions=questions,
        final=final, summary=results.engagement(exercise), tally_groups=tally_groups,
        combined_bars=combined_bars, group_bars=group_bars,
        unranked=max(kept - len(tally.scores), 0),
    )


@bp.get("/<int:exercise_id>/export/<name>.csv")
def export_csv(exercise_id, name):
    exercise = exercise_or_404(exercise_id)
    if name not in export.BUILDERS or not permissions.can_see_results(current_user, exercise):
        abort(404)
    body = export.BUILDERS[name](exercise, lang())
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="priorities-{exercise.id}-{name}.csv"'})
