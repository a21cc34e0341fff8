"""Read models of summaries: the published summaries (lists, feed, home section), those
of a consultation or citing a contribution (for the consultations' pages), and the editor's
citation picker and coverage figures."""

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import cast

from flask_babel import get_locale
from sqlalchemy import bindparam, func, or_, select, union
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from engage.consultations.models import (
    Consultation,
    ConsultationQuestion,
    ConsultationQuestionOption,
    Contribution,
)
from engage.core import search
from engage.core.markdown import plain_text
from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.summaries import citations
from engage.summaries.models import Citation, Summary, SummaryStatus


def published_statement():
    # The summaries with their texts and their consultations' titles: one query.
    return (select(Summary).where(Summary.status == SummaryStatus.PUBLISHED)
            .options(joinedload(Summary.translations),
                     joinedload(Summary.consultation).options(
                         joinedload(Consultation.translations), lazyload(Consultation.themes)))
            .order_by(Summary.published_at.desc(), Summary.id.desc()))


def lead(summary: Summary, language: str, limit: int = 280) -> tuple[str, str]:
    """The first words of the summary in `language` (or its fallback): (text, language)."""
    shown = summary.translated(language)
    if shown is None:
        return "", language
    text = " ".join(plain_text(citations.strip_citations(shown.body)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text, shown.language


def home_section():
    summaries = db.session.scalars(published_statement().limit(3)).unique().all()
    if not summaries:
        return None
    return {"summaries": summaries, "language": str(get_locale()), "lead": lead}


def load_questionnaire(consultation: Consultation) -> None:
    """The consultation's questions with their options and texts, in one query, given to
    `consultation.questions` (what the questionnaire's results read): the relationship
    would take four (the questions, then each collection after them)."""
    questions = db.session.scalars(_questionnaire_statement(),
                                   {"consultation_id": consultation.id}).unique().all()
    set_committed_value(consultation, "questions", list(questions))


@cache  # built once per process: building it costs more than running it
def _questionnaire_statement():
    return (
        select(ConsultationQuestion)
        .where(ConsultationQuestion.consultation_id == bindparam("consultation_id"))
        .options(joinedload(ConsultationQuestion.translations),
                 joinedload(ConsultationQuestion.options)
                 .joinedload(ConsultationQuestionOption.translations))
        .order_by(ConsultationQuestion.position, ConsultationQuestion.id)
    )


def summaries_citing(contribution_id: int) -> list[Summary]:
    """The published summaries that cite a contribution (for its page): one query."""
    return list(db.session.scalars(
        select(Summary).join(Citation, Citation.summary_id == Summary.id)
        .where(Citation.contribution_id == contribution_id,
               Summary.status == SummaryStatus.PUBLISHED)
        .options(joinedload(Summary.consultation))
        .order_by(Summary.published_at)
    ).unique())


def published_summary_for(consultation_id: int) -> Summary | None:
    return db.session.scalar(
        select(Summary).where(Summary.consultation_id == consultation_id,
                              Summary.status == SummaryStatus.PUBLISHED)
    )


# The summary editor: the contributions to cite (the citation picker) and what the
# citations cover. Both together cost two queries, whatever the number of contributions:
# the page of the picker (with its total) and the themes of the contributions on it and of
# those cited.

PICKER_STEP = 10  # contributions shown at first, and added by "Show more"
PICKER_MAX = 100
EXCERPT_LENGTH = 240
# "123", "#123" or "[#123]" in the search field: that contribution.
_NUMBER = re.compile(r"^\s*\[?#?(\d{1,9})\]?\s*$")


@dataclass(frozen=True)
class CitationFilter:
    """What the citation picker lists. Read from the query string (GET) or from the editor's
    form (POST: the text being edited is kept); values that make no sense are ignored."""

    into: str  # the language of the text that "Insert" adds to
    query: str = ""
    theme_id: int | None = None
    uncited: bool = False  # only those not cited yet in the text of `into`
    shown: int = PICKER_STEP

    @classmethod
    def from_values(cls, values, theme_ids, languages, default_language: str) -> "CitationFilter":
        into = values.get("into", "")
        if into not in languages:
            into = default_language if default_language in languages else languages[0]
        theme_id = values.get("theme", type=int)
        shown = values.get("shown", PICKER_STEP, type=int) or PICKER_STEP
        return cls(
            into=into,
            query=" ".join((values.get("q") or "").split())[:search.MAX_QUERY_LENGTH],
            theme_id=theme_id if theme_id in theme_ids else None,
            uncited=values.get("uncited") == "1",
            shown=min(max(shown, PICKER_STEP), PICKER_MAX),
        )

    def first_page(self) -> "CitationFilter":
        return replace(self, shown=PICKER_STEP)

    def more(self) -> "CitationFilter":
        return replace(self, shown=min(self.shown + PICKER_STEP, PICKER_MAX))

    def as_args(self) -> dict:
        """The query string that shows the same picker (after a save, for instance)."""
        args: dict = {"into": self.into}
        if self.query:
            args["q"] = self.query
        if self.theme_id:
            args["theme"] = self.theme_id
        if self.uncited:
            args["uncited"] = "1"
        if self.shown != PICKER_STEP:
            args["shown"] = self.shown
        return args


@dataclass(frozen=True)
class Citable:
    """A contribution of the picker."""

    id: int
    parent_id: int | None  # a reply: the contribution it answers
    excerpt: str
    language: str | None
    themes: tuple[str, ...]
    cited: bool  # in the text of the filter's language


@dataclass(frozen=True)
class CitationPicker:
    filter: CitationFilter
    items: list[Citable]
    total: int
    next_id: int | None  # the first contribution that "Show more" adds
    themes: list[tuple[int, str]]  # the consultation's themes, for the filter

    @property
    def has_more(self) -> bool:
        return self.next_id is not None and self.filter.shown < PICKER_MAX


@dataclass(frozen=True)
class Coverage:
    """The citations of one language's text: only known and visible ones count."""

    linked: list[int]  # contributions of the consultation, visible: counted and linked
    unknown: list[int]  # not a contribution of this consultation
    hidden: list[int]  # hidden, awaiting moderation or deleted
    covered: list[str]  # the consultation's themes cited from
    uncovered: list[str]  # the consultation's themes cited none from

    @property
    def theme_count(self) -> int:
        return len(self.covered) + len(self.uncovered)


def excerpt(text: str | None, limit: int = EXCERPT_LENGTH) -> str:
    plain = " ".join(plain_text(text).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def _picker_rows(consultation_id: int, wanted: CitationFilter, cited: set[int]):
    """The page of contributions the filter asks for, with their total: one query."""
    statement = select(
        Contribution.id, Contribution.parent_id, Contribution.body, Contribution.language,
        func.count().over().label("total"),
    ).where(Contribution.consultation_id == consultation_id, Contribution.visible_clause())
    number = _NUMBER.match(wanted.query)
    if number:
        statement = statement.where(Contribution.id == int(number.group(1)))
    elif terms := search.query_terms(wanted.query):
        statement = statement.where(search.fulltext_match(
            "consultation_contributions", Contribution.id,
            db.session.get_bind().dialect.name, terms))
    if wanted.theme_id:
        statement = statement.where(or_(
            Contribution.theme_id == wanted.theme_id,
            Contribution.id.in_(select(ContributionTheme.contribution_id)
                                .where(ContributionTheme.theme_id == wanted.theme_id))))
    if wanted.uncited and cited:
        statement = statement.where(Contribution.id.not_in(sorted(cited)))
    return db.session.execute(
        statement.order_by(Contribution.created_at, Contribution.id).limit(wanted.shown + 1)
    ).all()


def _themes_of(contribution_ids) -> dict[int, set[int]]:
    """Each contribution's themes, its author's and the moderators': one query."""
    ids = sorted(set(contribution_ids))
    themes: dict[int, set[int]] = {number: set() for number in ids}
    if not ids:
        return themes
    chosen = select(Contribution.id, Contribution.theme_id).where(
        Contribution.id.in_(ids), Contribution.theme_id.is_not(None))
    tagged = select(ContributionTheme.contribution_id, ContributionTheme.theme_id).where(
        ContributionTheme.contribution_id.in_(ids))
    rows = cast(list[tuple[int, int]], db.session.execute(union(chosen, tagged)).all())
    for contribution_id, theme_id in rows:
        themes[contribution_id].add(theme_id)
    return themes


def citation_editor(consultation: Consultation, texts: dict[str, str],
                    checks: dict[str, citations.CitationCheck], wanted: CitationFilter | None,
                    language: str) -> tuple[CitationPicker | None, dict[str, Coverage]]:
    """The picker (None without a filter: the summary cannot be changed) and the coverage of
    each language's citations (`checks`: citations.check of `texts`)."""
    labels = [(theme.id, theme.label(language)) for theme in consultation.themes]
    rows = []
    if wanted is not None:
        cited_here = set(citations.cited_ids(texts.get(wanted.into, "")))
        rows = _picker_rows(consultation.id, wanted, cited_here)
    shown = rows[:wanted.shown] if wanted is not None else []
    linked = {n for check in checks.values() for n in check.linked}
    themes = _themes_of([row.id for row in shown] + sorted(linked))

    coverage = {}
    for code, check in checks.items():
        reached = {theme for n in check.linked for theme in themes.get(n, ())}
        coverage[code] = Coverage(
            linked=check.linked, unknown=check.unknown, hidden=check.hidden,
            covered=[label for theme_id, label in labels if theme_id in reached],
            uncovered=[label for theme_id, label in labels if theme_id not in reached])
    if wanted is None:
        return None, coverage
    picker = CitationPicker(
        filter=wanted,
        items=[Citable(
            id=row.id, parent_id=row.parent_id, excerpt=excerpt(row.body),
            language=row.language,
            themes=tuple(label for theme_id, label in labels if theme_id in themes[row.id]),
            cited=row.id in cited_here,
        ) for row in shown],
        total=rows[0].total if rows else 0,
        next_id=rows[wanted.shown].id if len(rows) > wanted.shown else None,
        themes=labels,
    )
    return picker, coverage
