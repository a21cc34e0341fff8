"""Rows to plain dicts, in the shapes `openapi.py` describes.

Texts written in several languages come as `translations`: an object keyed by language
code. With `language` None every translation is given; with a code, only the one to show
(that language, else the fallback, as on the site).

Nothing personal leaves here: authors are shown by `User.public_name` (their pseudonym
when they write under one), never by email or account id.
"""

from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _

from engage.accountability import open_data
from engage.consultations.models import QuestionKind
from engage.consultations.results import OTHER as OTHER_ANSWERS
from engage.core.content import pick_translation
from engage.priorities.results import PEOPLE_OF_ROW, breakdown_published
from engage.summaries.outcome import NOT_STATED, OTHER, SMALL_CELL


def when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def api_url(endpoint: str, **values) -> str:
    return url_for(f"api.{endpoint}", _external=True, **values)


def translations(rows, fields: tuple[str, ...], language: str | None) -> dict:
    if language is None:
        chosen = sorted(rows, key=lambda row: row.language)
    else:
        shown = pick_translation(rows, language)
        chosen = [shown.row] if shown else []
    return {row.language: {name: getattr(row, name) or "" for name in fields}
            for row in chosen}


def labels(rows, language: str | None) -> dict:
    return {code: texts["label"]
            for code, texts in translations(rows, ("label",), language).items()}


def theme(item, language: str | None) -> dict:
    return {"id": item.id, "labels": labels(item.translations, language)}


# Consultations


def consultation(item, language: str | None, html_language: str, figures,
                 summary_id: int | None) -> dict:
    return {
        "id": item.id,
        "status": item.status,
        "audience": item.audience,
        "opens_on": when(item.opens_on),
        "closes_on": when(item.closes_on),
        "opened_at": when(item.opened_at),
        "closed_at": when(item.closed_at),
        "summarized_at": when(item.summarized_at),
        "archived_at": when(item.archived_at),
        "translations": translations(item.translations, ("title", "summary", "body"), language),
        "themes": [theme(t, language) for t in item.themes],
        "documents": [
            {
                "id": document.id,
                "title": document.title,
                "language": document.language,
                "size": document.size,
                "url": url_for("consultations.document", lang_code=html_language,
                               consultation_id=item.id, document_id=document.id,
                               _external=True),
            }
            for document in item.documents
        ],
        "figures": {"contributions": figures.contributions, "responses": figures.responses},
        "results_available": item.shows_results,
        "summary_id": summary_id,
        "links": {
            "self": api_url("consultation", consultation_id=item.id),
            "html": url_for("consultations.detail", lang_code=html_language,
                            consultation_id=item.id, _external=True),
            "contributions": api_url("contributions", consultation=item.id),
            "participation": api_url("consultation_participation", consultation_id=item.id),
            "results": api_url("consultation_results", consultation_id=item.id)
            if item.shows_results else None,
            "summary": api_url("summary", summary_id=summary_id) if summary_id else None,
        },
    }


def contribution(item, themes: list, language: str | None, html_language: str) -> dict:
    author = item.author
    return {
        "id": item.id,
        "consultation_id": item.consultation_id,
        "reply_to": item.parent_id,
        "author": {"name": author.public_name if author is not None
                   else _("Former participant")},
        "association": {"id": item.association.id, "name": item.association.name}
        if item.is_position and item.association is not None else None,
        "language": item.language,
        "body": item.body,
        "themes": [theme(t, language) for t in themes],
        "support_count": item.support_count,
        "created_at": when(item.created_at),
        "edited_at": when(item.edited_at),
        "links": {
            "self": api_url("contribution", contribution_id=item.id),
            "html": url_for("consultations.contribution", lang_code=html_language,
                            consultation_id=item.consultation_id, contribution_id=item.id,
                            _external=True),
            "consultation": api_url("consultation", consultation_id=item.consultation_id),
        },
    }


def questionnaire(consultation_, results, language: str | None) -> dict:
    """The publishable counts of the closed questions (`consultations.results`): none for a
    question answered by fewer than 5 people (`withheld`), the answers of 1 to 4 people
    together under `other`; written answers never."""
    questions = []
    for result in results.questions:
        question = result.question
        kind = QuestionKind(question.kind)
        if kind == QuestionKind.FREE_TEXT:
            continue
        options, scale, other = [], [], None
        ranking = kind == QuestionKind.RANKING
        by_id = {option.id: option for option in question.options}
        for bar in result.bars:
            if kind == QuestionKind.SCALE:
                scale.append({"value": bar.key, "count": int(bar.value)})
            elif bar.key == OTHER_ANSWERS:
                other = {"count": int(bar.value), "option_ids": list(result.grouped)}
            else:
                options.append({"id": bar.key, "labels": labels(by_id[bar.key].translations,
                                                                language),
                                "count": None if ranking else int(bar.value),
                                "points": int(bar.value) if ranking else None})
        questions.append({
            "id": question.id,
            "position": question.position,
            "kind": question.kind,
            "required": question.required,
            "translations": translations(
                question.translations, ("text", "hint", "scale_min_label", "scale_max_label"),
                language),
            "respondents": result.respondents,
            "withheld": result.withheld,
            "options": options,
            "other": other,
            "scale": scale,
            "mean": result.mean,
        })
    return {
        "consultation_id": consultation_.id,
        "responses": results.responses,
        "questions": questions,
        "links": {
            "self": api_url("consultation_results", consultation_id=consultation_.id),
            "consultation": api_url("consultation", consultation_id=consultation_.id),
        },
    }


def _cells(cells: list[tuple[str, int]], names: dict) -> list[dict]:
    names = {**names, NOT_STATED: _("Not stated"), OTHER: _("Other (groups under 5 people)")}
    return [{"key": key, "label": str(names.get(key, key)), "count": count}
            for key, count in cells]


def participation(figures, consultation_id: int | None) -> dict:
    from engage.accounts.models import Departement, ParticipantType

    return {
        "consultation_id": consultation_id,
        "contributions": figures.contributions,
        "replies": figures.replies,
        "positions": figures.positions,
        "responses": figures.responses,
        "participants": figures.participants,
        "small_cell_threshold": SMALL_CELL,
        "by_role": _cells(figures.by_role, ParticipantType.labels()),
        "by_departement": _cells(figures.by_departement, Departement.labels()),
        "links": {
            "self": api_url("consultation_participation", consultation_id=consultation_id)
            if consultation_id else api_url("participation"),
        },
    }


# Summaries


def summary(item, cited: list[int], language: str | None, html_language: str) -> dict:
    texts = translations(item.translations, ("body", "response"), language)
    if not item.has_response:
        for text in texts.values():
            text["response"] = ""
    return {
        "id": item.id,
        "consultation_id": item.consultation_id,
        "published_at": when(item.published_at),
        "response_on": when(item.response_on),
        "translations": texts,
        "cited_contributions": cited,
        "links": {
            "self": api_url("summary", summary_id=item.id),
            "html": url_for("summaries.report", lang_code=html_language, summary_id=item.id,
                            _external=True),
            "consultation": api_url("consultation", consultation_id=item.consultation_id),
            "contributions": api_url("contributions", consultation=item.consultation_id),
        },
    }


# Research priorities


def exercise(item, language: str | None, html_language: str) -> dict:
    return {
        "id": item.id,
        "stage": item.stage,
        "published_at": when(item.published_at),
        "workshop_on": when(item.workshop_on),
        "workshop_size": item.workshop_size,
        "translations": translations(item.translations, ("title", "description", "scope"),
                                     language),
        "groups": [{"id": group.id, "code": group.code,
                    "labels": labels(group.translations, language)} for group in item.groups],
        "links": {
            "self": api_url("exercise", exercise_id=item.id),
            "html": url_for("priorities.results", lang_code=html_language,
                            exercise_id=item.id, _external=True),
            "questions": api_url("exercise_questions", exercise_id=item.id),
        },
    }


def exercise_figures(engagement, columns) -> dict:
    return {
        "submissions": engagement.total("submissions"),
        "submitters": engagement.total("submitters"),
        "rankers": engagement.total("rankers"),
        "comments": engagement.comments,
        "shortlisted": engagement.shortlisted,
        "questions": {status: int(engagement.questions.get(status, 0))
                      for status in ("kept", "out_of_scope", "already_answered")},
        # Groups with fewer than 5 people at a stage are counted together (one entry).
        # A stage that fewer than 5 people took part in has no figure per group (null).
        "by_group": [
            {"group_id": None if column.counted_together else column.key,
             "group_ids": column.group_ids,
             **{name: column.total(getattr(engagement, name))
                if breakdown_published(engagement.total(PEOPLE_OF_ROW[name])) else None
                for name in ("submissions", "submitters", "rankers")}}
            for column in columns
        ],
    }


PRIORITY_TEXTS = ("text", "explanation", "reason", "population", "intervention", "comparison",
                  "outcome")


def priority_question(item, score, columns, workshop_size: int, language: str | None) -> dict:
    """`score` is None when the interim figures are not published (under 5 rankings)."""
    return {
        "id": item.id,
        "number": item.number,
        "status": item.status,
        "translations": translations(item.translations, PRIORITY_TEXTS, language),
        "answered_reference": item.answered_reference or "",
        "evidence": [reference.reference for reference in item.evidence],
        "interim_rank": item.interim_rank,
        "interim_score": item.interim_score,
        "shortlisted": item.interim_rank is not None and item.interim_rank <= workshop_size,
        "final_rank": item.final_rank,
        "points_by_group": [
            {"group_id": None if column.counted_together else column.key,
             "group_ids": column.group_ids, "points": score.points[column.key],
             "share": round(float(score.shares.get(column.key, 0)), 6)}
            for column in columns if column.key in score.points
        ] if score is not None else [],
    }


# The network's record (engage.accountability.open_data)


def _by_language(texts: dict[str, str], language: str | None) -> dict[str, str]:
    """Texts kept per language in columns (a commitment's reason): every non-blank one, or
    with `language` only the one to show (that language, else the first of French, English)."""
    given = {code: text for code, text in texts.items() if text}
    if language is None or not given:
        return dict(sorted(given.items()))
    for code in (language, "fr", "en", *sorted(given)):
        if code in given:
            return {code: given[code]}
    return {}  # pragma: no cover - `given` is not empty


def _documents(update, html_language: str) -> list[dict]:
    return [{"id": document.id, "title": document.title, "size": document.size,
             "url": url_for("accountability.document", lang_code=html_language,
                            document_id=document.id, _external=True)}
            for document in update.documents]


def commitment_update(update, language: str | None, html_language: str) -> dict:
    return {
        "id": update.id,
        "kind": update.kind,
        "happened_on": when(update.happened_on),
        "status": update.status,
        "due_on": when(update.due_on),
        "translations": translations(update.translations, ("text",), language),
        "links": [{"url": link["url"], "label": link["label"]} for link in update.links or []],
        "documents": _documents(update, html_language),
    }


def commitment(item, cited: list[int], calls: list[int], language: str | None,
               html_language: str, with_updates: bool = False) -> dict:
    """A published commitment: what it answers (the summary or the priority results, the
    public contributions it cites, the research priorities), the calls that take it up."""
    response = item.response
    body = {
        "id": item.id,
        "status": item.status,
        "owner": item.owner,
        "starts_on": when(item.starts_on),
        "due_on": when(item.due_on),
        "done_on": when(item.done_on),
        "published_at": when(response.published_at),
        "translations": translations(item.translations, ("title", "text"), language),
        "reason": _by_language(open_data.reasons(item), language),
        "answers": {
            "summary_id": response.summary_id,
            "exercise_id": response.exercise_id,
            "contribution_ids": cited,
            "question_ids": [question.id for question in item.questions],
        },
        "call_ids": calls,
        "links": {
            "self": api_url("commitment", commitment_id=item.id),
            "html": url_for("accountability.commitment", lang_code=html_language,
                            commitment_id=item.id, _external=True),
            "summary": api_url("summary", summary_id=response.summary_id)
            if response.summary_id else None,
            "priorities": api_url("exercise", exercise_id=response.exercise_id)
            if response.exercise_id else None,
        },
    }
    if with_updates:
        body["updates"] = [commitment_update(update, language, html_language)
                           for update in item.updates]
    return body


def project_update(update, language: str | None, html_language: str) -> dict:
    return {
        "id": update.id,
        "kind": update.kind,
        "happened_on": when(update.happened_on),
        "translations": translations(update.translations, ("text",), language),
        "links": [{"url": link["url"], "label": link["label"]} for link in update.links or []],
        "documents": _documents(update, html_language),
    }


def project(item, lay_review: dict, call_answers: dict, language: str | None,
            html_language: str, with_updates: bool = False) -> dict:
    """A published funded project: its public texts, its call and what the call answers,
    and the aggregate fact about lay review only."""
    body = {
        "id": item.id,
        "call_id": item.call_id,
        "institution": item.institution,
        "published_at": when(item.published_at),
        "translations": translations(item.translations, ("title", "lay_summary"), language),
        "lay_review": {"took_part": lay_review["took_part"],
                       "reviewers": lay_review["reviewers"],
                       "fewer_than": lay_review["fewer_than"],
                       "rounds": lay_review["rounds"]},
        "call_answers": {"commitment_ids": call_answers.get("commitment_ids", []),
                         "question_ids": call_answers.get("question_ids", [])},
        "links": {
            "self": api_url("project", project_id=item.id),
            "html": url_for("accountability.project", lang_code=html_language,
                            project_id=item.id, _external=True),
        },
    }
    if with_updates:
        body["updates"] = [project_update(update, language, html_language)
                           for update in item.updates]
    return body


def accountability_figures(figures) -> dict:
    return {**figures.as_dict(), "links": {"self": api_url("accountability_figures"),
                                           "commitments": api_url("commitments"),
                                           "projects": api_url("projects")}}
