"""Write operations of the priorities area. Each takes an explicit actor, checks the
permission and the stage, flushes and never commits; an invalid move raises DomainError
before anything is changed."""

from collections.abc import Mapping, Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.core.errors import DomainError
from engage.core.moderated import ReportReason, file_report
from engage.extensions import db
from engage.priorities import permissions
from engage.priorities.models import (
    DEFAULT_GROUPS,
    MAX_EVIDENCE,
    MAX_RANKED,
    Comment,
    EvidenceReference,
    Exercise,
    ExerciseTranslation,
    GroupTranslation,
    IndicativeQuestion,
    QuestionStatus,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    Stage,
    StageChange,
    StakeholderGroup,
    Submission,
    text_fingerprint,
)

EXERCISE_FIELDS = ("title", "description", "scope")


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise DomainError(message)


def _clean(texts: Mapping[str, Mapping[str, str | None]]) -> dict[str, dict[str, str]]:
    return {
        language: {name: (value or "").strip() for name, value in values.items()}
        for language, values in texts.items()
    }


def _sync_translations(owner, row_class, texts: dict[str, dict[str, str]], key: str) -> None:
    """One row per language whose `key` field is filled; an emptied language loses its row."""
    existing = {row.language: row for row in owner.translations}
    for language, values in texts.items():
        row = existing.get(language)
        if not values[key]:
            if row is not None:
                owner.translations.remove(row)
            continue
        if row is None:
            row = row_class(language=language)
            owner.translations.append(row)
        for name, value in values.items():
            setattr(row, name, value)


# Exercises, groups, stages


def create_exercise(
    actor,
    *,
    texts: Mapping[str, Mapping[str, str]],
    gathering_ends_on: date | None = None,
    ranking_ends_on: date | None = None,
    workshop_on: date | None = None,
    workshop_size: int = 25,
) -> Exercise:
    """A new exercise, in preparation, with the two default stakeholder groups."""
    _require(permissions.can_manage_exercise(actor), _l("Only moderators can do this."))
    texts = _clean(texts)
    _require(any(v["title"] for v in texts.values()),
             _l("Please give a title in at least one language."))
    exercise = Exercise(
        stage=Stage.DRAFT,
        gathering_ends_on=gathering_ends_on,
        ranking_ends_on=ranking_ends_on,
        workshop_on=workshop_on,
        workshop_size=workshop_size,
        created_by_id=actor.id,
    )
    _sync_translations(exercise, ExerciseTranslation, texts, "title")
    for position, (code, labels) in enumerate(DEFAULT_GROUPS.items(), start=1):
        group = StakeholderGroup(position=position, code=code)
        group.translations = [GroupTranslation(language=lang, label=label)
                              for lang, label in labels.items()]
        exercise.groups.append(group)
    db.session.add(exercise)
    db.session.flush()
    return exercise


def update_exercise(
    actor,
    exercise: Exercise,
    *,
    texts: Mapping[str, Mapping[str, str]],
    gathering_ends_on: date | None = None,
    ranking_ends_on: date | None = None,
    workshop_on: date | None = None,
    workshop_size: int | None = None,
) -> None:
    _require(permissions.can_manage_exercise(actor, exercise), _l("Only moderators can do this."))
    texts = _clean(texts)
    _require(any(v["title"] for v in texts.values()),
             _l("Please give a title in at least one language."))
    if workshop_size is not None and workshop_size != exercise.workshop_size:
        _require(permissions.can_change_workshop_size(actor, exercise),
                 _l("The number of questions for the workshop was fixed when the interim "
                    "ranking closed."))
        exercise.workshop_size = workshop_size
    _sync_translations(exercise, ExerciseTranslation, texts, "title")
    exercise.gathering_ends_on = gathering_ends_on
    exercise.ranking_ends_on = ranking_ends_on
    exercise.workshop_on = workshop_on
    db.session.flush()


def add_group(actor, exercise: Exercise, labels: Mapping[str, str]) -> StakeholderGroup:
    _require(permissions.can_add_group(actor, exercise),
             _l("Stakeholder groups can only be added before the interim ranking."))
    labels = {lang: (label or "").strip() for lang, label in labels.items()}
    _require(any(labels.values()), _l("Please give the group's name in at least one language."))
    known = {g.label(lang).casefold() for g in exercise.groups for lang in labels}
    _require(not any(label.casefold() in known for label in labels.values() if label),
             _l("This exercise already has a group with this name."))
    group = StakeholderGroup(
        position=max((g.position for g in exercise.groups), default=0) + 1,
        translations=[GroupTranslation(language=lang, label=label)
                      for lang, label in labels.items() if label],
    )
    exercise.groups.append(group)
    db.session.flush()
    return group


def move_stage(actor, exercise: Exercise, target: str) -> StageChange:
    """Move to the next stage, once what that stage needs is there."""
    _require(permissions.can_manage_exercise(actor, exercise), _l("Only moderators can do this."))
    # The model refuses backwards moves and skipped stages; here, what each stage needs.
    if target == Stage.INTERIM_RANKING and exercise.at(Stage.PROCESSING):
        kept = db.session.scalar(
            select(func.count(IndicativeQuestion.id)).where(
                IndicativeQuestion.exercise_id == exercise.id,
                IndicativeQuestion.status == QuestionStatus.KEPT,
            )
        )
        _require(kept > 0, _l("Keep at least one indicative question before opening the "
                              "ranking."))
    if target == Stage.FINAL_WORKSHOP and exercise.at(Stage.INTERIM_RANKING):
        _require(bool(ranking_count(exercise)), _l("Nobody has ranked the questions yet."))
    if target == Stage.PUBLISHED and exercise.at(Stage.FINAL_WORKSHOP):
        _require(workshop_order_recorded(exercise),
                 _l("Record the order agreed at the workshop before publishing."))
    change = exercise.move_to(target, actor)
    if change.to_stage == Stage.FINAL_WORKSHOP:
        _freeze_interim_results(exercise)
    db.session.flush()
    return change


def _freeze_interim_results(exercise: Exercise) -> None:
    """Store each question's interim place: the workshop shortlist never changes after."""
    from engage.priorities.results import interim_tally

    result = interim_tally(exercise)
    questions = db.session.scalars(
        select(IndicativeQuestion).where(IndicativeQuestion.exercise_id == exercise.id)
    ).all()
    for question in questions:
        score = result.score_of(question.id)
        question.interim_rank = score.rank if score else None
        question.interim_score = float(score.score) if score else None


# Gathering


def submit_question(actor, exercise: Exercise, *, group_id: int, text: str,
                    language: str) -> Submission:
    _require(permissions.can_write(actor),
             _l("Please confirm your email address before taking part."))
    _require(permissions.can_submit(actor, exercise),
             _l("Questions are not being gathered at the moment."))
    group = _group_of(exercise, group_id)
    text = (text or "").strip()
    _require(bool(text), _l("Please write your question."))
    fingerprint = text_fingerprint(text)
    duplicate = db.session.scalar(
        select(Submission.id).where(
            Submission.exercise_id == exercise.id,
            Submission.author_id == actor.id,
            Submission.text_hash == fingerprint,
        )
    )
    _require(duplicate is None, _l("You have already sent this question."))
    submission = Submission(
        exercise_id=exercise.id, group_id=group.id, author_id=actor.id, text=text,
        text_hash=fingerprint, language=language,
    )
    _add_once(submission, _l("You have already sent this question."))
    return submission


def _add_once(item, duplicate_message) -> None:
    """Insert `item`; a unique constraint hit (a double click racing) becomes a DomainError."""
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        raise DomainError(duplicate_message) from None


def _group_of(exercise: Exercise, group_id) -> StakeholderGroup:
    group = next((g for g in exercise.groups if g.id == group_id), None)
    _require(group is not None, _l("Please choose your group from the list."))
    return group


# Processing


def _check_question_input(texts, status, answered_reference, evidence) -> list[str]:
    _require(any(v["text"] for v in texts.values()),
             _l("Please write the question in at least one language."))
    for values in texts.values():
        _require(values["text"] or not any(values.values()),
                 _l("Please write the question itself in every language you fill in."))
        if status == QuestionStatus.KEPT:
            values["reason"] = ""  # a kept question has no reason to be set aside
    references = [ref.strip() for ref in evidence if ref and ref.strip()]
    _require(len(references) <= MAX_EVIDENCE,
             _l("A question can have at most %(count)s evidence references.",
                count=MAX_EVIDENCE))
    # The model checks the status rules; run them on a scratch object before any change.
    IndicativeQuestion().set_status(status, has_reason=_has_reason(texts),
                                    reference=answered_reference)
    return references


def _has_reason(texts) -> bool:
    return any(values.get("reason") for values in texts.values())


def create_question(
    actor,
    exercise: Exercise,
    *,
    texts: Mapping[str, Mapping[str, str]],
    status: str = QuestionStatus.KEPT,
    answered_reference: str = "",
    evidence: Sequence[str] = (),
    submission_ids: Sequence[int] = (),
) -> IndicativeQuestion:
    """`texts`: {language: {"text", "explanation", "reason", PICO fields}}."""
    _require(permissions.can_process(actor, exercise),
             _l("Indicative questions can only be written while the questions are processed."))
    texts = _clean(texts)
    references = _check_question_input(texts, status, answered_reference, evidence)
    submissions = _submissions_of(exercise, submission_ids)
    number = (db.session.scalar(
        select(func.max(IndicativeQuestion.number)).where(
            IndicativeQuestion.exercise_id == exercise.id)
    ) or 0) + 1
    question = IndicativeQuestion(exercise=exercise, number=number, created_by_id=actor.id)
    question.set_status(status, has_reason=_has_reason(texts), reference=answered_reference)
    _sync_translations(question, QuestionTranslation, texts, "text")
    question.evidence = [EvidenceReference(position=i, reference=ref)
                         for i, ref in enumerate(references, start=1)]
    question.submissions = submissions
    db.session.add(question)
    db.session.flush()
    return question


def update_question(
    actor,
    question: IndicativeQuestion,
    *,
    texts: Mapping[str, Mapping[str, str]],
    status: str,
    answered_reference: str = "",
    evidence: Sequence[str] = (),
) -> None:
    _require(permissions.can_process(actor, question.exercise),
             _l("Indicative questions can only be changed while the questions are processed."))
    texts = _clean(texts)
    references = _check_question_input(texts, status, answered_reference, evidence)
    question.set_status(status, has_reason=_has_reason(texts), reference=answered_reference)
    _sync_translations(question, QuestionTranslation, texts, "text")
    current = [e.reference for e in question.evidence]
    if current != references:
        question.evidence.clear()
        db.session.flush()  # the old positions go before the new ones arrive
        question.evidence = [EvidenceReference(position=i, reference=ref)
                             for i, ref in enumerate(references, start=1)]
    db.session.flush()


def _submissions_of(exercise: Exercise, submission_ids: Sequence[int]) -> list[Submission]:
    ids = set(submission_ids)
    if not ids:
        return []
    found = db.session.scalars(
        select(Submission).where(Submission.exercise_id == exercise.id, Submission.id.in_(ids))
    ).all()
    _require(len(found) == len(ids), _l("Some of these submissions do not exist."))
    return sorted(found, key=lambda s: s.id)


def link_submissions(actor, question: IndicativeQuestion, submission_ids: Sequence[int]) -> int:
    """Attach submissions to a question; returns how many were not attached yet."""
    _require(permissions.can_process(actor, question.exercise),
             _l("Submissions can only be grouped while the questions are processed."))
    _require(bool(submission_ids), _l("Please select at least one submission."))
    submissions = _submissions_of(question.exercise, submission_ids)
    already = {s.id for s in question.submissions}
    added = [s for s in submissions if s.id not in already]
    question.submissions.extend(added)
    db.session.flush()
    return len(added)


def unlink_submission(actor, question: IndicativeQuestion, submission: Submission) -> None:
    _require(permissions.can_process(actor, question.exercise),
             _l("Submissions can only be grouped while the questions are processed."))
    _require(submission in question.submissions,
             _l("This submission is not linked to this question."))
    question.submissions.remove(submission)
    db.session.flush()


# Discussion and moderation


def add_comment(actor, question: IndicativeQuestion, body: str) -> Comment:
    _require(permissions.can_write(actor),
             _l("Please confirm your email address before taking part."))
    _require(permissions.can_comment(actor, question.exercise),
             _l("The discussion is closed."))
    body = (body or "").strip()
    _require(bool(body), _l("Please write your comment."))
    fingerprint = text_fingerprint(body)
    duplicate = db.session.scalar(
        select(Comment.id).where(
            Comment.question_id == question.id,
            Comment.author_id == actor.id,
            Comment.body_hash == fingerprint,
        )
    )
    _require(duplicate is None, _l("You have already posted this comment."))
    comment = Comment(question_id=question.id, author_id=actor.id, body=body,
                      body_hash=fingerprint)
    _add_once(comment, _l("You have already posted this comment."))
    return comment


def moderate(actor, item, decision: str, reason: str = "", note: str = "") -> None:
    """Hide (with a reason) or restore a comment or a submission."""
    _require(permissions.can_moderate(actor, item), _l("Only moderators can do this."))
    if decision == "hide":
        _require(reason in {r.value for r in ReportReason},
                 _l("Please choose a reason from the list."))
        item.hide(actor, reason, (note or "").strip() or None)
    elif decision == "restore":
        item.restore(actor)
    else:
        raise DomainError(_l("Please choose what to do."))
    db.session.flush()


def report(actor, item, reason: str, details: str = ""):
    _require(permissions.can_report(actor, item), _l("You cannot report this."))
    return file_report(actor, item, reason, details or "")


# Interim ranking


def ranking_count(exercise: Exercise) -> int:
    return db.session.scalar(
        select(func.count(Ranking.id)).where(Ranking.exercise_id == exercise.id)
    )


def ranking_of(user, exercise: Exercise) -> Ranking | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Ranking).where(Ranking.exercise_id == exercise.id, Ranking.user_id == user.id)
    )


def _locked_ranking(user, exercise: Exercise) -> Ranking | None:
    """The ranking, locked until commit: two saves at once (two tabs, two app instances)
    replace it one after the other instead of colliding on its entries."""
    return db.session.scalar(
        select(Ranking).where(Ranking.exercise_id == exercise.id, Ranking.user_id == user.id)
        .with_for_update().execution_options(populate_existing=True)
    )


def save_ranking(actor, exercise: Exercise, *, group_id, question_ids: Sequence) -> Ranking | None:
    """Replace `actor`'s ranking with `question_ids` (1st first); an empty list withdraws it.

    Everything is checked before anything changes: a refused ranking leaves the previous one.
    """
    _require(permissions.can_write(actor),
             _l("Please confirm your email address before taking part."))
    if not exercise.at(Stage.INTERIM_RANKING):
        if exercise.reached(Stage.FINAL_WORKSHOP):
            raise DomainError(_l("The ranking is closed: your ranking was not changed."))
        raise DomainError(_l("The ranking has not started yet."))
    question_ids = list(question_ids)
    _require(len(question_ids) <= MAX_RANKED,
             _l("You can rank up to %(count)s questions. Remove one before adding another.",
                count=MAX_RANKED))
    _require(len(set(question_ids)) == len(question_ids),
             _l("Each question can appear only once in your ranking."))
    ranking = _locked_ranking(actor, exercise)
    if not question_ids:
        if ranking is not None:
            db.session.delete(ranking)
            db.session.flush()
        return None
    group = _group_of(exercise, group_id)
    questions = {
        q.id: q for q in db.session.scalars(
            select(IndicativeQuestion).where(
                IndicativeQuestion.exercise_id == exercise.id,
                IndicativeQuestion.id.in_([q for q in question_ids if isinstance(q, int)]),
            )
        )
    }
    for question_id in question_ids:
        question = questions.get(question_id)
        _require(question is not None, _l("One of these questions does not exist."))
        _require(question.is_kept,
                 _l("Question %(number)s was set aside by the moderators: it cannot be ranked.",
                    number=question.number))
    if ranking is None:
        ranking = Ranking(exercise_id=exercise.id, user_id=actor.id, group_id=group.id)
        try:
            with db.session.begin_nested():
                db.session.add(ranking)
        except IntegrityError:  # created at the same moment by another request: replace it
            ranking = _locked_ranking(actor, exercise)
            _require(ranking is not None,
                     _l("Your ranking was being saved twice. Please check it."))
    ranking.group_id = group.id
    ranking.entries.clear()
    db.session.flush()  # the old positions go before the new ones arrive
    ranking.entries = [RankingEntry(question_id=qid, position=position)
                       for position, qid in enumerate(question_ids, start=1)]
    db.session.flush()
    return ranking


# Final workshop


def shortlist(exercise: Exercise) -> list[IndicativeQuestion]:
    """The questions that go to the workshop, in their interim order."""
    return list(db.session.scalars(
        select(IndicativeQuestion)
        .where(IndicativeQuestion.exercise_id == exercise.id,
               IndicativeQuestion.interim_rank.is_not(None),
               IndicativeQuestion.interim_rank <= exercise.workshop_size)
        .order_by(IndicativeQuestion.interim_rank)
    ))


def workshop_order_recorded(exercise: Exercise) -> bool:
    questions = shortlist(exercise)
    return bool(questions) and all(q.final_rank is not None for q in questions)


def record_workshop_order(actor, exercise: Exercise, places: Mapping[int, int]) -> None:
    """Store the order agreed at the workshop: every shortlisted question, places 1..N."""
    _require(permissions.can_record_workshop(actor, exercise),
             _l("The workshop order can only be recorded at the final workshop stage."))
    questions = shortlist(exercise)
    by_id = {q.id: q for q in questions}
    _require(set(places) <= set(by_id),
             _l("Only the questions shortlisted for the workshop can be placed."))
    _require(set(places) == set(by_id), _l("Please give a place to every question."))
    size = len(questions)
    for place in places.values():
        _require(isinstance(place, int) and 1 <= place <= size,
                 _l("Places go from 1 to %(count)s.", count=size))
    seen: set[int] = set()
    for place in sorted(places.values()):
        _require(place not in seen,
                 _l("Place %(place)s was given to more than one question.", place=place))
        seen.add(place)
    for question in questions:
        question.final_rank = None
    db.session.flush()  # free every place before giving them again
    for question_id, place in places.items():
        by_id[question_id].final_rank = place
    db.session.flush()
