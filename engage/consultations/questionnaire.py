"""Reading a questionnaire form: raw form values → clean answers and per-question errors.

Used by the view (to show errors next to each question, the text kept) and by the
service (which never trusts its caller). Raw form field names:

- free text, single choice, scale: `q<id>` (one value)
- multiple choice: `q<id>` (several values)
- ranking: `q<id>-<option id>` (the rank given to each option, 1 = first)
"""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from engage.consultations.models import ConsultationQuestion, QuestionKind
from engage.consultations.models.questionnaire import FREE_TEXT_MAX_LENGTH, SCALE_VALUES

# What a parser returns: (clean value or None when unanswered, lazy error message or None).
# The value depends on the kind: str (free text), int (single choice, scale), list[int]
# (multiple choice), dict[int, int] (ranking: option id → rank).
Parsed = tuple[Any, Any]


def field_name(question: ConsultationQuestion, option=None) -> str:
    return f"q{question.id}" if option is None else f"q{question.id}-{option.id}"


@dataclass
class ParsedAnswers:
    values: dict[int, Any] = field(default_factory=dict)  # question id → clean value
    errors: dict[int, Any] = field(default_factory=dict)  # question id → lazy message

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _parse_free_text(question: ConsultationQuestion, form) -> Parsed:
    text = (form.get(field_name(question)) or "").replace("\r\n", "\n").strip()
    if len(text) > FREE_TEXT_MAX_LENGTH:
        return None, _l("Your answer is too long: at most %(max)d characters (now %(count)d).",
                        max=FREE_TEXT_MAX_LENGTH, count=len(text))
    return text or None, None


def _option_ids(question: ConsultationQuestion) -> set[int]:
    return {option.id for option in question.options}


def _parse_single_choice(question: ConsultationQuestion, form) -> Parsed:
    raw = form.get(field_name(question))
    if raw in (None, ""):
        return None, None
    option_id = _int(raw)
    if option_id not in _option_ids(question):
        return None, _l("Please choose one of the options.")
    return option_id, None


def _parse_multiple_choice(question: ConsultationQuestion, form) -> Parsed:
    option_ids = _option_ids(question)
    chosen = []
    for raw in form.getlist(field_name(question)):
        if raw == "":
            continue
        option_id = _int(raw)
        if option_id not in option_ids:
            return None, _l("Please choose among the options.")
        # A value sent twice counts once; the first occurrence keeps its place.
        if option_id not in chosen:
            chosen.append(option_id)
    return chosen or None, None


def _parse_scale(question: ConsultationQuestion, form) -> Parsed:
    raw = form.get(field_name(question))
    if raw in (None, ""):
        return None, None
    value = _int(raw)
    if value not in SCALE_VALUES:
        return None, _l("Please choose a value from 1 to 5.")
    return value, None


def _ranks_given(question: ConsultationQuestion, form) -> tuple[dict[int, int], Any]:
    """(option id → rank for the options given a rank, error message or None)."""
    count = len(question.options)
    ranks = {}
    for option in question.options:
        raw = form.get(field_name(question, option))
        if raw in (None, ""):
            continue
        rank = _int(raw)
        if rank is None or not 1 <= rank <= count:
            return {}, _l("Please use the ranks from 1 to %(count)d.", count=count)
        ranks[option.id] = rank
    return ranks, None


def _parse_ranking(question: ConsultationQuestion, form) -> Parsed:
    # Every option gets a different rank, or none does.
    ranks, error = _ranks_given(question, form)
    if error is not None or not ranks:
        return None, error
    count = len(question.options)
    if len(ranks) != count or len(set(ranks.values())) != count:
        return None, _l("Give each option a different rank, from 1 to %(count)d.", count=count)
    return ranks, None


_PARSERS = {
    QuestionKind.FREE_TEXT: _parse_free_text,
    QuestionKind.SINGLE_CHOICE: _parse_single_choice,
    QuestionKind.MULTIPLE_CHOICE: _parse_multiple_choice,
    QuestionKind.SCALE: _parse_scale,
    QuestionKind.RANKING: _parse_ranking,
}


def _parse_one(question: ConsultationQuestion, form) -> Parsed:
    """(clean value or None when unanswered, error message or None)."""
    return _PARSERS[QuestionKind(question.kind)](question, form)


def parse_answers(questions: list[ConsultationQuestion], form, *,
                  submitting: bool) -> ParsedAnswers:
    """Check every answer; when `submitting`, required questions must be answered."""
    parsed = ParsedAnswers()
    for question in questions:
        value, error = _parse_one(question, form)
        if error is None and value is None and question.required and submitting:
            error = _l("Please answer this question.")
        if error is not None:
            parsed.errors[question.id] = error
        elif value is not None:
            parsed.values[question.id] = value
    return parsed


def answers_as_form(questions: list[ConsultationQuestion], answers) -> dict[str, object]:
    """Stored answers as raw form values, to fill the form again."""
    by_question: dict[int, list] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    values: dict[str, object] = {}
    for question in questions:
        rows = by_question.get(question.id, [])
        if not rows:
            continue
        kind = QuestionKind(question.kind)
        name = field_name(question)
        if kind == QuestionKind.FREE_TEXT:
            values[name] = rows[0].text or ""
        elif kind == QuestionKind.SINGLE_CHOICE:
            values[name] = str(rows[0].option_id)
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            values[name] = [str(row.option_id) for row in rows]
        elif kind == QuestionKind.SCALE:
            values[name] = str(rows[0].number)
        else:
            for row in rows:
                values[f"{name}-{row.option_id}"] = str(row.number)
    return values


class FormValues:
    """Raw values for the template: from the submitted form, or from stored answers."""

    def __init__(self, form=None, stored: dict | None = None):
        self.form = form
        self.stored = stored or {}

    def get(self, name: str) -> str:
        if self.form is not None:
            return self.form.get(name, "")
        value = self.stored.get(name, "")
        return value[0] if isinstance(value, list) and value else value

    def getlist(self, name: str) -> list[str]:
        if self.form is not None:
            return self.form.getlist(name)
        value = self.stored.get(name, [])
        return value if isinstance(value, list) else [value]
