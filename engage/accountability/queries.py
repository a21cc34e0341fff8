"""Read models of the network's record, for the pages, feeds and API: each loads what it
shows in a fixed number of queries.

This module reads no lay review model (the projects carry their own public fields): the
open-data API may read it without reaching lay review's confidential tables. Of a funding
call, the public pages need its title and whether it is still a draft: those two are read
by table name (`_CALLS`, `_CALL_TITLES`), nothing else of lay review.

The public pages (routes/public.py) get plain read models (`ImpactPage`, `CommitmentView`,
`ProjectView`, the chain of a contribution), built from selected columns: their templates
touch no ORM object, so that no query hides in the markup.
"""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import (
    Select,
    and_,
    case,
    column,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import selectinload

from engage.accountability.models import (
    CallLink,
    Commitment,
    CommitmentCitation,
    CommitmentStatus,
    CommitmentTranslation,
    CommitmentUpdate,
    CommitmentUpdateKind,
    CommitmentUpdateTranslation,
    Follow,
    FundedProject,
    FundedProjectTranslation,
    ProjectUpdate,
    ProjectUpdateKind,
    ProjectUpdateTranslation,
    Response,
    UpdateDocument,
    commitment_questions,
)
from engage.accountability.page_versions import COMMITMENTS as COMMITMENTS_SCOPE
from engage.accounts.models import Association, User
from engage.consultations.models import ConsultationTranslation, Contribution, ThemeTranslation
from engage.core import aggregate_cache, versions
from engage.core.markdown import plain_text
from engage.core.moderated import ModerationStatus
from engage.core.pagination import ListPage
from engage.core.small_cells import SMALL_CELL
from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.priorities.models import ExerciseTranslation, IndicativeQuestion, QuestionTranslation
from engage.summaries.models import Citation, Summary, SummaryStatus


def _commitment_parts() -> tuple:
    # Built when asked: loader options configure the mappers, which needs every model.
    return (selectinload(Commitment.translations), selectinload(Commitment.citations),
            selectinload(Commitment.questions))


def response_to(*, summary_id: int | None = None, exercise_id: int | None = None,
                published_only: bool = True) -> Response | None:
    """The response to a summary or an exercise, with its commitments and their texts."""
    target = Response.summary_id == summary_id if summary_id is not None \
        else Response.exercise_id == exercise_id
    statement = select(Response).where(target).options(
        selectinload(Response.commitments).options(*_commitment_parts()))
    if published_only:
        statement = statement.where(Response.published_at.is_not(None))
    return db.session.scalar(statement)


def commitment_with_updates(commitment_id: int, published_only: bool = True) -> Commitment | None:
    """A commitment with its texts, what it answers and its updates (their texts and
    documents)."""
    statement = select(Commitment).where(Commitment.id == commitment_id).options(
        *_commitment_parts(), selectinload(Commitment.response),
        selectinload(Commitment.updates).options(selectinload(CommitmentUpdate.translations),
                                                 selectinload(CommitmentUpdate.documents)))
    if published_only:
        statement = statement.join(Response, Response.id == Commitment.response_id) \
            .where(Response.published_at.is_not(None))
    return db.session.scalar(statement)


def commitments_citing(contribution_id: int) -> list[Commitment]:
    """The published commitments that answer a contribution: "answered by" on its page."""
    return list(db.session.scalars(
        select(Commitment)
        .join(CommitmentCitation, CommitmentCitation.commitment_id == Commitment.id)
        .join(Response, Response.id == Commitment.response_id)
        .where(CommitmentCitation.contribution_id == contribution_id,
               Response.published_at.is_not(None))
        .options(selectinload(Commitment.translations))
        .order_by(Response.published_at, Commitment.position, Commitment.id)))


def calls_answering(*, question_ids=(), commitment_ids=()) -> dict[tuple[str, int], list[int]]:
    """("question" | "commitment", id) -> ids of the calls that declare they answer it."""
    conditions = []
    if question_ids:
        conditions.append(CallLink.question_id.in_(list(question_ids)))
    if commitment_ids:
        conditions.append(CallLink.commitment_id.in_(list(commitment_ids)))
    if not conditions:
        return {}
    found: dict[tuple[str, int], list[int]] = {}
    for link in db.session.scalars(select(CallLink).where(or_(*conditions))
                                   .order_by(CallLink.call_id)):
        if link.question_id is not None:
            key = ("question", link.question_id)
        elif link.commitment_id is not None:
            key = ("commitment", link.commitment_id)
        else:
            continue
        found.setdefault(key, []).append(link.call_id)
    return found


def funded_projects_of(call_id: int) -> list[FundedProject]:
    """A call's published projects, with their texts."""
    return list(db.session.scalars(
        select(FundedProject).where(FundedProject.call_id == call_id,
                                    FundedProject.published_at.is_not(None))
        .order_by(FundedProject.published_at, FundedProject.id)))


def commitment_counts() -> dict[str, int]:
    """Published commitments by status (every status, 0 for none)."""
    counts = dict(db.session.execute(
        select(Commitment.status, func.count())
        .join(Response, Response.id == Commitment.response_id)
        .where(Response.published_at.is_not(None)).group_by(Commitment.status)).all())
    return {status.value: counts.get(status.value, 0) for status in CommitmentStatus}


def lay_review_public(project: FundedProject) -> dict:
    """What may be said of lay review: whether lay reviewers took part, how many (from 5
    people on; else only "fewer than 5"), in how many rounds."""
    return lay_review_facts(project.lay_reviewer_count, project.lay_review_rounds)


def lay_review_facts(lay_reviewer_count: int | None, rounds: int) -> dict:
    """`lay_review_public` from a project's two columns (None: fewer than 5 took part)."""
    took_part = lay_reviewer_count != 0
    return {
        "took_part": took_part,
        "reviewers": lay_reviewer_count if took_part else 0,
        "fewer_than": SMALL_CELL if lay_reviewer_count is None else None,
        "rounds": rounds,
    }


def project_public(project: FundedProject, language: str) -> dict:
    """Everything public about a funded project, in `language` (else the other language),
    with its published updates: the one shape pages, feeds and the API will show."""
    shown = project.translated(language)
    return {
        "id": project.id,
        "call_id": project.call_id,
        "title": shown.title if shown else "",
        "lay_summary": shown.lay_summary if shown else "",
        "language": shown.language if shown else language,
        "is_fallback": shown.is_fallback if shown else False,
        "institution": project.institution,
        "published_at": project.published_at.isoformat() if project.published_at else None,
        "lay_review": lay_review_public(project),
        "updates": [_update_public(update, language) for update in project.updates],
    }


def _update_public(update: ProjectUpdate | CommitmentUpdate, language: str) -> dict:
    return {
        "kind": update.kind,
        "happened_on": update.happened_on.isoformat(),
        "text": update.text(language),
        "links": list(update.links or []),
        "documents": [{"id": d.id, "title": d.title, "size": d.size} for d in update.documents],
    }


def is_following(user, item) -> bool:
    if not user.is_authenticated:
        return False
    target = Follow.commitment_id == item.id if isinstance(item, Commitment) \
        else Follow.project_id == item.id
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user.id, target)) \
        is not None


# The public record (routes/public.py): plain read models, built from selected columns in a
# fixed number of queries whatever the data, so that templates touch no ORM object.
#
# Lay review's calls are named by their tables (this module imports nothing of
# engage.reviews): only a call's status, to leave out the calls still in draft, and its
# public title are read.

_CALLS = table("funding_calls", column("id"), column("status"))
_CALL_TITLES = table("funding_call_translations", column("call_id"), column("language"),
                     column("title"))
_DRAFT_CALL = "draft"
EXCERPT_LENGTH = 280
CHAIN_KEY = "accountability-contribution-chain"
HOME_KEY = "accountability-home"


@dataclass(frozen=True)
class Text:
    """A text picked in the page's language, else in another one: `language` is the one it
    is written in (for the `lang` attribute), `is_fallback` whether it is not the one asked."""

    text: str
    language: str
    is_fallback: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def _rows(statement) -> list[Any]:
    """The rows of a select of columns (typed loosely: its columns are of several tables)."""
    return list(db.session.execute(statement))


def _by_owner(statement) -> dict[Any, dict[str, tuple]]:
    """Rows (owner id, language, values...) -> {owner id: {language: values}}."""
    found: dict[Any, dict[str, tuple]] = {}
    for owner_id, language, *values in _rows(statement):
        found.setdefault(owner_id, {})[language] = tuple(values)
    return found


def _picked(by_language: dict[str, tuple] | None, language: str) -> tuple[str, bool, tuple]:
    """(language, is_fallback, values) of the row in `language`, else French, else the
    first other (as engage.core.content.pick_translation chooses)."""
    by_language = by_language or {}
    if language in by_language:
        return language, False, by_language[language]
    for code in ("fr", "en", *sorted(by_language)):
        if code in by_language:
            return code, True, by_language[code]
    return language, False, ()


def _text(by_language: dict[str, tuple] | None, language: str, index: int = 0) -> Text:
    code, fallback, values = _picked(by_language, language)
    return Text(values[index] or "", code, fallback) if values else Text("", language)


def _published_response():
    return Response.published_at.is_not(None)


def _in_year(moment, year: int):
    return and_(moment >= datetime(year, 1, 1, tzinfo=UTC),
                moment < datetime(year + 1, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Answered:
    """What a response answers: a published summary (titled by its consultation) or an
    exercise's published results."""

    kind: str  # "summary" | "exercise"
    id: int  # the summary's or the exercise's
    title: Text
    consultation_id: int | None = None


def _answered(summary_ids, exercise_ids, language: str) -> dict[tuple[str, int], Answered]:
    """("summary" | "exercise", id) -> Answered: one query."""
    summary_ids, exercise_ids = sorted(set(summary_ids)), sorted(set(exercise_ids))
    if not summary_ids and not exercise_ids:
        return {}
    summaries: Select = select(literal_column("'summary'"), Summary.id, Summary.consultation_id,
                       ConsultationTranslation.language, ConsultationTranslation.title) \
        .join(ConsultationTranslation,
              ConsultationTranslation.consultation_id == Summary.consultation_id) \
        .where(Summary.id.in_(summary_ids))
    exercises: Select = select(literal_column("'exercise'"), ExerciseTranslation.exercise_id,
                       null(), ExerciseTranslation.language, ExerciseTranslation.title) \
        .where(ExerciseTranslation.exercise_id.in_(exercise_ids))
    titles: dict[tuple[str, int], dict[str, tuple]] = {}
    consultations: dict[tuple[str, int], int | None] = {}
    for kind, target_id, consultation_id, code, title in _rows(
            union_all(summaries, exercises)):
        titles.setdefault((kind, target_id), {})[code] = (title,)
        consultations[(kind, target_id)] = consultation_id
    wanted = [("summary", n) for n in summary_ids] + [("exercise", n) for n in exercise_ids]
    return {key: Answered(key[0], key[1], _text(titles.get(key), language),
                          consultations.get(key)) for key in wanted}


def _answer_of(answered: dict, summary_id: int | None, exercise_id: int | None):
    if summary_id is not None:
        return answered.get(("summary", summary_id))
    if exercise_id is not None:
        return answered.get(("exercise", exercise_id))
    return None


def _call_titles(call_ids, language: str) -> dict[int, Text]:
    ids = sorted(set(call_ids))
    if not ids:
        return {}
    found = _by_owner(select(_CALL_TITLES.c.call_id, _CALL_TITLES.c.language,
                             _CALL_TITLES.c.title).where(_CALL_TITLES.c.call_id.in_(ids)))
    return {n: _text(found.get(n), language) for n in ids}


def _titles(model, owner, ids, language: str, *columns) -> dict[int, tuple[Text, ...]]:
    """Each owner's texts (`columns` of its translation `model`) in `language`: one query."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    found = _by_owner(select(owner, model.language, *columns).where(owner.in_(ids)))
    return {n: tuple(_text(found.get(n), language, index) for index in range(len(columns)))
            for n in ids}


def _commitment_titles(ids, language: str) -> dict[int, Text]:
    return {n: texts[0] for n, texts in _titles(
        CommitmentTranslation, CommitmentTranslation.commitment_id, ids, language,
        CommitmentTranslation.title).items()}


def _project_titles(ids, language: str) -> dict[int, Text]:
    return {n: texts[0] for n, texts in _titles(
        FundedProjectTranslation, FundedProjectTranslation.project_id, ids, language,
        FundedProjectTranslation.title).items()}


def _published_projects_of_call():
    """The number of published projects of the call of the enclosing row (`CallLink`)."""
    return select(func.count()).select_from(FundedProject).where(
        FundedProject.call_id == CallLink.call_id,
        FundedProject.published_at.is_not(None)).scalar_subquery()


# A funded project's progress, from its updates: funded (no news yet), under way (started,
# progress), done (results or publications). Shown with the commitments' statuses.
_STAGES = {CommitmentStatus.PLANNED: 0, CommitmentStatus.IN_PROGRESS: 1,
           CommitmentStatus.DONE: 2}
_STATUS_OF_STAGE = {stage: status.value for status, stage in _STAGES.items()}


def _project_stage():
    stage = func.max(case(
        (ProjectUpdate.kind.in_([ProjectUpdateKind.RESULTS, ProjectUpdateKind.PUBLICATION]), 2),
        (ProjectUpdate.kind.in_([ProjectUpdateKind.STARTED, ProjectUpdateKind.PROGRESS]), 1),
        else_=0))
    return select(ProjectUpdate.project_id, stage.label("stage")) \
        .group_by(ProjectUpdate.project_id).subquery()


def _commitments_on_theme(theme_id: int):
    """Condition: the commitment cites a visible contribution of the theme (its author's
    choice or a moderator's tag)."""
    chosen = select(CommitmentCitation.commitment_id).join(
        Contribution, Contribution.id == CommitmentCitation.contribution_id).where(
        Contribution.theme_id == theme_id, Contribution.visible_clause())
    tagged = select(CommitmentCitation.commitment_id).join(
        ContributionTheme, ContributionTheme.contribution_id == CommitmentCitation.contribution_id
    ).join(Contribution, Contribution.id == CommitmentCitation.contribution_id).where(
        ContributionTheme.theme_id == theme_id, Contribution.visible_clause())
    return or_(Commitment.id.in_(chosen), Commitment.id.in_(tagged))


# "What your input changed": the list, its filters and its pages


@dataclass(frozen=True)
class ImpactFilter:
    """What the impact page lists: a status, a theme and a year (each optional). Values
    that make no sense are ignored."""

    status: str = ""
    theme_id: int | None = None
    year: int | None = None

    @classmethod
    def from_args(cls, args, theme_ids, years) -> "ImpactFilter":
        status = args.get("status", "")
        theme_id = args.get("theme", type=int)
        year = args.get("year", type=int)
        return cls(status=status if status in {s.value for s in CommitmentStatus} else "",
                   theme_id=theme_id if theme_id in set(theme_ids) else None,
                   year=year if year in set(years) else None)

    @property
    def is_set(self) -> bool:
        return bool(self.status or self.theme_id or self.year)

    def as_args(self) -> dict:
        """The query string of the same filters (for the pages' links)."""
        args: dict = {}
        if self.status:
            args["status"] = self.status
        if self.theme_id:
            args["theme"] = self.theme_id
        if self.year:
            args["year"] = self.year
        return args


@dataclass(frozen=True)
class CallItem:
    id: int
    title: Text
    projects: int = 0  # its published funded projects


@dataclass(frozen=True)
class CommitmentItem:
    """A published commitment in a list."""

    id: int
    title: Text
    status: str
    owner: str
    starts_on: date | None
    due_on: date | None
    done_on: date | None
    published_at: datetime | None
    answers: Answered | None
    cited: int  # contributions it cites
    priorities: int  # research priorities it answers
    calls: tuple[CallItem, ...] = ()

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label


@dataclass(frozen=True)
class ProjectItem:
    """A published funded project in a list."""

    id: int
    title: Text
    status: str  # its progress, told with the commitments' statuses
    institution: str
    published_at: datetime | None
    call: CallItem | None
    commitments: int  # published commitments its call answers
    priorities: int  # research priorities its call answers

    @property
    def status_label(self) -> str:
        return project_status_label(self.status)


def project_status_label(status: str) -> str:
    return {CommitmentStatus.PLANNED.value: _("Funded, not started yet"),
            CommitmentStatus.IN_PROGRESS.value: _("Under way"),
            CommitmentStatus.DONE.value: _("Results published")}.get(status, "")


@dataclass(frozen=True)
class ImpactOptions:
    themes: list[tuple[int, str]]  # (id, label), by label
    years: list[int]  # newest first


@dataclass
class ImpactPage:
    filter: ImpactFilter
    commitments: ListPage
    projects: ListPage


def impact_options(language: str) -> ImpactOptions:
    """The filters' choices: the themes of the visible contributions that published
    commitments cite, and the years from the first published response or project to the
    last. Two queries."""
    cited = select(CommitmentCitation.contribution_id).join(
        Commitment, Commitment.id == CommitmentCitation.commitment_id).join(
        Response, Response.id == Commitment.response_id).where(_published_response())
    visible = select(Contribution.id).where(Contribution.id.in_(cited),
                                            Contribution.visible_clause())
    chosen = select(Contribution.theme_id).where(Contribution.id.in_(visible))
    tagged = select(ContributionTheme.theme_id).where(
        ContributionTheme.contribution_id.in_(visible))
    labels = _by_owner(select(ThemeTranslation.theme_id, ThemeTranslation.language,
                              ThemeTranslation.label)
                       .where(or_(ThemeTranslation.theme_id.in_(chosen),
                                  ThemeTranslation.theme_id.in_(tagged))))
    themes = sorted(((theme_id, _text(rows, language).text) for theme_id, rows in labels.items()),
                    key=lambda pair: (pair[1].casefold(), pair[0]))
    bounds = db.session.execute(select(
        select(func.min(Response.published_at)).scalar_subquery(),
        select(func.max(Response.published_at)).scalar_subquery(),
        select(func.min(FundedProject.published_at)).scalar_subquery(),
        select(func.max(FundedProject.published_at)).scalar_subquery())).one()
    moments = [moment for moment in bounds if moment is not None]
    years = list(range(max(moments).year, min(moments).year - 1, -1)) if moments else []
    return ImpactOptions(themes=themes, years=years)


def _list_page(statement, number: int, per_page: int) -> ListPage:
    """The asked page of `statement`'s rows (past the end: the last), with their total: two
    queries (one when there is nothing)."""
    total = db.session.scalar(select(func.count()).select_from(
        statement.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    rows = db.session.execute(statement.limit(per_page).offset((number - 1) * per_page)).all() \
        if total else []
    return ListPage(rows, number, per_page, total)


def _commitment_rows(wanted: ImpactFilter):
    cited = select(func.count()).select_from(CommitmentCitation).where(
        CommitmentCitation.commitment_id == Commitment.id).scalar_subquery()
    priorities = select(func.count()).select_from(commitment_questions).where(
        commitment_questions.c.commitment_id == Commitment.id).scalar_subquery()
    statement = select(
        Commitment.id, Commitment.status, Commitment.owner, Commitment.starts_on,
        Commitment.due_on, Commitment.done_on, Response.published_at, Response.summary_id,
        Response.exercise_id, cited.label("cited"), priorities.label("priorities"),
    ).join(Response, Response.id == Commitment.response_id).where(_published_response())
    if wanted.status:
        statement = statement.where(Commitment.status == wanted.status)
    if wanted.theme_id:
        statement = statement.where(_commitments_on_theme(wanted.theme_id))
    if wanted.year:
        statement = statement.where(_in_year(Response.published_at, wanted.year))
    return statement.order_by(Response.published_at.desc(), Response.id.desc(),
                              Commitment.position, Commitment.id)


def _project_rows(wanted: ImpactFilter):
    stage = _project_stage()
    reached = func.coalesce(stage.c.stage, 0)
    commitments = select(func.count()).select_from(CallLink).join(
        Commitment, Commitment.id == CallLink.commitment_id).join(
        Response, Response.id == Commitment.response_id).where(
        CallLink.call_id == FundedProject.call_id, _published_response()).scalar_subquery()
    priorities = select(func.count()).select_from(CallLink).where(
        CallLink.call_id == FundedProject.call_id,
        CallLink.question_id.is_not(None)).scalar_subquery()
    statement = select(
        FundedProject.id, FundedProject.institution, FundedProject.published_at,
        FundedProject.call_id, reached.label("stage"), commitments.label("commitments"),
        priorities.label("priorities"),
    ).outerjoin(stage, stage.c.project_id == FundedProject.id) \
        .where(FundedProject.published_at.is_not(None))
    if wanted.status:
        stage_wanted = _STAGES.get(CommitmentStatus(wanted.status))
        statement = statement.where(reached == stage_wanted if stage_wanted is not None
                                    else false())
    if wanted.theme_id:
        on_theme = select(Commitment.id).where(_commitments_on_theme(wanted.theme_id))
        statement = statement.where(FundedProject.call_id.in_(
            select(CallLink.call_id).where(CallLink.commitment_id.in_(on_theme))))
    if wanted.year:
        statement = statement.where(_in_year(FundedProject.published_at, wanted.year))
    return statement.order_by(FundedProject.published_at.desc(), FundedProject.id.desc())


def _calls_of_commitments(commitment_ids) -> dict[int, list[tuple[int, int]]]:
    """commitment id -> [(call id, its published projects)], calls out of draft: one query."""
    ids = sorted(set(commitment_ids))
    if not ids:
        return {}
    found: dict[int, list[tuple[int, int]]] = {}
    for commitment_id, call_id, projects in _rows(
            select(CallLink.commitment_id, CallLink.call_id, _published_projects_of_call())
            .join(_CALLS, _CALLS.c.id == CallLink.call_id)
            .where(CallLink.commitment_id.in_(ids), _CALLS.c.status != _DRAFT_CALL)
            .order_by(CallLink.call_id)):
        found.setdefault(commitment_id, []).append((call_id, projects))
    return found


def impact_page(wanted: ImpactFilter, language: str, *, page: int = 1,
                projects_page: int = 1, per_page: int = 10) -> ImpactPage:
    """The published commitments and funded projects the filter asks for, newest first, each
    list paginated: nine queries at most."""
    commitment_rows = _list_page(_commitment_rows(wanted), page, per_page)
    project_rows = _list_page(_project_rows(wanted), projects_page, per_page)
    commitment_ids = [row.id for row in commitment_rows.items]
    calls = _calls_of_commitments(commitment_ids)
    call_titles = _call_titles([call_id for found in calls.values() for call_id, _n in found]
                               + [row.call_id for row in project_rows.items], language)
    answered = _answered([row.summary_id for row in commitment_rows.items
                          if row.summary_id is not None],
                         [row.exercise_id for row in commitment_rows.items
                          if row.exercise_id is not None], language)
    titles = _commitment_titles(commitment_ids, language)
    project_titles = _project_titles([row.id for row in project_rows.items], language)
    commitment_rows.items = [CommitmentItem(
        id=row.id, title=titles.get(row.id, Text("", language)), status=row.status,
        owner=row.owner, starts_on=row.starts_on, due_on=row.due_on, done_on=row.done_on,
        published_at=row.published_at,
        answers=_answer_of(answered, row.summary_id, row.exercise_id), cited=row.cited,
        priorities=row.priorities,
        calls=tuple(CallItem(call_id, call_titles[call_id], projects)
                    for call_id, projects in calls.get(row.id, ())),
    ) for row in commitment_rows.items]
    project_rows.items = [ProjectItem(
        id=row.id, title=project_titles.get(row.id, Text("", language)),
        status=_STATUS_OF_STAGE[row.stage], institution=row.institution,
        published_at=row.published_at,
        call=CallItem(row.call_id, call_titles[row.call_id]),
        commitments=row.commitments, priorities=row.priorities,
    ) for row in project_rows.items]
    return ImpactPage(filter=wanted, commitments=commitment_rows, projects=project_rows)


# A commitment's and a project's pages


@dataclass(frozen=True)
class CitedWords:
    """A contribution a commitment cites, as the site's moderation rules let it be shown:
    its words and author only while it is visible (published, not deleted); a redacted text
    is shown as redacted."""

    id: int
    consultation_id: int
    visible: bool
    name: str  # its author's public name, or its association's; "" when not visible
    is_position: bool
    excerpt: str
    language: str | None
    is_reply: bool


class _AuthorColumns(NamedTuple):
    display_name: str
    pseudonym: str | None
    use_pseudonym: bool
    deleted_at: datetime | None


# The rule of User.public_name, applied to the columns read rather than to an account.
_public_name = vars(User)["public_name"].fget


def excerpt(text: str | None, limit: int = EXCERPT_LENGTH) -> str:
    plain = " ".join(plain_text(text).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def _cited_words(commitment_ids) -> dict[int, list[CitedWords]]:
    """commitment id -> the contributions it cites, by number: one query."""
    ids = sorted(set(commitment_ids))
    if not ids:
        return {}
    found: dict[int, list[CitedWords]] = {}
    for row in db.session.execute(
            select(CommitmentCitation.commitment_id, Contribution.id,
                   Contribution.consultation_id, Contribution.parent_id,
                   Contribution.association_id, Contribution.body, Contribution.language,
                   Contribution.moderation_status, Contribution.deleted_at,
                   Contribution.author_id, User.display_name, User.pseudonym,
                   User.use_pseudonym, User.deleted_at.label("author_deleted_at"),
                   Association.name.label("association_name"))
            .join(Contribution, Contribution.id == CommitmentCitation.contribution_id)
            .outerjoin(User, User.id == Contribution.author_id)
            .outerjoin(Association, Association.id == Contribution.association_id)
            .where(CommitmentCitation.commitment_id.in_(ids))
            .order_by(CommitmentCitation.commitment_id, Contribution.id)):
        visible = row.moderation_status == ModerationStatus.PUBLISHED and row.deleted_at is None
        is_position = row.association_id is not None and row.parent_id is None
        name = ""
        if visible:
            if is_position and row.association_name:
                name = row.association_name
            elif row.author_id is not None:
                name = _public_name(_AuthorColumns(row.display_name, row.pseudonym,
                                                   row.use_pseudonym, row.author_deleted_at))
            else:
                name = str(_("Former participant"))
        found.setdefault(row.commitment_id, []).append(CitedWords(
            id=row.id, consultation_id=row.consultation_id, visible=visible, name=name,
            is_position=is_position, excerpt=excerpt(row.body) if visible else "",
            language=row.language if visible else None, is_reply=row.parent_id is not None))
    return found


@dataclass(frozen=True)
class Priority:
    """A research priority (an indicative question of published results)."""

    id: int
    exercise_id: int
    number: int
    final_rank: int | None
    text: Text


def _priorities(condition, join_on, language: str) -> list[tuple[int, Priority]]:
    """(owner id, priority) of the questions `join_on` links: one query."""
    rows = _rows(
        select(join_on[0], IndicativeQuestion.id, IndicativeQuestion.exercise_id,
               IndicativeQuestion.number, IndicativeQuestion.final_rank,
               QuestionTranslation.language, QuestionTranslation.text)
        .join(IndicativeQuestion, IndicativeQuestion.id == join_on[1])
        .outerjoin(QuestionTranslation, QuestionTranslation.question_id == IndicativeQuestion.id)
        .where(condition)
        .order_by(join_on[0], IndicativeQuestion.final_rank.is_(None),
                  IndicativeQuestion.final_rank, IndicativeQuestion.number))
    texts: dict[tuple[int, int], dict[str, tuple]] = {}
    order: list[tuple[int, int]] = []
    facts: dict[tuple[int, int], Any] = {}
    for owner, question_id, exercise_id, number, final_rank, code, text in rows:
        key = (owner, question_id)
        if key not in facts:
            order.append(key)
            facts[key] = (exercise_id, number, final_rank)
        if code is not None:
            texts.setdefault(key, {})[code] = (text,)
    return [(key[0], Priority(key[1], facts[key][0], facts[key][1], facts[key][2],
                              _text(texts.get(key), language))) for key in order]


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    size: int


@dataclass(frozen=True)
class UpdateItem:
    """A dated update of a commitment or a project."""

    id: int
    of: str  # "commitment" | "project"
    kind: str
    happened_on: date
    text: Text
    links: tuple[dict, ...]
    documents: tuple[Document, ...]
    status: str | None = None  # the status it set (commitments)
    due_on: date | None = None  # the due date it set (commitments)

    @property
    def kind_label(self) -> str:
        kinds = CommitmentUpdateKind if self.of == "commitment" else ProjectUpdateKind
        return kinds(self.kind).label

    @property
    def is_correction(self) -> bool:
        return self.kind == CommitmentUpdateKind.CORRECTION

    @property
    def status_label(self) -> str | None:
        return CommitmentStatus(self.status).label if self.status else None


def _updates(model, translation, owner_column, owner_id: int, language: str,
             document_column) -> tuple[UpdateItem, ...]:
    """The updates of one commitment or project, oldest first, with their texts and
    documents: two queries."""
    is_commitment = model is CommitmentUpdate
    extra = (model.status, model.due_on) if is_commitment else ()
    rows = db.session.execute(
        select(model.id, model.kind, model.happened_on, model.links, translation.language,
               translation.text, *extra)
        .outerjoin(translation, translation.update_id == model.id)
        .where(owner_column == owner_id).order_by(model.happened_on, model.id)).all()
    if not rows:
        return ()
    documents: dict[int, list[Document]] = {}
    for update_id, document_id, title, size in _rows(
            select(document_column, UpdateDocument.id, UpdateDocument.title, UpdateDocument.size)
            .where(document_column.in_({row[0] for row in rows})).order_by(UpdateDocument.id)):
        documents.setdefault(update_id, []).append(Document(document_id, title, size))
    texts: dict[int, dict[str, tuple]] = {}
    facts: dict[int, tuple] = {}
    for row in rows:
        facts.setdefault(row[0], (row[1], row[2], row[3] or [], *row[6:]))
        if row[4] is not None:
            texts.setdefault(row[0], {})[row[4]] = (row[5],)
    items = []
    for update_id, (kind, happened_on, links, *changes) in facts.items():
        items.append(UpdateItem(
            id=update_id, of="commitment" if is_commitment else "project", kind=kind,
            happened_on=happened_on, text=_text(texts.get(update_id), language),
            links=tuple(links), documents=tuple(documents.get(update_id, ())),
            status=changes[0] if changes else None, due_on=changes[1] if changes else None))
    return tuple(items)


@dataclass(frozen=True)
class ProjectLink:
    id: int
    title: Text
    institution: str


@dataclass(frozen=True)
class CallWithProjects:
    id: int
    title: Text
    projects: tuple[ProjectLink, ...]


@dataclass(frozen=True)
class CommitmentView:
    """A commitment's page: its texts, status and dates, what it answers, its updates and
    the calls that take it up with their funded projects."""

    id: int
    title: Text
    text: Text
    status: str
    owner: str
    starts_on: date | None
    due_on: date | None
    done_on: date | None
    reason: Text | None  # why it is not retained
    published_at: datetime | None
    answers: Answered | None
    cited: tuple[CitedWords, ...]
    priorities: tuple[Priority, ...]
    updates: tuple[UpdateItem, ...]
    calls: tuple[CallWithProjects, ...]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label


def _reason(reason_fr: str, reason_en: str, language: str) -> Text | None:
    reasons = {code: (text,) for code, text in (("fr", reason_fr), ("en", reason_en)) if text}
    return _text(reasons, language) if reasons else None


def commitment_view(commitment_id: int, language: str,
                    published_only: bool = True) -> CommitmentView | None:
    """A commitment as its page shows it (None if there is none, or not published when
    `published_only`): eleven queries at most."""
    statement = select(
        Commitment.id, Commitment.status, Commitment.owner, Commitment.starts_on,
        Commitment.due_on, Commitment.done_on, Commitment.reason_fr, Commitment.reason_en,
        Response.published_at, Response.summary_id, Response.exercise_id,
    ).join(Response, Response.id == Commitment.response_id).where(Commitment.id == commitment_id)
    if published_only:
        statement = statement.where(_published_response())
    row = db.session.execute(statement).first()
    if row is None:
        return None
    texts = _by_owner(select(CommitmentTranslation.commitment_id, CommitmentTranslation.language,
                             CommitmentTranslation.title, CommitmentTranslation.text)
                      .where(CommitmentTranslation.commitment_id == row.id))
    answered = _answered([row.summary_id] if row.summary_id is not None else [],
                         [row.exercise_id] if row.exercise_id is not None else [], language)
    calls = [call_id for call_id, _n in _calls_of_commitments([row.id]).get(row.id, [])]
    projects = _projects_of_calls(calls, language)
    call_titles = _call_titles(calls, language)
    return CommitmentView(
        id=row.id, title=_text(texts.get(row.id), language),
        text=_text(texts.get(row.id), language, 1), status=row.status, owner=row.owner,
        starts_on=row.starts_on, due_on=row.due_on, done_on=row.done_on,
        reason=_reason(row.reason_fr, row.reason_en, language)
        if row.status == CommitmentStatus.NOT_RETAINED else None,
        published_at=row.published_at,
        answers=_answer_of(answered, row.summary_id, row.exercise_id),
        cited=tuple(_cited_words([row.id]).get(row.id, ())),
        priorities=tuple(priority for _owner, priority in _priorities(
            commitment_questions.c.commitment_id == row.id,
            (commitment_questions.c.commitment_id, commitment_questions.c.question_id),
            language)),
        updates=_updates(CommitmentUpdate, CommitmentUpdateTranslation,
                         CommitmentUpdate.commitment_id, row.id, language,
                         UpdateDocument.commitment_update_id),
        calls=tuple(CallWithProjects(call_id, call_titles[call_id],
                                     tuple(projects.get(call_id, ()))) for call_id in calls),
    )


def _projects_of_calls(call_ids, language: str) -> dict[int, list[ProjectLink]]:
    """call id -> its published projects: two queries (none without calls)."""
    ids = sorted(set(call_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(FundedProject.id, FundedProject.call_id, FundedProject.institution)
        .where(FundedProject.call_id.in_(ids), FundedProject.published_at.is_not(None))
        .order_by(FundedProject.published_at, FundedProject.id)).all()
    titles = _project_titles([row.id for row in rows], language)
    found: dict[int, list[ProjectLink]] = {}
    for row in rows:
        found.setdefault(row.call_id, []).append(ProjectLink(row.id, titles[row.id],
                                                             row.institution))
    return found


@dataclass(frozen=True)
class AnsweredCommitment:
    """A commitment a call answers, traced back: what it answers and the words it cites."""

    id: int
    title: Text
    status: str
    answers: Answered | None
    cited: tuple[CitedWords, ...]

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label


@dataclass(frozen=True)
class ProjectView:
    """A funded project's page: its public texts, call, the aggregate fact of lay review,
    its updates, and the way back to what its call answers."""

    id: int
    title: Text
    lay_summary: Text
    institution: str
    status: str
    published_at: datetime | None
    call: CallItem
    lay_review: dict
    updates: tuple[UpdateItem, ...]
    commitments: tuple[AnsweredCommitment, ...]
    priorities: tuple[Priority, ...]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status_label(self) -> str:
        return project_status_label(self.status)


def project_view(project_id: int, language: str,
                 published_only: bool = True) -> ProjectView | None:
    """A funded project as its page shows it (None if there is none, or not published when
    `published_only`): eleven queries at most. Of lay review, only the aggregate fact."""
    stage = _project_stage()
    statement = select(
        FundedProject.id, FundedProject.call_id, FundedProject.institution,
        FundedProject.published_at, FundedProject.lay_reviewer_count,
        FundedProject.lay_review_rounds, func.coalesce(stage.c.stage, 0).label("stage"),
    ).outerjoin(stage, stage.c.project_id == FundedProject.id) \
        .where(FundedProject.id == project_id)
    if published_only:
        statement = statement.where(FundedProject.published_at.is_not(None))
    row = db.session.execute(statement).first()
    if row is None:
        return None
    texts = _titles(FundedProjectTranslation, FundedProjectTranslation.project_id, [row.id],
                    language, FundedProjectTranslation.title,
                    FundedProjectTranslation.lay_summary)[row.id]
    answered_rows = db.session.execute(
        select(Commitment.id, Commitment.status, Response.summary_id, Response.exercise_id)
        .join(CallLink, CallLink.commitment_id == Commitment.id)
        .join(Response, Response.id == Commitment.response_id)
        .where(CallLink.call_id == row.call_id, _published_response())
        .order_by(Response.published_at, Commitment.position, Commitment.id)).all()
    commitment_ids = [found.id for found in answered_rows]
    titles = _commitment_titles(commitment_ids, language)
    answered = _answered([r.summary_id for r in answered_rows if r.summary_id is not None],
                         [r.exercise_id for r in answered_rows if r.exercise_id is not None],
                         language)
    cited = _cited_words(commitment_ids)
    return ProjectView(
        id=row.id, title=texts[0], lay_summary=texts[1], institution=row.institution,
        status=_STATUS_OF_STAGE[row.stage], published_at=row.published_at,
        call=CallItem(row.call_id, _call_titles([row.call_id], language)[row.call_id]),
        lay_review=lay_review_facts(row.lay_reviewer_count, row.lay_review_rounds),
        updates=_updates(ProjectUpdate, ProjectUpdateTranslation, ProjectUpdate.project_id,
                         row.id, language, UpdateDocument.project_update_id),
        commitments=tuple(AnsweredCommitment(
            id=found.id, title=titles[found.id], status=found.status,
            answers=_answer_of(answered, found.summary_id, found.exercise_id),
            cited=tuple(cited.get(found.id, ()))) for found in answered_rows),
        priorities=tuple(priority for _owner, priority in _priorities(
            CallLink.call_id == row.call_id, (CallLink.call_id, CallLink.question_id),
            language)),
    )


def follows(user, *, commitment_id: int | None = None, project_id: int | None = None) -> bool:
    """Whether `user` follows the commitment or the project (False for a visitor)."""
    if not user.is_authenticated:
        return False
    target = Follow.commitment_id == commitment_id if commitment_id is not None \
        else Follow.project_id == project_id
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user.id, target)) \
        is not None


def public_document(document_id: int) -> UpdateDocument | None:
    """A document of an update of a published commitment or project (None otherwise)."""
    of_commitment = select(CommitmentUpdate.id).join(
        Commitment, Commitment.id == CommitmentUpdate.commitment_id).join(
        Response, Response.id == Commitment.response_id).where(_published_response())
    of_project = select(ProjectUpdate.id).join(
        FundedProject, FundedProject.id == ProjectUpdate.project_id).where(
        FundedProject.published_at.is_not(None))
    return db.session.scalar(select(UpdateDocument).where(
        UpdateDocument.id == document_id,
        or_(UpdateDocument.commitment_update_id.in_(of_commitment),
            UpdateDocument.project_update_id.in_(of_project))))


# From a contribution: the chain forward


@dataclass(frozen=True)
class ChainCommitment:
    id: int
    title: Text
    status: str
    cites_this: bool  # the commitment cites the contribution itself
    calls: tuple[CallItem, ...]

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label


@dataclass(frozen=True)
class ChainResponse:
    """The network's response to one summary, as far as it concerns a contribution."""

    summary_id: int
    title: Text  # the consultation's
    cited_in_summary: bool
    commitments: tuple[ChainCommitment, ...]


def contribution_chain(contribution_id: int, consultation_id: int,
                       language: str) -> tuple[ChainResponse, ...]:
    """What came of a contribution: each published response to a published summary that
    cites it (all its commitments), or whose commitments cite it (those), with the calls
    that take each commitment up and their funded projects. Kept while nothing of the
    record, the summaries or the consultation changes (engage.core.aggregate_cache)."""
    return aggregate_cache.remember(
        (CHAIN_KEY, contribution_id, language),
        lambda: _contribution_chain(contribution_id, language),
        [COMMITMENTS_SCOPE, versions.SUMMARIES, versions.consultation(consultation_id)])


def _contribution_chain(contribution_id: int, language: str) -> tuple[ChainResponse, ...]:
    """Three queries (one when nothing answers the contribution)."""
    in_summaries = select(Citation.summary_id).join(Summary, Summary.id == Citation.summary_id) \
        .where(Citation.contribution_id == contribution_id,
               Summary.status == SummaryStatus.PUBLISHED)
    citing = select(CommitmentCitation.commitment_id).where(
        CommitmentCitation.contribution_id == contribution_id)
    summary_cites = Response.summary_id.in_(in_summaries)
    cites_this = Commitment.id.in_(citing)
    rows = db.session.execute(
        select(Commitment.id, Commitment.status, Response.summary_id,
               summary_cites.label("summary_cites"), cites_this.label("cites_this"))
        .join(Response, Response.id == Commitment.response_id)
        .where(_published_response(), Response.summary_id.is_not(None),
               or_(summary_cites, cites_this))
        .order_by(Response.published_at, Response.id, Commitment.position, Commitment.id)).all()
    if not rows:
        return ()
    ids = [row.id for row in rows]
    calls = _calls_of_commitments(ids)
    titles = _titles_of_kinds(ids, {row.summary_id for row in rows},
                              {call_id for found in calls.values() for call_id, _n in found},
                              language)
    responses: dict[int, ChainResponse] = {}
    for row in rows:
        response = responses.get(row.summary_id)
        if response is None:
            response = responses[row.summary_id] = ChainResponse(
                summary_id=row.summary_id, title=titles[("summary", row.summary_id)],
                cited_in_summary=bool(row.summary_cites), commitments=())
        commitment = ChainCommitment(
            id=row.id, title=titles[("commitment", row.id)], status=row.status,
            cites_this=bool(row.cites_this),
            calls=tuple(CallItem(call_id, titles[("call", call_id)], projects)
                        for call_id, projects in calls.get(row.id, ())))
        responses[row.summary_id] = replace(response,
                                            commitments=(*response.commitments, commitment))
    return tuple(responses.values())


def _titles_of_kinds(commitment_ids, summary_ids, call_ids,
                     language: str) -> dict[tuple[str, int], Text]:
    """("commitment" | "summary" | "call", id) -> its title (a summary's is its
    consultation's): one query."""
    parts: list[Select] = [
        select(literal_column("'commitment'"), CommitmentTranslation.commitment_id,
               CommitmentTranslation.language, CommitmentTranslation.title)
        .where(CommitmentTranslation.commitment_id.in_(sorted(commitment_ids))),
        select(literal_column("'summary'"), Summary.id, ConsultationTranslation.language,
               ConsultationTranslation.title)
        .join(ConsultationTranslation,
              ConsultationTranslation.consultation_id == Summary.consultation_id)
        .where(Summary.id.in_(sorted(summary_ids))),
    ]
    if call_ids:
        parts.append(select(literal_column("'call'"), _CALL_TITLES.c.call_id,
                            _CALL_TITLES.c.language, _CALL_TITLES.c.title)
                     .where(_CALL_TITLES.c.call_id.in_(sorted(call_ids))))
    found: dict[tuple[str, int], dict[str, tuple]] = {}
    for kind, owner_id, code, title in _rows(union_all(*parts)):
        found.setdefault((kind, owner_id), {})[code] = (title,)
    wanted = [("commitment", n) for n in commitment_ids] + \
        [("summary", n) for n in summary_ids] + [("call", n) for n in call_ids]
    return {key: _text(found.get(key), language) for key in wanted}


# The home page's "What came out of it"


def home_outcomes() -> dict | None:
    """What the home page says of the record, the way to the impact page: the published
    commitments by status and the published funded projects; nothing while the record is
    empty (the home page's outcomes stay hidden until there is one). Kept while the record is
    unchanged."""
    counts = aggregate_cache.remember(HOME_KEY, _home_counts, [COMMITMENTS_SCOPE])
    return counts if counts["commitments"] or counts["projects"] else None


def _home_counts() -> dict:
    """Two queries."""
    by_status = commitment_counts()
    projects = db.session.scalar(select(func.count()).select_from(FundedProject).where(
        FundedProject.published_at.is_not(None))) or 0
    return {"commitments": sum(by_status.values()), "by_status": by_status,
            "projects": projects}
