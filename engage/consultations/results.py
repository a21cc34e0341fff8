"""Questionnaire results: counts of the submitted responses, as chart bars and tables.

Three queries whatever the number of responses: respondents per question, answer
counts per option or value, and the number of submitted responses.
"""

from dataclasses import dataclass, field

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from sqlalchemy import func, select

from engage.consultations.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    QuestionKind,
)
from engage.consultations.models.questionnaire import SCALE_VALUES
from engage.core import aggregate_cache
from engage.core.charts import Bar
from engage.extensions import db


@dataclass
class QuestionResult:
    question: ConsultationQuestion
    text: str
    language: str
    respondents: int
    bars: list[Bar] = field(default_factory=list)
    value_heading: str = ""
    note: str = ""


@dataclass
class Results:
    responses: int
    questions: list[QuestionResult]


def _share(count: int, total: int) -> str:
    return f"({format_percent(count / total)})" if total else ""


def questionnaire_results(consultation: Consultation, language: str) -> Results:
    questions = list(consultation.questions)
    ids = [q.id for q in questions]
    # The counts are kept while nothing is written (engage.core.aggregate_cache).
    responses, respondents, counts = aggregate_cache.remember(
        ("questionnaire-counts", consultation.id, tuple(ids)),
        lambda: _counts(consultation, ids))
    return _results(questions, language, responses, respondents, counts)


def _counts(consultation: Consultation, ids: list[int]):
    submitted = ConsultationResponse.submitted_at.is_not(None)
    responses = 0
    respondents: dict[int, int] = {}
    counts: dict[tuple[int, int | None, int | None], int] = {}
    if ids:
        responses = db.session.scalar(
            select(func.count(ConsultationResponse.id)).where(
                ConsultationResponse.consultation_id == consultation.id, submitted
            )
        ) or 0
        answer = ConsultationAnswer
        respondents = dict(db.session.execute(
            select(answer.question_id, func.count(func.distinct(answer.response_id)))
            .join(ConsultationResponse, ConsultationResponse.id == answer.response_id)
            .where(answer.question_id.in_(ids), submitted)
            .group_by(answer.question_id)
        ).all())
        for question_id, option_id, number, count in db.session.execute(
            select(answer.question_id, answer.option_id, answer.number, func.count(answer.id))
            .join(ConsultationResponse, ConsultationResponse.id == answer.response_id)
            .where(answer.question_id.in_(ids), submitted)
            .group_by(answer.question_id, answer.option_id, answer.number)
        ):
            counts[(question_id, option_id, number)] = count
    return responses, respondents, counts


def _scale_label(value: int, low: str, high: str) -> str:
    """The number, with the end labels on the first and last values when given."""
    if value == SCALE_VALUES[0] and low:
        return f"{value} – {low}"
    if value == SCALE_VALUES[-1] and high:
        return f"{value} – {high}"
    return str(value)


def _fill_choice(result: QuestionResult, shown, language: str, counts) -> None:
    question, total = result.question, result.respondents
    result.value_heading = _("Number of answers")
    for option in question.options:
        count = sum(c for (q, o, _n), c in counts.items()
                    if q == question.id and o == option.id)
        result.bars.append(Bar(option.label(language), count, _share(count, total)))


def _fill_scale(result: QuestionResult, shown, language: str, counts) -> None:
    question, total = result.question, result.respondents
    result.value_heading = _("Number of answers")
    low = shown.scale_min_label if shown else ""
    high = shown.scale_max_label if shown else ""
    weighted = 0
    for value in SCALE_VALUES:
        count = counts.get((question.id, None, value), 0)
        weighted += value * count
        result.bars.append(Bar(_scale_label(value, low, high), count, _share(count, total)))
    if total:
        result.note = _("Average: %(mean)s out of 5.",
                        mean=format_decimal(round(weighted / total, 1)))


def _ranking_bar(question, option, language: str, counts, total: int) -> Bar:
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
    return Bar(option.label(language), points, detail)


def _fill_ranking(result: QuestionResult, shown, language: str, counts) -> None:
    question = result.question
    result.value_heading = _("Points")
    for option in question.options:
        result.bars.append(_ranking_bar(question, option, language, counts, result.respondents))
    result.note = _("Each person gives %(size)d points to the option ranked first, "
                    "one point less to the next, and so on.", size=len(question.options))


def _fill_free_text(result: QuestionResult, shown, language: str, counts) -> None:
    result.note = _("Written answers are not published one by one: the moderators "
                    "take them into account in the summary.")


_FILLERS = {
    QuestionKind.SINGLE_CHOICE: _fill_choice,
    QuestionKind.MULTIPLE_CHOICE: _fill_choice,
    QuestionKind.SCALE: _fill_scale,
    QuestionKind.RANKING: _fill_ranking,
}


def _results(questions, language: str, responses: int, respondents, counts) -> Results:
    results = []
    for question in questions:
        shown = question.translated(language)
        result = QuestionResult(
            question=question,
            text=shown.text if shown else "",
            language=shown.language if shown else language,
            respondents=respondents.get(question.id, 0),
        )
        fill = _FILLERS.get(QuestionKind(question.kind), _fill_free_text)
        fill(result, shown, language, counts)
        results.append(result)
    return Results(responses=responses, questions=results)
