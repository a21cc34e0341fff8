"""Who may do what with the network's record, for every role and state (pure functions,
no database: people and records are stand-ins with the attributes the rules read); and the
network officer's place among the roles."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from engage.accountability import permissions
from engage.accounts.models import Role, User
from engage.priorities.models import Stage

ROLES = ["anonymous", "participant", "representative", "moderator", "officer", "admin"]
WRITERS = {"officer", "admin"}


@dataclass
class Person:
    """Signed in, with a role: `has_role` is the accounts model's own."""

    role: str
    is_confirmed: bool = True
    deleted_at: object = None
    is_authenticated: bool = True
    has_role = User.has_role
    is_moderator = User.is_moderator
    is_admin = User.is_admin


def person(role: str, **fields):
    return AnonymousUserMixin() if role == "anonymous" else Person(role, **fields)


def a_response(published_at=None, commitments=()):
    return SimpleNamespace(is_published=published_at is not None,
                           commitments=list(commitments))


def a_commitment(response):
    return SimpleNamespace(response=response, is_published=response.is_published)


def a_project(published_at=None):
    return SimpleNamespace(is_published=published_at is not None)


def test_the_officer_ranks_between_moderator_and_administrator():
    assert [role.value for role in Role] == ["participant", "representative", "moderator",
                                              "officer", "admin"]
    officer = Person("officer")
    assert officer.has_role(Role.MODERATOR) and officer.is_moderator
    assert officer.has_role(Role.OFFICER) and not officer.is_admin
    assert Person("admin").has_role(Role.OFFICER)
    assert not Person("moderator").has_role(Role.OFFICER)
    assert Role.OFFICER.label == "Network officer"
    assert Role.at_least(Role.MODERATOR) == [Role.MODERATOR, Role.OFFICER, Role.ADMIN]
    assert Role.at_least(Role.ADMIN) == [Role.ADMIN]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("published", [False, True])
def test_officers_write_drafts_and_update_what_is_published(role, published):
    user = person(role)
    response = a_response(published_at="2026-03-01" if published else None)
    commitment = a_commitment(response=response)
    response.commitments.append(commitment)
    writer = role in WRITERS
    assert permissions.can_manage(user) is writer
    assert permissions.can_edit_response(user, response) is (writer and not published)
    assert permissions.can_publish(user, response) is (writer and not published)
    assert permissions.can_update(user, commitment) is (writer and published)
    assert permissions.can_view_response(user, response) is (writer or published)


def test_a_response_without_commitments_cannot_be_published():
    response = a_response()
    assert not permissions.can_publish(person("officer"), response)


@pytest.mark.parametrize("role", ROLES)
def test_responses_answer_what_is_published_once(role):
    user = person(role)
    published = SimpleNamespace(is_published=True)
    in_review = SimpleNamespace(is_published=False)
    exercise = SimpleNamespace(at=lambda *stages: Stage.PUBLISHED in stages)
    running = SimpleNamespace(at=lambda *stages: Stage.INTERIM_RANKING in stages)
    writer = role in WRITERS
    assert permissions.can_start_response(user, summary=published) is writer
    assert permissions.can_start_response(user, exercise=exercise) is writer
    assert not permissions.can_start_response(user, summary=in_review)
    assert not permissions.can_start_response(user, exercise=running)
    assert not permissions.can_start_response(user, summary=published, existing=a_response())
    assert not permissions.can_start_response(user)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", ["draft", "open", "closed", "decided"])
def test_calls_link_and_unlink_until_decided(role, status):
    user = person(role)
    call = SimpleNamespace(status=status)
    published_question = SimpleNamespace(exercise=SimpleNamespace(
        at=lambda *stages: Stage.PUBLISHED in stages))
    writer = role in WRITERS
    published = a_commitment(response=a_response(published_at="2026-03-01"))
    draft = a_commitment(response=a_response())
    assert permissions.can_link_call(user, question=published_question) is writer
    assert permissions.can_link_call(user, commitment=published) is writer
    assert not permissions.can_link_call(user, commitment=draft)
    assert permissions.can_unlink_call(user, call) is (writer and status != "decided")
    assert permissions.can_create_projects(user, call) is (writer and status == "decided")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("published", [False, True])
def test_projects_are_edited_as_drafts_and_updated_once_published(role, published):
    user = person(role)
    project = a_project(published_at="2026-03-01" if published else None)
    writer = role in WRITERS
    assert permissions.can_edit_project(user, project) is (writer and not published)
    assert permissions.can_update_project(user, project) is (writer and published)
    assert permissions.can_view_project(user, project) is (writer or published)


@pytest.mark.parametrize("role", ROLES)
def test_signed_in_people_with_a_confirmed_address_follow_what_is_published(role):
    published = a_project(published_at="2026-03-01")
    assert permissions.can_follow(person(role), published) is (role != "anonymous")
    assert not permissions.can_follow(person(role), a_project())
    if role != "anonymous":
        assert not permissions.can_follow(person(role, is_confirmed=False), published)
        assert not permissions.can_follow(person(role, deleted_at="2026-03-02"), published)
