"""Downloads of an outcome report: the visible contributions as CSV and JSON, the report
as PDF, the questionnaire results in the JSON and as CSV.

Only published, undeleted contributions are exported. Authors are never named: each gets
a pseudonym, "Participant 12", numbered in the order of their first contribution to this
consultation, so that the same person keeps the same number throughout one report (and
the report gives the same numbers every time it is downloaded). Association positions
keep the association's name, which is public.

The questionnaire figures are the publishable ones of `consultations.results` (no figure
about fewer than 5 people), as on the report page.

The PDF is tagged PDF/UA-1: headings, lists, tables and languages reach screen readers, and
it carries the report's title and language.
"""

import csv
import io
import json

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from engage.consultations.models import Consultation, Contribution, Theme
from engage.consultations.results import Results, questionnaire_results
from engage.core.markdown import plain_text
from engage.core.pdf import write_pdf
from engage.core.small_cells import SMALL_CELL
from engage.extensions import db
from engage.summaries.outcome import theme_ids_by_contribution

# Cells starting with these are formulas for spreadsheets: they are prefixed with "'".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def visible_contributions(consultation: Consultation) -> list[Contribution]:
    return list(db.session.scalars(
        select(Contribution)
        .where(Contribution.consultation_id == consultation.id, Contribution.visible_clause())
        .options(joinedload(Contribution.association))
        .order_by(Contribution.created_at, Contribution.id)
    ))


def pseudonyms(contributions: list[Contribution]) -> dict[int | str, int]:
    """Author id (or "former-<contribution id>" for an erased author) -> number, in order of
    first contribution (contributions come sorted)."""
    numbers: dict[int | str, int] = {}
    for contribution in contributions:
        key = contribution.author_id if contribution.author_id is not None \
            else f"former-{contribution.id}"
        if key not in numbers:
            numbers[key] = len(numbers) + 1
    return numbers


def rows(consultation: Consultation, language: str) -> list[dict]:
    contributions = visible_contributions(consultation)
    numbers = pseudonyms(contributions)
    tags = theme_ids_by_contribution([c.id for c in contributions])
    for contribution in contributions:
        if contribution.theme_id:
            tags[contribution.id].add(contribution.theme_id)
    used = sorted({t for ids in tags.values() for t in ids})
    labels = {t.id: t.label(language) for t in db.session.scalars(
        select(Theme).where(Theme.id.in_(used)))} if used else {}
    result = []
    for contribution in contributions:
        key = contribution.author_id if contribution.author_id is not None \
            else f"former-{contribution.id}"
        result.append({
            "id": contribution.id,
            "reply_to": contribution.parent_id,
            "date": contribution.created_at.date().isoformat(),
            "author": _("Participant %(number)d", number=numbers[key]),
            "association": contribution.association.name
            if contribution.is_position and contribution.association else "",
            "themes": [labels[t] for t in sorted(tags[contribution.id]) if t in labels],
            "supports": contribution.support_count,
            "language": contribution.language or "",
            "text": plain_text(contribution.body),
        })
    return result


def _cell(value) -> str:
    text = "; ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


COLUMNS = ("id", "reply_to", "date", "author", "association", "themes", "supports", "language",
           "text")


def as_csv(consultation: Consultation, language: str) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(COLUMNS)
    for row in rows(consultation, language):
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return "\ufeff" + output.getvalue()  # the BOM tells spreadsheets it is UTF-8


def questionnaire(results: Results) -> dict:
    """The publishable questionnaire figures as plain data. A withheld question (fewer than
    5 answers) has no count and no answers; "other" counts the grouped answers together."""
    questions = []
    for result in results.questions:
        answers = [{"key": bar.key, "label": bar.label, "value": bar.value,
                    "detail": bar.detail} for bar in result.bars]
        questions.append({
            "id": result.question.id,
            "kind": result.question.kind,
            "text": result.text,
            "language": result.language,
            "respondents": result.respondents,
            "withheld": result.withheld,
            "value": result.value_heading,
            "answers": answers,
            "grouped_option_ids": result.grouped,
            "mean": result.mean,
            "notes": [note for note in (result.privacy_note, result.note) if note],
        })
    return {"responses": results.responses, "small_cell_threshold": SMALL_CELL,
            "questions": questions}


def as_json(consultation: Consultation, language: str, summary_url: str) -> str:
    data = {
        "consultation": {"id": consultation.id, "title": consultation.title(language),
                         "status": consultation.status},
        "report": summary_url,
        "language": language,
        "note": _("Published contributions only; authors are pseudonymized."),
        "contributions": rows(consultation, language),
        "questionnaire": questionnaire(questionnaire_results(consultation, language))
        if consultation.questions else None,
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


QUESTIONNAIRE_COLUMNS = ("question", "respondents", "answer", "value", "detail", "note")


def questionnaire_csv(consultation: Consultation, language: str) -> str:
    """One row per published answer figure; a withheld question has one row that says so."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(QUESTIONNAIRE_COLUMNS)
    for result in questionnaire_results(consultation, language).questions:
        answered = _("fewer than 5") if result.withheld else result.respondents
        notes = " ".join(note for note in (result.privacy_note, result.note) if note)
        if not result.bars:
            writer.writerow([_cell(v) for v in (result.text, answered, "", "", "", notes)])
        for bar in result.bars:
            writer.writerow([_cell(v) for v in (result.text, answered, bar.label,
                                                f"{bar.value:g}", bar.detail, notes)])
    return "\ufeff" + output.getvalue()


def as_pdf(context: dict) -> bytes:
    """The outcome report as a tagged PDF (`engage.core.pdf`)."""
    html = render_template("summaries/report_pdf.html", **context)
    return write_pdf(html, base_url=context.get("base_url"))
