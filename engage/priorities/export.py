"""CSV exports of an exercise: indicative questions with their scores per group,
anonymized submissions, anonymized rankings.

Anonymized: no name, no account id, no time of day; a hidden submission's text is left out.
Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.core.i18n import languages
from engage.extensions import db
from engage.priorities.models import (
    Exercise,
    IndicativeQuestion,
    Ranking,
    Submission,
)
from engage.priorities.results import (
    group_columns,
    interim_figures_published,
    interim_tally,
)

TEXT_FIELDS = ("text", "explanation", "reason", "population", "intervention", "comparison",
               "outcome")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + out.getvalue()  # the BOM lets spreadsheets read UTF-8 accents


def _group_names(exercise: Exercise, language: str) -> dict[int, str]:
    """Each group's name in the files: a group counted with others (fewer than 5 people at a
    stage) is named as the groups counted together."""
    return {group.id: column.label(language)
            for column in group_columns(exercise) for group in column.groups}


def questions_csv(exercise: Exercise, language: str) -> str:
    result = interim_tally(exercise)
    published = interim_figures_published(exercise)
    columns = [column for column in group_columns(exercise) if column.key in result.groups]
    groups = {column.key: column.label(language) for column in columns}
    questions = db.session.scalars(
        select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id)
        .options(selectinload(IndicativeQuestion.submissions))
        .order_by(IndicativeQuestion.number)
    ).all()
    header = ["number", "status", "answered_reference"]
    header += [f"{field}_{lang}" for lang in languages() for field in TEXT_FIELDS]
    header += ["evidence", "submission_ids", "interim_rank", "interim_score"]
    for name in groups.values():
        header += [f"points: {name}", f"share: {name}"]
    header += ["final_rank"]

    def row(question):
        by_language = {t.language: t for t in question.translations}
        values = [question.number, question.status, question.answered_reference]
        for lang in languages():
            t = by_language.get(lang)
            values += [getattr(t, f) if t else "" for f in TEXT_FIELDS]
        values.append(" | ".join(e.reference for e in question.evidence))
        values.append(" ".join(str(s.id) for s in question.submissions))
        score = result.score_of(question.id) if published else None
        values += [score.rank if score else "", f"{float(score.score):.6f}" if score else ""]
        for key in groups:
            if not published:  # under 5 rankings in all: no figure (results module)
                values += ["", ""]
            else:
                values += [score.points.get(key, 0) if score else 0,
                           f"{float(score.shares.get(key, 0)):.6f}" if score else "0.000000"]
        values.append(question.final_rank or "")
        return values

    return _csv(header, (row(q) for q in questions))


def submissions_csv(exercise: Exercise, language: str) -> str:
    groups = _group_names(exercise, language)
    submissions = db.session.scalars(
        select(Submission).where(Submission.exercise_id == exercise.id)
        .options(selectinload(Submission.questions))
        .order_by(Submission.id)
    ).all()
    header = ["id", "date", "group", "language", "text", "hidden", "question_numbers"]
    return _csv(header, (
        [s.id, s.created_at.date().isoformat(), groups.get(s.group_id, ""), s.language,
         s.text if s.is_visible else "", "" if s.is_visible else "yes",
         " ".join(str(q.number) for q in s.questions)]
        for s in submissions
    ))


def rankings_csv(exercise: Exercise, language: str) -> str:
    """One row per ranking (numbered in the order they were first saved), no account."""
    groups = _group_names(exercise, language)
    rankings = db.session.scalars(
        select(Ranking).where(Ranking.exercise_id == exercise.id).order_by(Ranking.id)
    ).all()
    numbers = dict(db.session.execute(
        select(IndicativeQuestion.id, IndicativeQuestion.number)
        .where(IndicativeQuestion.exercise_id == exercise.id)
    ).all())
    header = ["ranking", "group"] + [f"place_{i}" for i in range(1, 11)]
    return _csv(header, (
        [index, groups.get(r.group_id, ""),
         *[numbers.get(qid, "") for qid in r.question_ids],
         *[""] * (10 - len(r.entries))]
        for index, r in enumerate(rankings, start=1)
    ))


BUILDERS = {"questions": questions_csv, "submissions": submissions_csv,
            "rankings": rankings_csv}
