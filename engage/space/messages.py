"""What a notification says, in the reader's language, and where it leads.

Notifications store ids (engage.core.notifications); the sentence is written here when it
is shown or mailed, from the objects as they are now: a consultation's title in the
reader's language, the public name of whoever replied (a pseudonym, "former participant").
The objects of a list of notifications are loaded together, one query per kind of object,
whatever the length of the list.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import format_date
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from engage.accountability.models import CallLink, Commitment, FundedProject
from engage.accounts.models import Association
from engage.consultations.models import Consultation, Contribution
from engage.core.i18n import current_translations
from engage.core.moderated import MODERATED_TARGETS, ReportReason
from engage.core.notifications import Notification, NotificationKind
from engage.core.typography import elide_before_values
from engage.extensions import db
from engage.priorities.models import Exercise, IndicativeQuestion
from engage.reviews.models import FundingCall
from engage.summaries.models import Summary

Kind = NotificationKind


@dataclass(frozen=True)
class Title:
    """A title and the language it is written in (another one when it has no translation)."""

    text: str
    language: str


@dataclass
class Shown:
    notification: Notification
    text: Any  # Markup for a page, str for an email
    url: str | None  # None: what it was about is gone

    @property
    def id(self) -> int:
        return self.notification.id

    @property
    def is_read(self) -> bool:
        return self.notification.is_read


def N_(message: str) -> str:
    """Marks a sentence for the catalog (pybabel's default keyword); it is translated when
    shown, in the reader's language, with its placeholders filled in here."""
    return message


def _pattern(message: str) -> str:
    """The catalog's sentence, placeholders left in."""
    return current_translations().ugettext(message)


def ungettext(singular: str, plural: str, number: int) -> str:
    """The catalog's sentence for `number` (named so that pybabel collects both forms)."""
    return current_translations().ungettext(singular, plural, number)


# The sentences, by kind (and by what became of the object).
REPLIED = N_("%(name)s replied to your contribution in “%(title)s”.")
REPLY_GONE = N_("A reply to your contribution in “%(title)s” is no longer shown.")
DECISIONS = {
    "approved": N_("The moderators published your text in “%(title)s”."),
    "hidden": N_("The moderators hid your text in “%(title)s”. Reason: %(reason)s."),
    "restored": N_("The moderators showed your text in “%(title)s” again."),
    "redacted": N_("The moderators removed a passage from your text in “%(title)s”. "
                   "Reason: %(reason)s."),
}
OPENED = N_("The consultation “%(title)s” you follow is open: you can take part until "
            "%(date)s.")
OPENED_UNDATED = N_("The consultation “%(title)s” you follow is open.")
CLOSING = N_("The consultation “%(title)s” you follow closes on %(date)s.")
SUMMARY = N_("The summary of the consultation “%(title)s” is published.")
RESULTS = N_("The results of the research priorities “%(title)s” are published.")
ASSIGNED = N_("You are asked to review applications of the funding call “%(title)s”.")
DUE = N_("Reminder: your lay reviews for the funding call “%(title)s” are due on %(date)s.")
# What the network did with what people said (engage.accountability.notifications).
RESPONDED = N_("The network responded to what you said in “%(title)s”: commitment "
               "“%(commitment)s” (%(status)s).")
POSITION_ANSWERED = N_("The network responded to the position of %(association)s in "
                       "“%(title)s”: commitment “%(commitment)s” (%(status)s).")
STATUS_CHANGED = N_("The commitment “%(commitment)s” is now %(status)s.")
FOLLOWED_COMMITMENT = N_("There is news of the commitment “%(commitment)s” you follow.")
FOLLOWED_PROJECT = N_("There is news of the funded project “%(project)s” you follow.")
PROJECT_FOR_COMMITMENT = N_("A project funded in answer to the commitment “%(commitment)s” "
                            "you follow is published: “%(project)s”.")
TAKEN_UP = N_("A research priority you ranked, “%(question)s”, is taken up by the funding "
              "call “%(call)s”.")
# A commitment's status within a sentence (the interface's labels are capitalized).
STATUS_WORDS = {
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "not_retained": N_("not retained"),
}
GONE = N_("This notification is about something that is no longer available.")
FORMER = N_("Former participant")


def _cited(number: int) -> str:
    return ungettext(
        "Your words were used: the summary of “%(title)s” cites your contribution.",
        "Your words were used: the summary of “%(title)s” cites %(num)d of your "
        "contributions.", number)


class _Writer:
    """Formats sentences for a page (Markup, a title in another language marked as such)
    or for an email (plain text)."""

    def __init__(self, language: str, html: bool):
        self.language = language
        self.html = html

    def value(self, value):
        if isinstance(value, Title):
            if self.html and value.language != self.language:
                return Markup('<span lang="{}">{}</span>').format(value.language, value.text)
            return escape(value.text) if self.html else value.text
        return escape(value) if self.html else value

    def __call__(self, pattern: str, **values):
        plain = {name: value.text if isinstance(value, Title) else value
                 for name, value in values.items()}
        if self.language == "fr":
            pattern = elide_before_values(pattern, plain)
        formatted = {name: self.value(value) for name, value in values.items()}
        if self.html:
            # The catalog is ours and trusted; the values are escaped.
            return Markup(pattern) % formatted  # noqa: S704
        return pattern % formatted


def _title(item, language: str) -> Title:
    shown = item.translated(language)
    return Title(shown.title if shown else "", shown.language if shown else language)


def _question(question: IndicativeQuestion, language: str) -> Title:
    shown = question.translated(language)
    return Title(shown.text if shown else "", shown.language if shown else language)


def _date(value) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return ""
    return format_date(value, "long") if value else ""


# What each kind of notification is about: (kind of object, parameter naming it).
ABOUT = {
    Kind.REPLY: (("contribution", "reply_id"), ("contribution", "contribution_id")),
    Kind.PRIORITY_RESULTS: (("exercise", "exercise_id"),),
    Kind.REVIEW_ASSIGNED: (("call", "call_id"),),
    Kind.REVIEW_DUE: (("call", "call_id"),),
    Kind.CONSULTATION_OPENED: (("consultation", "consultation_id"),),
    Kind.CONSULTATION_CLOSING: (("consultation", "consultation_id"),),
    Kind.SUMMARY_PUBLISHED: (("consultation", "consultation_id"),),
    Kind.CITED: (("consultation", "consultation_id"),),
    Kind.COMMITMENT_RESPONSE: (("commitment", "commitment_id"),
                               ("consultation", "consultation_id")),
    Kind.POSITION_CITED: (("commitment", "commitment_id"), ("association", "association_id"),
                          ("consultation", "consultation_id")),
    Kind.COMMITMENT_STATUS: (("commitment", "commitment_id"),),
    Kind.FOLLOWED_UPDATE: (("commitment", "commitment_id"), ("project", "project_id")),
    Kind.PRIORITY_TAKEN_UP: (("call", "call_id"), ("question", "question_id"),
                             ("call_link", "link_id")),
}


def _wanted(notifications: list[Notification]) -> tuple[dict, dict]:
    """The ids to load, by kind of object; and the moderated items, by target type."""
    wanted: dict[str, set[int]] = defaultdict(set)
    moderated: dict[str, set[int]] = defaultdict(set)
    for notification in notifications:
        params = notification.params or {}
        if notification.kind == Kind.MODERATION:
            if params.get("target_type") in MODERATED_TARGETS:
                moderated[params["target_type"]].update(_ids(params, "target_id"))
            continue
        for kind_of_object, name in ABOUT.get(NotificationKind(notification.kind), ()):
            wanted[kind_of_object].update(_ids(params, name))
        if notification.kind in (Kind.SUMMARY_PUBLISHED, Kind.CITED) and \
                not isinstance(params.get("summary_id"), int):
            wanted["summary_of"].update(_ids(params, "consultation_id"))
    return wanted, moderated


class _Loaded:
    """The objects a list of notifications is about, one query per kind of object."""

    def __init__(self, notifications: list[Notification]):
        wanted, moderated = _wanted(notifications)
        self.contributions = _by_id(wanted["contribution"], select(Contribution).options(
            joinedload(Contribution.author), joinedload(Contribution.consultation).options(
                selectinload(Consultation.translations), lazyload(Consultation.themes))))
        self.consultations = _by_id(wanted["consultation"], select(Consultation).options(
            selectinload(Consultation.translations), lazyload(Consultation.themes)))
        self.exercises = _by_id(wanted["exercise"], select(Exercise).options(
            selectinload(Exercise.translations), lazyload(Exercise.groups)))
        self.calls = _by_id(wanted["call"], select(FundingCall).options(
            selectinload(FundingCall.translations)))
        # The network's record: published commitments and projects only are shown.
        self.commitments = _by_id(wanted["commitment"], select(Commitment).options(
            joinedload(Commitment.response), selectinload(Commitment.translations)))
        self.projects = _by_id(wanted["project"], select(FundedProject).options(
            selectinload(FundedProject.translations)))
        self.questions = _by_id(wanted["question"], select(IndicativeQuestion).options(
            selectinload(IndicativeQuestion.translations),
            lazyload(IndicativeQuestion.evidence)))
        self.associations = _by_id(wanted["association"], select(Association).options(
            lazyload(Association.memberships)))
        # A call takes a priority up while its link stays (withdrawn before the decision).
        self.call_links: set[int] = set()
        if wanted["call_link"]:
            self.call_links = set(db.session.scalars(select(CallLink.id).where(
                CallLink.id.in_(sorted(wanted["call_link"])))))
        # The published summary of consultations whose notification does not name it (the
        # followers are told by the consultations area, which knows no summary).
        self.summaries: dict[Any, int] = {}
        if wanted["summary_of"]:
            self.summaries = {consultation_id: summary_id for summary_id, consultation_id in
                              db.session.execute(
                                  select(Summary.id, Summary.consultation_id).where(
                                      Summary.consultation_id.in_(sorted(wanted["summary_of"])),
                                      Summary.published_at.is_not(None)))}
        self.moderated: dict[tuple[Any, Any], Any] = {}
        item: Any
        for target_type, ids in moderated.items():
            target = MODERATED_TARGETS[target_type]
            for item in db.session.scalars(
                    select(target.model).where(target.model.id.in_(sorted(ids)))
                    .options(*target.load_options())).unique():
                self.moderated[(target_type, item.id)] = item


def _ids(params: dict, *names: str) -> list[int]:
    return [params[name] for name in names if isinstance(params.get(name), int)]


def _by_id(ids: set[int], statement) -> dict[Any, Any]:
    if not ids:
        return {}
    model = statement.column_descriptions[0]["entity"]
    return {item.id: item for item in
            db.session.scalars(statement.where(model.id.in_(sorted(ids)))).unique()}


def _reason(code) -> str:
    labels = ReportReason.labels()
    return str(labels[code]) if code in labels else ""


Described = tuple[Any, str | None]  # the sentence, and the link (None: gone)


def _reply(params: dict, loaded: "_Loaded", write: _Writer, links: dict) -> Described:
    parent = loaded.contributions.get(params.get("contribution_id"))
    if parent is None:
        return write(_pattern(GONE)), None
    reply = loaded.contributions.get(params.get("reply_id"))
    title = _title(parent.consultation, write.language)
    url = url_for("consultations.contribution", consultation_id=parent.consultation_id,
                  contribution_id=parent.id, **links)
    if reply is None or not reply.is_visible:
        return write(_pattern(REPLY_GONE), title=title), url
    name = reply.author.public_name if reply.author else _pattern(FORMER)
    return write(_pattern(REPLIED), name=name, title=title), f"{url}#contribution-{reply.id}"


def _moderation(params: dict, loaded: "_Loaded", write: _Writer, links: dict) -> Described:
    target_type = str(params.get("target_type", ""))
    item = loaded.moderated.get((target_type, params.get("target_id")))
    decision = DECISIONS.get(params.get("decision", ""))
    if item is None or decision is None:
        return write(_pattern(GONE)), None
    place = MODERATED_TARGETS[target_type].place(item, write.language,
                                                 external=links["_external"])
    title = Title(place.container_title, place.language or write.language)
    return write(_pattern(decision), title=title, reason=_reason(params.get("reason"))), \
        place.url


def _results(params: dict, loaded: "_Loaded", write: _Writer, links: dict) -> Described:
    exercise = loaded.exercises.get(params.get("exercise_id"))
    if exercise is None:
        return write(_pattern(GONE)), None
    return (write(_pattern(RESULTS), title=_title(exercise, write.language)),
            url_for("priorities.results", exercise_id=exercise.id, **links))


def _review(params: dict, loaded: "_Loaded", write: _Writer, links: dict,
            due: bool) -> Described:
    call = loaded.calls.get(params.get("call_id"))
    if call is None:
        return write(_pattern(GONE)), None
    url = url_for("reviews.my_assignments", **links)
    if not due:
        return write(_pattern(ASSIGNED), title=_title(call, write.language)), url
    return (write(_pattern(DUE), title=_title(call, write.language),
                  date=_date(params.get("deadline") or call.review_deadline)), url)


def _consultation(kind: str, params: dict, loaded: "_Loaded", write: _Writer,
                  links: dict) -> Described:
    consultation = loaded.consultations.get(params.get("consultation_id"))
    if consultation is None:
        return write(_pattern(GONE)), None
    title = _title(consultation, write.language)
    detail = url_for("consultations.detail", consultation_id=consultation.id, **links)
    summary_id = params.get("summary_id") or loaded.summaries.get(consultation.id)
    summary_url = (url_for("summaries.report", summary_id=summary_id, **links)
                   if isinstance(summary_id, int) else detail)
    if kind == Kind.CONSULTATION_OPENED:
        if consultation.closes_on is None:
            return write(_pattern(OPENED_UNDATED), title=title), detail
        return write(_pattern(OPENED), title=title, date=_date(consultation.closes_on)), detail
    if kind == Kind.CONSULTATION_CLOSING:
        return (write(_pattern(CLOSING), title=title,
                      date=_date(params.get("closes_on") or consultation.closes_on)), detail)
    if kind == Kind.CITED:
        count = len(params.get("contribution_ids") or []) or 1
        return write(_cited(count), title=title, num=count), summary_url
    return write(_pattern(SUMMARY), title=title), summary_url


def _status(code) -> str:
    return _pattern(STATUS_WORDS[code]) if code in STATUS_WORDS else ""


def _published(item):
    return item if item is not None and item.is_published else None


def _followed(params: dict, loaded: "_Loaded", write: _Writer, links: dict) -> Described:
    """News of a commitment or project the reader follows (a project published in answer to
    a followed commitment names both)."""
    commitment = _published(loaded.commitments.get(params.get("commitment_id")))
    if "project_id" not in params:
        if commitment is None:
            return write(_pattern(GONE)), None
        return (write(_pattern(FOLLOWED_COMMITMENT),
                      commitment=_title(commitment, write.language)),
                url_for("accountability.commitment", commitment_id=commitment.id, **links))
    project = _published(loaded.projects.get(params.get("project_id")))
    if project is None or ("commitment_id" in params and commitment is None):
        return write(_pattern(GONE)), None
    url = url_for("accountability.project", project_id=project.id, **links)
    if commitment is None:
        return write(_pattern(FOLLOWED_PROJECT), project=_title(project, write.language)), url
    return write(_pattern(PROJECT_FOR_COMMITMENT), commitment=_title(commitment, write.language),
                 project=_title(project, write.language)), url


def _answer(kind: str, params: dict, loaded: "_Loaded", write: _Writer,
            links: dict) -> Described:
    """A commitment that answers the reader's words or their association's position, or
    (the same people, and its followers) its new status."""
    commitment = _published(loaded.commitments.get(params.get("commitment_id")))
    if commitment is None:
        return write(_pattern(GONE)), None
    title = _title(commitment, write.language)
    url = url_for("accountability.commitment", commitment_id=commitment.id, **links)
    if kind == Kind.COMMITMENT_STATUS:
        return write(_pattern(STATUS_CHANGED), commitment=title,
                     status=_status(params.get("status"))), url
    consultation = loaded.consultations.get(params.get("consultation_id"))
    if consultation is None:
        return write(_pattern(GONE)), None
    values = {"title": _title(consultation, write.language), "commitment": title,
              "status": _status(commitment.status)}
    if kind != Kind.POSITION_CITED:
        return write(_pattern(RESPONDED), **values), url
    association = loaded.associations.get(params.get("association_id"))
    if association is None:
        return write(_pattern(GONE)), None
    return write(_pattern(POSITION_ANSWERED), association=association.name, **values), url


def _taken_up(params: dict, loaded: "_Loaded", write: _Writer, links: dict) -> Described:
    call = loaded.calls.get(params.get("call_id"))
    question = loaded.questions.get(params.get("question_id"))
    if call is None or question is None or params.get("link_id") not in loaded.call_links:
        return write(_pattern(GONE)), None
    # The call has no public page of its own: the priority's results show what it became.
    url = url_for("priorities.results", exercise_id=question.exercise_id, **links)
    return write(_pattern(TAKEN_UP), question=_question(question, write.language),
                 call=_title(call, write.language)), url


def _describe(notification: Notification, loaded: "_Loaded", write: _Writer,
              external: bool) -> Described:
    params = notification.params or {}
    links = {"lang_code": write.language, "_external": external}
    kind = notification.kind
    if kind == Kind.REPLY:
        return _reply(params, loaded, write, links)
    if kind == Kind.MODERATION:
        return _moderation(params, loaded, write, links)
    if kind == Kind.PRIORITY_RESULTS:
        return _results(params, loaded, write, links)
    if kind in (Kind.REVIEW_ASSIGNED, Kind.REVIEW_DUE):
        return _review(params, loaded, write, links, due=kind == Kind.REVIEW_DUE)
    if kind == Kind.FOLLOWED_UPDATE:
        return _followed(params, loaded, write, links)
    if kind == Kind.PRIORITY_TAKEN_UP:
        return _taken_up(params, loaded, write, links)
    if kind in (Kind.COMMITMENT_RESPONSE, Kind.POSITION_CITED, Kind.COMMITMENT_STATUS):
        return _answer(kind, params, loaded, write, links)
    return _consultation(kind, params, loaded, write, links)


def describe(notifications: list[Notification], language: str, *, html: bool = True,
             external: bool = False) -> list[Shown]:
    """Each notification's sentence in `language` (the current locale must be it) and link."""
    loaded = _Loaded(notifications)
    write = _Writer(language, html)
    shown = []
    for notification in notifications:
        text, url = _describe(notification, loaded, write, external)
        shown.append(Shown(notification, text, url))
    return shown
