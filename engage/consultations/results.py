"""Questionnaire results: the publishable figures of the submitted responses, as chart bars
and tables. Every output (the consultation page, the outcome report and its PDF, the
downloads, the API) reads them from `questionnaire_results`, so none shows more.

No published figure describes fewer than 5 people (`engage.core.small_cells`):

- a question answered by fewer than 5 people shows no breakdown and no count of answers,
  only that there were fewer than 5 (`QuestionResult.withheld`);
- the choice questions ask about the person (their role, health situation, place, age):
  their answers given by 1 to 4 people are counted together under "Other answers"
  (`QuestionResult.grouped`), with the next smallest answer when the group alone would
  still describe fewer than 5 people. Scales and rankings ask for opinions: their figures
  are shown as counted once 5 people have answered.

Four queries at most whatever the number of responses: respondents per question, answer
counts per option or value, the number of submitted responses, and the options each person
chose in the multiple-choice questions (to count the people in a group, not their answers).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from sqlalchemy import Integer, cast, func, null, select, union_all

from engage.consultations.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    QuestionKind,
)
from engage.consultations.models.questionnaire import SCALE_VALUES
from engage.core import aggregate_cache, versions
from engage.core.charts import Bar
from engage.core.small_cells import SMALL_CELL, grouped_keys
from engage.extensions import db

OTHER = "other"  # the key of the bar that counts the grouped answers together
# The kinds of question whose answers describe the person. Questions carry no such mark
# (a per-question one would need a migration): every choice question is taken as one.
ABOUT_THE_PERSON = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})

Counts = dict[tuple[int, int | None, int | None], int]
ChoiceSets = dict[int, list[frozenset[int]]]  # question id -> the options each person chose


@dataclass
class QuestionResult:
    question: ConsultationQuestion
    text: str
    language: str
    # People who answered; None when they are fewer than SMALL_CELL (not published).
    respondents: int | None
    bars: list[Bar] = field(default_factory=list)  # Bar.key: option id, scale value or OTHER
    value_heading: str = ""
    note: str = ""
    withheld: bool = False  # fewer than SMALL_CELL answers: no figure at all
    grouped: list[int] = field(default_factory=list)  # option ids counted under OTHER
    mean: float | None = None  # scale questions

    @property
    def privacy_note(self) -> str:
        if self.withheld:
            return _("Fewer than 5 answers: the figures of this question are not published, "
                     "so that no one can be recognised.")
        if self.grouped:
            return _("To protect privacy, answers given by fewer than 5 people are counted "
                     "together under “Other answers” (with the next smallest answer when "
                     "needed).")
        return ""


@dataclass
class Results:
    responses: int
    questions: list[QuestionResult]


def _share(count: int, total: int | None) -> str:
    return f"({format_percent(count / total)})" if total else ""


def questionnaire_results(consultation: Consultation, language: str) -> Results:
    questions = list(consultation.questions)
    ids = [q.id for q in questions]
    multiple = [q.id for q in questions if q.kind == QuestionKind.MULTIPLE_CHOICE]
    # The counts are kept while nothing is written (engage.core.aggregate_cache).
    responses, respondents, counts, choices = aggregate_cache.remember(
        ("questionnaire-figures", consultation.id, tuple(ids), tuple(multiple)),
        lambda: _counts(consultation, ids, multiple), [versions.consultation(consultation.id)])
    return _results(questions, language, responses, respondents, counts, choices)


def _counts(consultation: Consultation, ids: list[int], multiple: list[int]):
    submitted = ConsultationResponse.submitted_at.is_not(None)
    responses = 0
    respondents: dict[int, int] = {}
    counts: Counts = {}
    choices: ChoiceSets = {}
    if ids:
        answer = ConsultationAnswer
        # The responses sent (on the row without a question), then the people who answered
        # each question: one statement.
        rows: Any = db.session.execute(union_all(
            select(cast(null(), Integer), func.count(ConsultationResponse.id)).where(
                ConsultationResponse.consultation_id == consultation.id, submitted),
            select(answer.question_id, func.count(func.distinct(answer.response_id)))
            .join(ConsultationResponse, ConsultationResponse.id == answer.response_id)
            .where(answer.question_id.in_(ids), submitted)
            .group_by(answer.question_id),
        ))
        for question_id, count in rows:
            if question_id is None:
                responses = count or 0
            else:
                respondents[question_id] = count
        for question_id, option_id, number, count in db.session.execute(
            select(answer.question_id, answer.option_id, answer.number, func.count(answer.id))
            .join(ConsultationResponse, ConsultationResponse.id == answer.response_id)
            .where(answer.question_id.in_(ids), submitted)
            .group_by(answer.question_id, answer.option_id, answer.number)
        ):
            counts[(question_id, option_id, number)] = count
    if multiple:
        chosen: dict[tuple[int, int], set[int]] = {}
        for question_id, response_id, option_id in db.session.execute(
            select(ConsultationAnswer.question_id, ConsultationAnswer.response_id,
                   ConsultationAnswer.option_id)
            .join(ConsultationResponse, ConsultationResponse.id == ConsultationAnswer.response_id)
            .where(ConsultationAnswer.question_id.in_(multiple), submitted)
        ):
            if option_id is not None:
                chosen.setdefault((question_id, response_id), set()).add(option_id)
        for (question_id, _response_id), options in chosen.items():
            choices.setdefault(question_id, []).append(frozenset(options))
    return responses, respondents, counts, choices


def _scale_label(value: int, low: str, high: str) -> str:
    """The number, with the end labels on the first and last values when given."""
    if value == SCALE_VALUES[0] and low:
        return f"{value} – {low}"
    if value == SCALE_VALUES[-1] and high:
        return f"{value} – {high}"
    return str(value)


def _people_in(question: ConsultationQuestion, choices: ChoiceSets,
               per_option: dict[int, int]) -> Callable[[set[int]], int]:
    """How many people chose at least one of some options."""
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = choices.get(question.id, [])
        return lambda options: sum(1 for person in chosen if person & options)
    return lambda options: sum(per_option[option] for option in options)  # one answer each


def _fill_choice(result: QuestionResult, shown, language: str, counts: Counts,
                 choices: ChoiceSets) -> None:
    question, total = result.question, result.respondents
    result.value_heading = _("Number of answers")
    per_option = {option.id: sum(c for (q, o, _n), c in counts.items()
                                 if q == question.id and o == option.id)
                  for option in question.options}
    people_in = _people_in(question, choices, per_option)
    about_the_person = QuestionKind(question.kind) in ABOUT_THE_PERSON
    group = grouped_keys(per_option, people_in=people_in) if about_the_person else set()
    grouped_people = people_in(group) if group else 0
    if group and grouped_people < SMALL_CELL:  # nothing left to hide it among
        _withhold(result)
        return
    for option in question.options:
        if option.id not in group:
            count = per_option[option.id]
            result.bars.append(Bar(option.label(language), count, _share(count, total),
                                   key=option.id))
    if group:
        result.grouped = [option.id for option in question.options if option.id in group]
        result.bars.append(Bar(_("Other answers (groups under 5 people)"), grouped_people,
                               _share(grouped_people, total), key=OTHER))


def _fill_scale(result: QuestionResult, shown, language: str, counts: Counts,
                choices: ChoiceSets) -> None:
    question, total = result.question, result.respondents
    result.value_heading = _("Number of answers")
    low = shown.scale_min_label if shown else ""
    high = shown.scale_max_label if shown else ""
    weighted = 0
    for value in SCALE_VALUES:
        count = counts.get((question.id, None, value), 0)
        weighted += value * count
        result.bars.append(Bar(_scale_label(value, low, high), count, _share(count, total),
                               key=value))
    if total:
        result.mean = round(weighted / total, 2)
        result.note = _("Average: %(mean)s out of 5.",
                        mean=format_decimal(round(weighted / total, 1)))


def _ranking_bar(question, option, language: str, counts, total: int | None) -> Bar:
    """Points (size for a first rank, one less for each rank below) and the average rank."""
    size = len(question.options)
    points = 0
    placed = 0
    for rank in range(1, size + 1):
        count = counts.get((question.id, option.id, rank), 0)
        points += (size - rank + 1) * count
        placed += rank * count
    detail = ""
    if total:
        detail = _("(average rank %(rank)s)", rank=format_decimal(round(placed / total, 1)))
    return Bar(option.label(language), points, detail, key=option.id)


def _fill_ranking(result: QuestionResult, shown, language: str, counts: Counts,
                  choices: ChoiceSets) -> None:
    question = result.question
    result.value_heading = _("Points")
    for option in question.options:
        result.bars.append(_ranking_bar(question, option, language, counts, result.respondents))
    result.note = _("Each person gives %(size)d points to the option ranked first, "
                    "one point less to the next, and so on.", size=len(question.options))


def _fill_free_text(result: QuestionResult, shown, language: str, counts: Counts,
                    choices: ChoiceSets) -> None:
    result.note = _("Written answers are not published one by one: the moderators "
                    "take them into account in the summary.")


def _withhold(result: QuestionResult) -> None:
    result.withheld = True
    result.respondents = None
    result.bars, result.grouped, result.mean = [], [], None
    if QuestionKind(result.question.kind) != QuestionKind.FREE_TEXT:
        result.note = ""


_FILLERS = {
    QuestionKind.SINGLE_CHOICE: _fill_choice,
    QuestionKind.MULTIPLE_CHOICE: _fill_choice,
    QuestionKind.SCALE: _fill_scale,
    QuestionKind.RANKING: _fill_ranking,
}


def _results(questions, language: str, responses: int, respondents: dict[int, int],
             counts: Counts, choices: ChoiceSets) -> Results:
    results = []
    for question in questions:
        shown = question.translated(language)
        answered = respondents.get(question.id, 0)
        result = QuestionResult(
            question=question,
            text=shown.text if shown else "",
            language=shown.language if shown else language,
            respondents=answered,
        )
        fill = _FILLERS.get(QuestionKind(question.kind), _fill_free_text)
        if answered >= SMALL_CELL or fill is _fill_free_text:
            fill(result, shown, language, counts, choices)
        if answered < SMALL_CELL:
            _withhold(result)
        results.append(result)
    return Results(responses=responses, questions=results)
