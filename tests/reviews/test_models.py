"""State rules of calls, assignments and reviews."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.errors import DomainError
from engage.extensions import db
from engage.reviews.models import (
    Assignment,
    CallStatus,
    FundingCall,
    Review,
    split_list,
)

MOVES = {
    "open_for_review": (CallStatus.DRAFT, CallStatus.OPEN),
    "close_review": (CallStatus.OPEN, CallStatus.CLOSED),
    "mark_decided": (CallStatus.CLOSED, CallStatus.DECIDED),
}


def _move(call, method):
    if method == "open_for_review":
        call.open_for_review(local_today())
    else:
        getattr(call, method)()


@pytest.mark.parametrize("method", MOVES)
@pytest.mark.parametrize("status", list(CallStatus))
def test_call_moves_only_forward_one_step(app, world, method, status):
    call_id = world.call(status=status)
    world.application(call_id)
    with app.app_context(), force_locale("en"):
        call = db.session.get(FundingCall, call_id)
        start, end = MOVES[method]
        if status == start:
            _move(call, method)
            assert call.status == end
        else:
            with pytest.raises(DomainError):
                _move(call, method)
            assert call.status == status


def test_opening_needs_applications_criteria_and_a_future_deadline(app, world):
    call_id = world.call(status=CallStatus.DRAFT, deadline_in=-1)
    with app.app_context(), force_locale("en"):
        call = db.session.get(FundingCall, call_id)
        with pytest.raises(DomainError, match="application"):
            call.open_for_review(local_today())
    world.application(call_id)
    with app.app_context(), force_locale("en"):
        call = db.session.get(FundingCall, call_id)
        with pytest.raises(DomainError, match="deadline"):
            call.open_for_review(local_today())
        call.criteria.clear()
        with pytest.raises(DomainError, match="criterion"):
            call.open_for_review(local_today())


def test_deadline_is_the_end_of_the_day_in_paris(app, world):
    call_id = world.call(deadline_in=0)
    with app.app_context(), force_locale("en"):
        call = db.session.get(FundingCall, call_id)
        assert call.deadline_at.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
        assert call.deadline_at.date() == local_today() + timedelta(days=1)
        assert call.accepts_reviews()
        assert call.deadline_passed(call.deadline_at)
        assert not call.deadline_passed(call.deadline_at - timedelta(seconds=1))


def test_withdrawing_flags_the_application(app, world):
    call_id = world.call()
    application_id = world.application(call_id)
    assignment_id = world.assign(application_id, world.reviewer(), cleared=False)
    with app.app_context(), force_locale("en"):
        assignment = db.session.get(Assignment, assignment_id)
        assert not assignment.is_cleared
        assignment.clear()
        assert assignment.is_cleared
        assignment.withdraw_for_conflict()
        assert not assignment.is_active and not assignment.is_cleared
        assert assignment.application.needs_reassignment
        with pytest.raises(DomainError):
            assignment.withdraw_for_conflict()
        with pytest.raises(DomainError):
            assignment.clear()


def test_a_review_is_locked_after_submission_and_after_the_deadline(app, world):
    call_id = world.call()
    assignment_id = world.assign(world.application(call_id), world.reviewer())
    review_id = world.review(assignment_id, 4, 4, submit=False)
    with app.app_context(), force_locale("en"):
        review = db.session.get(Review, review_id)
        call = review.assignment.application.call
        with pytest.raises(DomainError, match="deadline"):
            review.ensure_editable(call, call.deadline_at + timedelta(minutes=1))
        review.submit(call)
        assert review.is_submitted and review.submitted_at <= utcnow()
        with pytest.raises(DomainError, match="already submitted"):
            review.submit(call)


def test_split_list():
    assert split_list("Breast cancer, children;\n children ,  ") == ["Breast cancer", "children"]
    assert split_list("Institut Curie, Paris\nAP-HP", commas=False) == [
        "Institut Curie, Paris", "AP-HP"]
