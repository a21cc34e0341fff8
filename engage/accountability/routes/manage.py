"""The network officers' pages (`/<lang>/manage/impact`): the network's response to a
published summary or to priority results (a draft of commitments, then published), dated
updates and corrections of published commitments, what funding calls answer, and the
projects funded by decided calls.

Thin routes: load, check `permissions` (officers and administrators only: `officer_required`),
validate the form, call one service, show a refusal on the same page (422, the error summary
focused), redirect. Reads beyond the area's read models are in services/manage_support.py.

The entry links from a summary's report and from an exercise's results come from the
template global `accountability_response_link`; the menu entry is added when the blueprint
is registered (`_menu_entry`).
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from engage.accountability import permissions, queries, services
from engage.accountability.forms import (
    DOCUMENTS,
    LINKS,
    TEXT_MAX,
    CallLinkForm,
    commitment_form_class,
    commitment_update_form_class,
    project_form_class,
    project_update_form_class,
)
from engage.accountability.models import (
    NOTHING_DELETED,
    REASON_LANGUAGES,
    CallLink,
    Commitment,
    CommitmentUpdateKind,
    FundedProject,
    Response,
)
from engage.accountability.routes import manage_bp as bp
from engage.accountability.services import manage_support as support
from engage.core import confirm, registry
from engage.core.auth import user_required
from engage.core.clock import local_today
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.markdown import render_markdown
from engage.core.pagination import paginate
from engage.core.text_length import count_characters
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.priorities.models import Exercise, IndicativeQuestion
from engage.reviews.models import FundingCall
from engage.summaries import citations
from engage.summaries.models import Summary

officer_required = user_required(permissions.can_manage)
PER_PAGE = 20
STYLESHEETS = ("css/citation-picker.css", "css/accountability.css")


@bp.record_once
def _menu_entry(state) -> None:
    """The officers' entry of the menu's "Management" group (officers and administrators)."""
    registry.of(state.app).nav_items.append(registry.NavItem(
        "accountability_manage.index", _l("Network responses"), permissions.can_manage,
        group="management"))


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def _get_or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def _undo() -> None:
    """After a domain error (a service may have flushed part of its work): undo it, so that
    the page shown again reads what is stored."""
    db.session.rollback()


# The entry link on a summary's report and on an exercise's results


@bp.app_template_global("accountability_response_link")
def response_link(summary=None, exercise=None) -> Markup:
    """« Répondre au nom du réseau » (or the response, once started) for those who may;
    nothing for everyone else."""
    if not permissions.can_manage(current_user) or (summary is None) == (exercise is None):
        return Markup("")
    existing = services.response_to(summary=summary, exercise=exercise)
    if existing is None and not permissions.can_start_response(
            current_user, summary=summary, exercise=exercise):
        return Markup("")
    if existing is not None:
        url = url_for("accountability_manage.response", response_id=existing.id)
    elif summary is not None:
        url = url_for("accountability_manage.respond_to_summary", summary_id=summary.id)
    else:
        url = url_for("accountability_manage.respond_to_exercise", exercise_id=exercise.id)
    # A template of ours, autoescaped.
    return Markup(render_template(  # noqa: S704
        "accountability/manage/_response_link.html", response=existing, url=url))


# What a response answers


def _target(response: Response | None = None, *, summary: Summary | None = None,
            exercise: Exercise | None = None) -> dict:
    """What a response answers, named for the page: its kind, title and public page."""
    language = page_language()
    if response is not None:
        summary, exercise = response.summary, response.exercise
    if summary is not None:
        return {"kind": "summary", "title": summary.consultation.title(language),
                "url": url_for("summaries.report", summary_id=summary.id),
                "consultation_id": summary.consultation_id}
    assert exercise is not None
    shown = exercise.translated(language)
    return {"kind": "exercise", "title": shown.title if shown else "",
            "url": url_for("priorities.results", exercise_id=exercise.id),
            "consultation_id": None}


def _question_label(question: IndicativeQuestion) -> str:
    return _("Q%(number)s – %(text)s", number=question.number,
             text=question.text(page_language()))


# The officers' index


@bp.get("/")
@officer_required
def index():
    projects = paginate(support.projects(), PER_PAGE, "projects_page")
    return render_template(
        "accountability/manage/index.html",
        summaries=paginate(support.summaries_to_answer(), PER_PAGE, "summaries_page"),
        exercises=paginate(support.exercises_to_answer(), PER_PAGE, "exercises_page"),
        drafts=paginate(support.responses(published=False), PER_PAGE, "drafts_page"),
        published=paginate(support.responses(published=True), PER_PAGE, "published_page"),
        calls=paginate(support.calls(), PER_PAGE, "calls_page"), projects=projects,
        project_calls=support.calls_by_id(p.call_id for p in projects.items),
        target=_target, language=page_language(), stylesheets=STYLESHEETS)


# Starting a response


@bp.route("/summaries/<int:summary_id>/respond", methods=["GET", "POST"])
@officer_required
def respond_to_summary(summary_id):
    return _respond(summary=_get_or_404(Summary, summary_id))


@bp.route("/exercises/<int:exercise_id>/respond", methods=["GET", "POST"])
@officer_required
def respond_to_exercise(exercise_id):
    return _respond(exercise=_get_or_404(Exercise, exercise_id))


def _respond(*, summary: Summary | None = None, exercise: Exercise | None = None):
    existing = services.response_to(summary=summary, exercise=exercise)
    if existing is not None:
        return redirect(url_for(".response", response_id=existing.id))
    can_start = permissions.can_start_response(current_user, summary=summary,
                                               exercise=exercise)
    problem = None
    if request.method == "POST":  # the CSRF token is checked before (engage.extensions.csrf)
        try:
            response, _created = services.start_response(current_user, summary=summary,
                                                         exercise=exercise)
        except IntegrityError:  # started twice at once: open the one that exists
            db.session.rollback()
            other = services.response_to(summary=summary, exercise=exercise)
            if other is None:
                abort(409)
            return redirect(url_for(".response", response_id=other.id))
        except DomainError as error:
            _undo()
            problem = error.message
        else:
            flash(_("The draft response is started: add its commitments, then publish it."),
                  "success")
            return redirect(url_for(".response", response_id=response.id))
    return render_template(
        "accountability/manage/respond.html", target=_target(summary=summary, exercise=exercise),
        can_start=can_start, problem=problem,
        stylesheets=STYLESHEETS), 422 if problem else 200


# A response and its commitments


def _response_or_404(response_id: int) -> Response:
    response = support.response_with_updates(response_id)
    if response is None:
        abort(404)
    return response


def _commitment_or_404(commitment_id: int) -> Commitment:
    return _get_or_404(Commitment, commitment_id)


def _rendered_text(commitment: Commitment, consultation_id: int | None):
    """The commitment's text in the page's language (else the other), its citations linked."""
    shown = commitment.translated(page_language())
    if shown is None or not shown.text:
        return None, shown
    if consultation_id is None:
        return render_markdown(shown.text), shown
    linked = [c.contribution_id for c in commitment.citations]
    return citations.render(shown.text, consultation_id, linked, page_language()), shown


def _publish_confirmation(response: Response) -> confirm.Confirmation:
    return confirm.Confirmation(
        key="publish-response", title=_("Publish the network’s response?"),
        what=_("Its commitments will be public at once, on the page “What your input changed”, "
               "and the people whose words they answer will be told."),
        cannot_undo=_("A published response cannot be withdrawn nor changed: what happens "
                      "next is told through dated updates of its commitments."),
        button=_("Publish the response"),
        cancel_url=url_for(".response", response_id=response.id))


def _discard_confirmation(response: Response) -> confirm.Confirmation:
    return confirm.Confirmation(
        key="discard-response", title=_("Discard this draft response?"),
        what=_("The draft and its commitments will be deleted. The audit log keeps what "
               "they said."),
        cannot_undo=_("A discarded draft cannot be brought back."),
        button=_("Discard the draft"),
        cancel_url=url_for(".response", response_id=response.id))


def _remove_confirmation(commitment: Commitment) -> confirm.Confirmation:
    return confirm.Confirmation(
        key=f"remove-commitment-{commitment.id}",
        title=_("Remove the commitment “%(title)s”?", title=commitment.title(page_language())),
        what=_("It will be removed from the draft response. The audit log keeps what it "
               "said."),
        cannot_undo=_("A removed commitment cannot be brought back: write it again if "
                      "needed."),
        button=_("Remove the commitment"),
        cancel_url=url_for(".response", response_id=commitment.response_id))


def _downloads() -> bool:
    """Whether the public record serves the updates' documents (routes/public.py)."""
    return "accountability.document" in current_app.view_functions


def _response_page(response: Response, problem=None, status: int = 200):
    target = _target(response)
    rendered = {c.id: _rendered_text(c, target["consultation_id"]) for c in response.commitments}
    return render_template(
        "accountability/manage/response.html", response=response, target=target,
        rendered=rendered, problem=problem, language=page_language(),
        can_edit=permissions.can_edit_response(current_user, response),
        publish_confirmation=_publish_confirmation(response),
        discard_confirmation=_discard_confirmation(response),
        remove_confirmations={c.id: _remove_confirmation(c) for c in response.commitments},
        question_label=_question_label, downloads=_downloads(),
        stylesheets=STYLESHEETS), status


@bp.get("/responses/<int:response_id>")
@officer_required
def response(response_id):
    return _response_page(_response_or_404(response_id))


@bp.post("/responses/<int:response_id>/publish")
@officer_required
def publish(response_id):
    response = _response_or_404(response_id)
    if not permissions.can_publish(current_user, response):
        problem = _("This response is already published.") if response.is_published \
            else _("Add at least one commitment before publishing the response.")
        return _response_page(response, problem, 422)
    if not confirm.confirmed():
        return confirm.confirmation_page(_publish_confirmation(response))
    try:
        services.publish(current_user, response)
    except DomainError as error:
        _undo()
        return _response_page(_response_or_404(response_id), error.message, 422)
    flash(_("The network’s response is published. Tell what happens next through updates of "
            "its commitments."), "success")
    return redirect(url_for(".response", response_id=response.id))


@bp.post("/responses/<int:response_id>/discard")
@officer_required
def discard(response_id):
    response = _response_or_404(response_id)
    if response.is_published:
        return _response_page(response, NOTHING_DELETED, 422)
    if not confirm.confirmed():
        return confirm.confirmation_page(_discard_confirmation(response))
    try:
        services.discard_response(current_user, response)
    except DomainError as error:
        _undo()
        return _response_page(_response_or_404(response_id), error.message, 422)
    flash(_("The draft response is discarded."), "success")
    return redirect(url_for(".index"))


# Writing a commitment of a draft


def _question_choices(response: Response, commitment: Commitment | None):
    """The priorities offered: the top 10 of the exercise answered, and those already
    linked (a response to a summary offers only those)."""
    questions = support.top_priorities(response.exercise_id) \
        if response.exercise_id is not None else []
    shown = {q.id for q in questions}
    for question in commitment.questions if commitment is not None else []:
        if question.id not in shown:
            questions.append(question)
            shown.add(question.id)
    return questions


def _commitment_form(response: Response, commitment: Commitment | None, posted: bool):
    form_class = commitment_form_class(_languages())
    form = form_class() if posted else form_class(formdata=None)
    questions = _question_choices(response, commitment)
    form.question_ids.choices = [SelectChoice(str(q.id), _question_label(q)) for q in questions]
    if not posted and commitment is not None:
        for code in form.languages:
            row = next((t for t in commitment.translations if t.language == code), None)
            form[f"title_{code}"].data = row.title if row else ""
            form[f"text_{code}"].data = row.text if row else ""
            if code in REASON_LANGUAGES:
                form[f"reason_{code}"].data = getattr(commitment, f"reason_{code}")
        form.owner.data = commitment.owner
        form.status.data = commitment.status
        form.starts_on.data, form.due_on.data = commitment.starts_on, commitment.due_on
        form.done_on.data = commitment.done_on
        form.question_ids.data = [q.id for q in commitment.questions]
    return form


def _check_citations(form, response: Response) -> bool:
    """The `[#123]` of the texts: contributions everyone can read in the summary's
    consultation (a response to priorities cites none)."""
    valid = True
    consultation_id = response.consultation_id
    for code in form.languages:
        field = form[f"text_{code}"]
        cited = citations.cited_ids(field.data)
        if not cited:
            continue
        if consultation_id is None:
            field.errors = [*field.errors, _(
                "A response to research priorities cites no contribution: tick the "
                "priorities it answers instead.")]
            valid = False
            continue
        known = citations.visibility(consultation_id, cited)
        wrong = [number for number in cited if not known.get(number, False)]
        if wrong:
            field.errors = [*field.errors, ngettext(
                "[#%(numbers)s] is not a contribution of this consultation that everyone can "
                "read.",
                "These are not contributions of this consultation that everyone can read: "
                "%(numbers)s.", len(wrong),
                numbers=", ".join(f"[#{n}]" for n in wrong) if len(wrong) > 1 else wrong[0])]
            valid = False
    return valid


def _commitment_input(form) -> services.CommitmentInput:
    return services.CommitmentInput(
        texts=form.texts(), owner=form.owner.data or "", status=form.status.data,
        reasons={code: text for code, text in form.reasons().items() if code in REASON_LANGUAGES},
        starts_on=form.starts_on.data, due_on=form.due_on.data, done_on=form.done_on.data,
        question_ids=list(form.question_ids.data or []))


def _commitment_page(response: Response, form, commitment: Commitment | None,
                     status: int = 200, added: int | None = None, into: str | None = None):
    target = _target(response)
    points = support.cited_by_summary(response.summary_id) \
        if response.summary_id is not None else []
    into = into if into in form.languages else (
        page_language() if page_language() in form.languages else form.languages[0])
    action = url_for(".edit_commitment", commitment_id=commitment.id) if commitment \
        else url_for(".new_commitment", response_id=response.id)
    return render_template(
        "accountability/manage/commitment_form.html", response=response, target=target,
        commitment=commitment, form=form, points=points, added=added, into=into,
        action=action, cited=set(citations.cited_ids(form[f"text_{into}"].data)),
        stylesheets=STYLESHEETS), status


def _insert_citation(response: Response, form, commitment: Commitment | None):
    """"Insert [#123]" without JavaScript: the citation at the end of the chosen text, the
    page shown again with every field as it was (nothing is saved)."""
    into = request.form.get("into", "")
    into = into if into in form.languages else form.languages[0]
    field = form[f"text_{into}"]
    number = request.form.get("insert", type=int)
    offered = {point.id for point in support.cited_by_summary(response.summary_id)} \
        if response.summary_id is not None else set()
    if number not in offered:
        field.errors = [_("This contribution cannot be cited here: choose one the summary "
                          "cites.")]
        return _commitment_page(response, form, commitment, 422, into=into)
    text = field.data or ""
    citation = f"[#{number}]" if not text or text[-1].isspace() else f" [#{number}]"
    if count_characters(text + citation) > TEXT_MAX:
        field.errors = [_("The text is too long to add this citation: at most %(max)d "
                          "characters.", max=TEXT_MAX)]
        return _commitment_page(response, form, commitment, 422, into=into)
    field.data = text + citation
    return _commitment_page(response, form, commitment, added=number, into=into)


def _draft_or_refuse(response: Response):
    """None while the response is a draft, else the refusal (published: fixed)."""
    if permissions.can_edit_response(current_user, response):
        return None
    flash_refusal(DomainError(_("This response is published: it can no longer be changed. "
                                "Add an update to a commitment instead.")))
    return redirect(url_for(".response", response_id=response.id))


@bp.route("/responses/<int:response_id>/commitments/new", methods=["GET", "POST"])
@officer_required
def new_commitment(response_id):
    def add(form):
        commitment = services.add_commitment(current_user, _response_or_404(response_id),
                                             _commitment_input(form))
        return commitment, _("The commitment is added to the draft."), "success"

    return _commitment_form_page(lambda: (_response_or_404(response_id), None), add)


@bp.route("/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
@officer_required
def edit_commitment(commitment_id):
    def edit(form):
        commitment = _commitment_or_404(commitment_id)
        if services.edit_commitment(current_user, commitment, _commitment_input(form)):
            return commitment, _("The commitment is saved."), "success"
        return commitment, _("Nothing changed."), "info"

    def load():
        commitment = _commitment_or_404(commitment_id)
        return commitment.response, commitment

    return _commitment_form_page(load, edit)


def _commitment_form_page(load, save):
    """A draft's commitment form, new (`load` gives no commitment) or to edit: shown, a
    citation inserted, or `save(form)` (→ commitment, message, category) then back to the
    response; refused with the form kept (422). Loaded again after a refused save, which
    rolled back."""
    response, commitment = load()
    refusal = _draft_or_refuse(response)
    if refusal is not None:
        return refusal
    posted = request.method == "POST"
    form = _commitment_form(response, commitment, posted)
    if not posted:
        return _commitment_page(response, form, commitment)
    if "insert" in request.form:
        return _insert_citation(response, form, commitment)
    valid = form.validate_on_submit()
    if _check_citations(form, response) and valid:
        try:
            saved, message, category = save(form)
        except DomainError as error:
            _undo()
            response, commitment = load()
            form[f"title_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(message, category)
            return redirect(url_for(".response", response_id=response.id,
                                    _anchor=f"commitment-{saved.id}"))
    return _commitment_page(response, form, commitment, 422, into=request.form.get("into"))


@bp.post("/commitments/<int:commitment_id>/remove")
@officer_required
def remove_commitment(commitment_id):
    commitment = _commitment_or_404(commitment_id)
    response_id = commitment.response_id
    if not permissions.can_edit_response(current_user, commitment.response):
        return _response_page(_response_or_404(response_id), NOTHING_DELETED, 422)
    if not confirm.confirmed():
        return confirm.confirmation_page(_remove_confirmation(commitment))
    try:
        services.remove_commitment(current_user, commitment)
    except DomainError as error:
        _undo()
        return _response_page(_response_or_404(response_id), error.message, 422)
    flash(_("The commitment is removed from the draft."), "success")
    return redirect(url_for(".response", response_id=response_id))


# Updates and corrections of a published commitment


@bp.route("/commitments/<int:commitment_id>/updates/new", methods=["GET", "POST"])
@officer_required
def add_update(commitment_id):
    return _commitment_update(commitment_id, CommitmentUpdateKind.PROGRESS)


@bp.route("/commitments/<int:commitment_id>/corrections/new", methods=["GET", "POST"])
@officer_required
def correct(commitment_id):
    return _commitment_update(commitment_id, CommitmentUpdateKind.CORRECTION)


def _update_form(form_class, posted: bool):
    form = form_class() if posted else form_class(formdata=None)
    if not posted:
        form.happened_on.data = local_today()
    return form


def _commitment_update(commitment_id: int, kind: CommitmentUpdateKind):
    commitment = _commitment_or_404(commitment_id)
    if not permissions.can_update(current_user, commitment):
        flash_refusal(DomainError(_("Updates are added once the response is published.")))
        return redirect(url_for(".response", response_id=commitment.response_id))
    posted = request.method == "POST"
    form = _update_form(commitment_update_form_class(_languages()), posted)
    form.starts_on = commitment.starts_on
    if posted and form.validate_on_submit():
        write = services.correct if kind == CommitmentUpdateKind.CORRECTION \
            else services.add_update
        try:
            write(current_user, commitment, texts=form.texts(),
                  happened_on=form.happened_on.data, status=form.new_status(),
                  reasons={code: text for code, text in form.reasons().items()
                           if code in REASON_LANGUAGES},
                  due_on=form.due_on.data, links=form.links(), documents=form.documents())
        except DomainError as error:
            _undo()
            commitment = _commitment_or_404(commitment_id)
            form[f"text_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(_("The correction is published.") if kind == CommitmentUpdateKind.CORRECTION
                  else _("The update is published."), "success")
            return redirect(url_for(".response", response_id=commitment.response_id,
                                    _anchor=f"commitment-{commitment.id}"))
    target = _target(commitment.response)
    shown = commitment.translated(page_language())
    return render_template(
        "accountability/manage/update_form.html", form=form, kind=kind.value,
        commitment=commitment, shown=shown, target=target, project=None,
        action=request.path, back_url=url_for(".response", response_id=commitment.response_id,
                                              _anchor=f"commitment-{commitment.id}"),
        links_count=LINKS, documents_count=DOCUMENTS, stylesheets=STYLESHEETS), \
        422 if form.errors else 200


# Funding calls in the chain


def _link_forms(posted: CallLinkForm | None = None) -> tuple[CallLinkForm, CallLinkForm]:
    """The two forms of the call page (a priority, a commitment), with their choices."""
    language = page_language()
    priorities = [SelectChoice("", _("Choose a research priority"))]
    for exercise, questions in support.priorities_to_declare():
        shown = exercise.translated(language)
        group = shown.title if shown else ""
        priorities += [SelectChoice(str(q.id), _question_label(q), optgroup=group)
                       for q in questions]
    commitments = [SelectChoice("", _("Choose a commitment"))]
    for commitment in support.published_commitments():
        group = _target(commitment.response)["title"]
        commitments.append(SelectChoice(str(commitment.id), commitment.title(language),
                                        optgroup=group))
    posted_kind = None if posted is None else \
        "commitment" if posted.commitment_id.raw_data else "question"
    forms = {}
    for name in ("question", "commitment"):
        form = posted if posted is not None and posted_kind == name \
            else CallLinkForm(formdata=None)
        form.question_id.choices = priorities
        form.commitment_id.choices = commitments
        forms[name] = form
    return forms["question"], forms["commitment"]


def _call_page(call: FundingCall, link_form: CallLinkForm | None = None, problem=None,
               status: int = 200):
    question_form, commitment_form = _link_forms(link_form)
    return render_template(
        "accountability/manage/call.html", call=call, language=page_language(),
        links=support.call_links(call.id), projects=support.projects_of(call.id),
        question_form=question_form, commitment_form=commitment_form,
        errors_form=link_form if link_form is not None and link_form.errors else None,
        problem=problem, can_unlink=permissions.can_unlink_call(current_user, call),
        can_create=permissions.can_create_projects(current_user, call),
        question_label=_question_label, target=_target, stylesheets=STYLESHEETS), status


@bp.get("/calls/<int:call_id>")
@officer_required
def call(call_id):
    return _call_page(_get_or_404(FundingCall, call_id))


@bp.post("/calls/<int:call_id>/links")
@officer_required
def link_call(call_id):
    call = _get_or_404(FundingCall, call_id)
    form = CallLinkForm()
    _link_forms(form)  # the choices the form is checked against
    if not form.validate_on_submit():
        return _call_page(call, form, status=422)
    kind, target_id = form.chosen()
    try:
        if kind == "question":
            _link, created = services.link_call(
                current_user, call, question=_get_or_404(IndicativeQuestion, target_id))
        else:
            _link, created = services.link_call(
                current_user, call, commitment=_get_or_404(Commitment, target_id))
    except DomainError as error:
        _undo()
        field = form.question_id if kind == "question" else form.commitment_id
        field.errors = [*field.errors, error.message]
        return _call_page(_get_or_404(FundingCall, call_id), form, status=422)
    if created:
        flash(_("The call now declares what it answers."), "success")
    else:
        flash(_("The call had already declared it."), "info")
    return redirect(url_for(".call", call_id=call.id, _anchor="answers"))


@bp.post("/calls/<int:call_id>/links/<int:link_id>/withdraw")
@officer_required
def unlink_call(call_id, link_id):
    call = _get_or_404(FundingCall, call_id)
    link = db.session.get(CallLink, link_id)
    if link is None or link.call_id != call.id:
        abort(404)
    if not permissions.can_unlink_call(current_user, call):
        return _call_page(call, problem=_("Once the call is decided, what it answers stays on "
                                          "record."), status=422)
    try:
        services.unlink_call(current_user, link)
    except DomainError as error:
        _undo()
        return _call_page(_get_or_404(FundingCall, call_id), problem=error.message, status=422)
    flash(_("The declaration is withdrawn."), "success")
    return redirect(url_for(".call", call_id=call.id, _anchor="answers"))


@bp.post("/calls/<int:call_id>/projects")
@officer_required
def create_projects(call_id):
    call = _get_or_404(FundingCall, call_id)
    if not permissions.can_create_projects(current_user, call):
        return _call_page(call, problem=_("Funded projects are created once the call’s "
                                          "decisions are recorded."), status=422)
    try:
        created = services.create_funded_projects(current_user, call)
    except DomainError as error:
        _undo()
        return _call_page(_get_or_404(FundingCall, call_id), problem=error.message, status=422)
    if created:
        flash(ngettext("%(num)d funded project is created as a draft: complete it, then "
                       "publish it.",
                       "%(num)d funded projects are created as drafts: complete them, then "
                       "publish them.", len(created)), "success")
    else:
        flash(_("No new funded project: each application the call funds has its project "
                "already."), "info")
    return redirect(url_for(".call", call_id=call.id, _anchor="projects"))


# Funded projects


def _project_or_404(project_id: int) -> FundedProject:
    project = support.project_with_updates(project_id)
    if project is None:
        abort(404)
    return project


def _project_publish_confirmation(project: FundedProject) -> confirm.Confirmation:
    return confirm.Confirmation(
        key="publish-project", title=_("Publish this funded project?"),
        what=_("Its public title, lay summary and institution will be public at once, with "
               "the call that funded it and what the call answers."),
        cannot_undo=_("A published project cannot be withdrawn nor changed: what happens next "
                      "is told through updates."),
        button=_("Publish the project"),
        cancel_url=url_for(".project", project_id=project.id))


def _project_form(project: FundedProject, posted: bool):
    form_class = project_form_class(_languages())
    form = form_class() if posted else form_class(formdata=None)
    if not posted:
        for code in form.languages:
            row = next((t for t in project.translations if t.language == code), None)
            form[f"title_{code}"].data = row.title if row else ""
            form[f"lay_summary_{code}"].data = row.lay_summary if row else ""
        form.institution.data = project.institution
    return form


def _project_page(project: FundedProject, form=None, problem=None, status: int = 200):
    language = page_language()
    return render_template(
        "accountability/manage/project.html", project=project,
        call=db.session.get(FundingCall, project.call_id), shown=project.translated(language),
        form=form if form is not None else _project_form(project, False),
        lay_review=queries.lay_review_public(project), problem=problem, language=language,
        can_edit=permissions.can_edit_project(current_user, project),
        publish_confirmation=_project_publish_confirmation(project), downloads=_downloads(),
        stylesheets=STYLESHEETS), status


@bp.route("/projects/<int:project_id>", methods=["GET", "POST"])
@officer_required
def project(project_id):
    project = _project_or_404(project_id)
    if request.method == "GET":
        return _project_page(project)
    if not permissions.can_edit_project(current_user, project):
        flash_refusal(DomainError(_("This project is published: it can no longer be changed. "
                                    "Add an update instead.")))
        return redirect(url_for(".project", project_id=project.id))
    form = _project_form(project, True)
    if form.validate_on_submit():
        try:
            changed = services.edit_project(current_user, project, texts=form.texts(),
                                            institution=form.institution.data or "")
        except DomainError as error:
            _undo()
            project = _project_or_404(project_id)
            form[f"title_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(_("The project is saved.") if changed else _("Nothing changed."),
                  "success" if changed else "info")
            return redirect(url_for(".project", project_id=project.id))
    return _project_page(project, form, status=422)


@bp.post("/projects/<int:project_id>/publish")
@officer_required
def publish_project(project_id):
    project = _project_or_404(project_id)
    if project.is_published:
        return _project_page(project, problem=_("This project is already published."),
                             status=422)
    if not any(t.lay_summary.strip() for t in project.translations):
        return _project_page(project, problem=_(
            "Please write the project’s lay summary before publishing it."), status=422)
    if not confirm.confirmed():
        return confirm.confirmation_page(_project_publish_confirmation(project))
    try:
        services.publish_project(current_user, project)
    except DomainError as error:
        _undo()
        return _project_page(_project_or_404(project_id), problem=error.message, status=422)
    flash(_("The funded project is published."), "success")
    return redirect(url_for(".project", project_id=project.id))


@bp.route("/projects/<int:project_id>/updates/new", methods=["GET", "POST"])
@officer_required
def project_update(project_id):
    project = _project_or_404(project_id)
    if not permissions.can_update_project(current_user, project):
        flash_refusal(DomainError(_("Updates are added once the project is published.")))
        return redirect(url_for(".project", project_id=project.id))
    posted = request.method == "POST"
    form = _update_form(project_update_form_class(_languages()), posted)
    if posted and form.validate_on_submit():
        try:
            services.add_project_update(
                current_user, project, kind=form.kind.data, texts=form.texts(),
                happened_on=form.happened_on.data, links=form.links(),
                documents=form.documents())
        except DomainError as error:
            _undo()
            project = _project_or_404(project_id)
            form[f"text_{form.languages[0]}"].errors.append(error.message)
        else:
            flash(_("The update is published."), "success")
            return redirect(url_for(".project", project_id=project.id, _anchor="updates"))
    return render_template(
        "accountability/manage/update_form.html", form=form, kind="project",
        commitment=None, shown=project.translated(page_language()), target=None,
        project=project, action=request.path,
        back_url=url_for(".project", project_id=project.id), links_count=LINKS,
        documents_count=DOCUMENTS, stylesheets=STYLESHEETS), 422 if form.errors else 200
