"""Who may do what, at every stage, for every kind of user (pure functions)."""

from dataclasses import dataclass

import pytest

from engage.priorities import permissions
from engage.priorities.models import Exercise, Stage

ALL = set(Stage)
S = Stage


@dataclass
class FakeUser:
    is_authenticated: bool = True
    is_moderator: bool = False
    can_write: bool = True
    id: int = 1


USERS = {
    "anonymous": FakeUser(is_authenticated=False, can_write=False),
    "unconfirmed": FakeUser(can_write=False),  # also: blocked, consent withdrawn
    "participant": FakeUser(),
    "moderator": FakeUser(is_moderator=True),
}

WRITERS = {"participant", "moderator"}
PUBLIC = ALL - {S.DRAFT}
AFTER_PROCESSING = {S.PROCESSING, S.INTERIM_RANKING, S.FINAL_WORKSHOP, S.PUBLISHED}

# action -> (stages allowed to writers, stages allowed to moderators only, stages for everyone)
EXPECTED = {
    "can_view_exercise": {"everyone": PUBLIC, "moderator": ALL},
    "can_view_questions": {"everyone": AFTER_PROCESSING, "moderator": ALL},
    "can_submit": {"writer": {S.GATHERING}},
    "can_comment": {"writer": {S.PROCESSING, S.INTERIM_RANKING, S.FINAL_WORKSHOP}},
    "can_rank": {"writer": {S.INTERIM_RANKING}},
    "can_process": {"moderator": {S.PROCESSING}},
    "can_record_workshop": {"moderator": {S.FINAL_WORKSHOP}},
    "can_add_group": {"moderator": {S.DRAFT, S.GATHERING, S.PROCESSING}},
    "can_move_stage": {"moderator": ALL - {S.PUBLISHED}},
    "can_change_workshop_size": {"moderator": {S.DRAFT, S.GATHERING, S.PROCESSING,
                                               S.INTERIM_RANKING}},
    "can_manage_exercise": {"moderator": ALL},
    "can_see_submissions": {"moderator": ALL},
    "can_see_results": {"everyone": {S.PUBLISHED},
                        "moderator": {S.INTERIM_RANKING, S.FINAL_WORKSHOP, S.PUBLISHED}},
}


def allowed(action, role, stage) -> bool:
    rules = EXPECTED[action]
    if stage in rules.get("everyone", set()):
        return True
    if role in WRITERS and stage in rules.get("writer", set()):
        return True
    return role == "moderator" and stage in rules.get("moderator", set())


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("role", list(USERS))
@pytest.mark.parametrize("action", list(EXPECTED))
def test_permission_per_stage_and_role(action, role, stage):
    exercise = Exercise(stage=stage)
    assert getattr(permissions, action)(USERS[role], exercise) is allowed(action, role, stage)


@dataclass
class FakeItem:
    author_id: int
    is_visible: bool = True


@pytest.mark.parametrize(("role", "item", "expected"), [
    ("anonymous", FakeItem(2), False),
    ("unconfirmed", FakeItem(2), False),
    ("participant", FakeItem(2), True),
    ("participant", FakeItem(1), False),  # one's own text
    ("participant", FakeItem(2, is_visible=False), False),  # already hidden
    ("moderator", FakeItem(2), True),
])
def test_who_may_report(role, item, expected):
    assert permissions.can_report(USERS[role], item) is expected


@pytest.mark.parametrize(("role", "expected"), [
    ("anonymous", False), ("unconfirmed", False), ("participant", False), ("moderator", True)])
def test_only_moderators_hide_and_restore(role, expected):
    assert permissions.can_moderate(USERS[role], FakeItem(2)) is expected
