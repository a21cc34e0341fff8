"""State rules on the models: stages only move forward, one at a time, dates kept."""

import pytest

from engage.core.errors import DomainError
from engage.priorities.models import (
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Stage,
    text_fingerprint,
)

ORDER = list(Stage)


@pytest.mark.parametrize("index", range(len(ORDER) - 1))
def test_each_stage_moves_to_the_next(index):
    exercise = Exercise(stage=ORDER[index])
    change = exercise.move_to(ORDER[index + 1], by=None)
    assert exercise.stage == ORDER[index + 1]
    assert (change.from_stage, change.to_stage) == (ORDER[index], ORDER[index + 1])
    assert exercise.stage_changed_at == change.changed_at
    assert exercise.stage_started_at(ORDER[index + 1]) == change.changed_at


@pytest.mark.parametrize(("current", "target", "message"), [
    (Stage.PROCESSING, Stage.GATHERING, "cannot go back"),
    (Stage.PUBLISHED, Stage.DRAFT, "cannot go back"),
    (Stage.GATHERING, Stage.INTERIM_RANKING, "cannot be skipped"),
    (Stage.DRAFT, Stage.PUBLISHED, "cannot be skipped"),
    (Stage.PROCESSING, Stage.PROCESSING, "already at this stage"),
    (Stage.GATHERING, "voting", "does not exist"),
])
def test_backwards_skipped_or_unknown_moves_are_refused(app, current, target, message):
    exercise = Exercise(stage=current)
    with app.test_request_context("/en/"), pytest.raises(DomainError, match=message):
        exercise.move_to(target, by=None)
    assert exercise.stage == current and not exercise.stage_changes


def test_publishing_records_the_date():
    exercise = Exercise(stage=Stage.FINAL_WORKSHOP)
    exercise.move_to(Stage.PUBLISHED, by=None)
    assert exercise.published_at is not None
    assert Stage.PUBLISHED.next is None


@pytest.mark.parametrize(("status", "kwargs", "message"), [
    (QuestionStatus.OUT_OF_SCOPE, {}, "out of scope"),
    (QuestionStatus.ALREADY_ANSWERED, {"has_reason": True}, "reference"),
    ("deleted", {}, "choose a status"),
])
def test_a_question_set_aside_needs_its_reason(app, status, kwargs, message):
    question = IndicativeQuestion(status=QuestionStatus.KEPT)
    with app.test_request_context("/en/"), pytest.raises(DomainError, match=message):
        question.set_status(status, **kwargs)
    assert question.status == QuestionStatus.KEPT


def test_set_aside_then_kept_again():
    question = IndicativeQuestion(status=QuestionStatus.KEPT)
    question.set_status(QuestionStatus.ALREADY_ANSWERED, reference=" Cochrane 2012 ")
    assert (question.status, question.answered_reference) == ("already_answered", "Cochrane 2012")
    question.set_status(QuestionStatus.KEPT)
    assert (question.status, question.answered_reference) == ("kept", "")


def test_fingerprint_ignores_spacing_and_case():
    assert text_fingerprint("What  helps\nchildren?") == text_fingerprint("what helps children?")
    assert text_fingerprint("a") != text_fingerprint("b")
