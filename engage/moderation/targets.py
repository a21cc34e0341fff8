"""What the moderation queue covers: consultation contributions (and their replies) and the
priority-setting submissions and comments, registered in `engage.core.moderated`.

Each target gives the queue the same columns, so that one UNION ALL lists every area.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload, lazyload

from engage.consultations.models import Consultation, Contribution
from engage.core.moderated import ModeratedTarget, Place, register_target
from engage.priorities.models import Comment, Exercise, IndicativeQuestion, Submission


def _columns(name: str, model, container_kind: str, container_id):
    return (
        literal(name).label("target_type"),
        model.id.label("target_id"),
        literal(container_kind).label("container_kind"),
        container_id.label("container_id"),
        model.moderation_status.label("moderation_status"),
        model.open_report_count.label("open_report_count"),
        model.created_at.label("created_at"),
    )


# Consultation contributions and replies (one table, one target).


def _contribution_rows():
    return select(*_columns("contribution", Contribution, "consultation",
                            Contribution.consultation_id)).where(
        Contribution.deleted_at.is_(None)
    )


def _contribution_options():
    # The consultation's title is shown, not its themes: joined, nothing loaded after.
    return (
        joinedload(Contribution.author),
        joinedload(Contribution.consultation).options(
            joinedload(Consultation.translations), lazyload(Consultation.themes)),
        joinedload(Contribution.association),
    )


def _contribution_place(item: Contribution, language: str, external: bool = False) -> Place:
    consultation = item.consultation
    shown = consultation.translated(language)
    return Place(
        container_kind="consultation",
        container_id=consultation.id,
        container_title=shown.title if shown else "",
        container_url=url_for("consultations.detail", consultation_id=consultation.id,
                              lang_code=language, _external=external),
        url=url_for("consultations.contribution", consultation_id=consultation.id,
                    contribution_id=item.id, lang_code=language, _external=external),
        language=shown.language if shown else language,
    )


def _redact_revisions(item: Contribution, replace) -> None:
    """Earlier versions of the text lose the passages too: the audit log keeps the original."""
    for revision in item.revisions:
        revision.body = replace(revision.body)


# Priority-setting exercises.


def _submission_rows():
    return select(*_columns("priority_submission", Submission, "exercise",
                            Submission.exercise_id))


def _exercise_title():
    return (joinedload(Exercise.translations), lazyload(Exercise.groups))


def _submission_options():
    return (joinedload(Submission.author),
            joinedload(Submission.exercise).options(*_exercise_title()))


def _submission_place(item: Submission, language: str, external: bool = False) -> Place:
    exercise = item.exercise
    shown = exercise.translated(language)
    exercise_url = url_for("priorities.exercise", exercise_id=exercise.id, lang_code=language,
                           _external=external)
    return Place(
        container_kind="exercise",
        container_id=exercise.id,
        container_title=shown.title if shown else "",
        container_url=exercise_url,
        url=exercise_url,  # submissions are not shown one by one
        language=shown.language if shown else language,
    )


def _comment_rows():
    return (
        select(*_columns("priority_comment", Comment, "exercise",
                         IndicativeQuestion.exercise_id))
        .join(IndicativeQuestion, IndicativeQuestion.id == Comment.question_id)
    )


def _comment_options():
    question = joinedload(Comment.question)
    return (joinedload(Comment.author),
            question.lazyload(IndicativeQuestion.translations),
            question.lazyload(IndicativeQuestion.evidence),
            question.joinedload(IndicativeQuestion.exercise).options(*_exercise_title()))


def _comment_place(item: Comment, language: str, external: bool = False) -> Place:
    exercise = item.question.exercise
    shown = exercise.translated(language)
    return Place(
        container_kind="exercise",
        container_id=exercise.id,
        container_title=shown.title if shown else "",
        container_url=url_for("priorities.exercise", exercise_id=exercise.id,
                              lang_code=language, _external=external),
        url=url_for("priorities.question", exercise_id=exercise.id, lang_code=language,
                    question_id=item.question_id, _anchor=f"comment-{item.id}",
                    _external=external),
        language=shown.language if shown else language,
    )


def register_all() -> None:
    register_target(ModeratedTarget(
        name="contribution", model=Contribution, label=_l("Contribution"),
        text_attribute="body", container_kind="consultation", queue_rows=_contribution_rows,
        container_of=lambda item: item.consultation_id,
        load_options=_contribution_options, place=_contribution_place,
        redact_related=_redact_revisions,
    ))
    register_target(ModeratedTarget(
        name="priority_submission", model=Submission, label=_l("Submitted research question"),
        text_attribute="text", container_kind="exercise", queue_rows=_submission_rows,
        container_of=lambda item: item.exercise_id, load_options=_submission_options,
        place=_submission_place,
    ))
    register_target(ModeratedTarget(
        name="priority_comment", model=Comment, label=_l("Comment on a research question"),
        text_attribute="body", container_kind="exercise", queue_rows=_comment_rows,
        container_of=lambda item: item.question.exercise_id, load_options=_comment_options,
        place=_comment_place,
    ))

