"""Who may do what, for every call status and every kind of user."""

import pytest
from flask_login import AnonymousUserMixin

from engage.accounts.models import Role, User
from engage.extensions import db
from engage.reviews import permissions
from engage.reviews.models import Application, Assignment, CallStatus, FundingCall

ROLES = [
    "anonymous", "participant", "unassigned_reviewer", "assigned_reviewer",
    "cleared_reviewer", "submitted_reviewer", "withdrawn_reviewer", "blocked_reviewer",
    "moderator", "admin",
]
DRAFT, OPEN, CLOSED, DECIDED = (CallStatus.DRAFT, CallStatus.OPEN, CallStatus.CLOSED,
                                CallStatus.DECIDED)
ALL = {DRAFT, OPEN, CLOSED, DECIDED}
STAFF = {"moderator", "admin"}
ASSIGNED = {"assigned_reviewer", "cleared_reviewer", "submitted_reviewer", "blocked_reviewer"}
CLEARED = {"cleared_reviewer", "submitted_reviewer", "blocked_reviewer"}


def expected(role: str, status: str) -> dict[str, bool]:
    staff = role in STAFF
    visible = status in {OPEN, CLOSED, DECIDED}
    return {
        "can_manage_calls": staff,
        "can_create_call": staff,
        "can_edit_call": staff and status in {DRAFT, OPEN},
        "can_edit_rubric": staff and status == DRAFT,
        "can_add_applications": staff and status in {DRAFT, OPEN},
        "can_assign": staff and status in {DRAFT, OPEN},
        "can_change_status": staff and status != DECIDED,
        "can_view_dashboard": staff and status != DRAFT,
        "can_record_decision": staff and status == DECIDED,
        "can_export_feedback": staff and status == DECIDED,
        "can_see_assignment": role in ASSIGNED and visible,
        "can_declare": role in ASSIGNED - {"blocked_reviewer"} and status == OPEN,
        "can_open_application": staff or (role in CLEARED and visible),
        "can_edit_review": role == "cleared_reviewer" and status == OPEN,
        "can_see_outcome": role in CLEARED and status == DECIDED,
        "can_use_lay_review": staff or role not in {"anonymous", "participant"},
        "can_edit_reviewer_profile": role not in STAFF | {"anonymous", "participant",
                                                          "blocked_reviewer"},
    }


def _user(app, world, factory, role):
    if role == "anonymous":
        return None
    if role in STAFF:
        return factory.user(role=Role(role))
    if role == "participant":
        return factory.user()
    if role == "blocked_reviewer":
        from engage.core.db import utcnow

        return world.reviewer(blocked_at=utcnow())
    return world.reviewer()


@pytest.mark.parametrize("status", sorted(ALL))
@pytest.mark.parametrize("role", ROLES)
def test_permissions_for_every_status_and_role(app, world, factory, role, status):
    call_id = world.call(status=status)
    application_id = world.application(call_id)
    user_id = _user(app, world, factory, role)
    assignment_id = None
    if role in ASSIGNED | {"withdrawn_reviewer"}:
        assignment_id = world.assign(application_id, user_id, cleared=role in CLEARED)
    if role == "submitted_reviewer":
        world.review(assignment_id, 4, 4)
    if role == "withdrawn_reviewer":
        with app.app_context():
            db.session.get(Assignment, assignment_id).withdraw_for_conflict()
            db.session.commit()
    with app.app_context():
        user = db.session.get(User, user_id) if user_id else AnonymousUserMixin()
        call = db.session.get(FundingCall, call_id)
        application = db.session.get(Application, application_id)
        assignment = db.session.get(Assignment, assignment_id) if assignment_id else None
        actual = {
            "can_manage_calls": permissions.can_manage_calls(user),
            "can_create_call": permissions.can_create_call(user),
            "can_edit_call": permissions.can_edit_call(user, call),
            "can_edit_rubric": permissions.can_edit_rubric(user, call),
            "can_add_applications": permissions.can_add_applications(user, call),
            "can_assign": permissions.can_assign(user, call),
            "can_change_status": permissions.can_change_status(user, call),
            "can_view_dashboard": permissions.can_view_dashboard(user, call),
            "can_record_decision": permissions.can_record_decision(user, call),
            "can_export_feedback": permissions.can_export_feedback(user, call),
            "can_see_assignment": permissions.can_see_assignment(user, assignment),
            "can_declare": permissions.can_declare(user, assignment),
            "can_open_application": permissions.can_open_application(
                user, application, assignment),
            "can_edit_review": permissions.can_edit_review(user, assignment),
            "can_see_outcome": permissions.can_see_outcome(user, assignment),
            "can_use_lay_review": permissions.can_use_lay_review(user),
            "can_edit_reviewer_profile": permissions.can_edit_reviewer_profile(user),
        }
    assert actual == expected(role, status)


def test_an_assignment_of_someone_else_gives_nothing(app, world):
    call_id = world.call()
    application_id = world.application(call_id)
    owner, other = world.reviewer(), world.reviewer()
    assignment_id = world.assign(application_id, owner)
    with app.app_context():
        intruder = db.session.get(User, other)
        assignment = db.session.get(Assignment, assignment_id)
        application = assignment.application
        assert not permissions.can_see_assignment(intruder, assignment)
        assert not permissions.can_declare(intruder, assignment)
        assert not permissions.can_open_application(intruder, application, assignment)
        assert not permissions.can_edit_review(intruder, assignment)
        assert not permissions.can_see_outcome(intruder, assignment)


def test_the_review_locks_at_the_deadline(app, world):
    call_id = world.call(deadline_in=0)
    assignment_id = world.assign(world.application(call_id), world.reviewer())
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        user = assignment.reviewer
        deadline = assignment.application.call.deadline_at
        from datetime import timedelta

        assert permissions.can_edit_review(user, assignment, deadline - timedelta(seconds=1))
        assert not permissions.can_edit_review(user, assignment, deadline)
