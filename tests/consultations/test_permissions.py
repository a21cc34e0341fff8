"""Who may do what, for every status of a consultation and every kind of user.

Permissions are pure functions: these tests build objects in memory only.
"""

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from engage.accounts.models import Association, Membership, MembershipStatus, Role, User
from engage.consultations import permissions
from engage.consultations.models import (
    Audience,
    Consultation,
    ConsultationQuestion,
    ConsultationTranslation,
    Contribution,
)
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.moderated import ModerationStatus
from tests.factories.consultations import MANAGERS, ROLES, STATUSES, WRITERS

OTHER_AUTHOR_ID = 999


def make_user(role: str, user_id: int = 1):
    if role == "anonymous":
        return AnonymousUserMixin()
    base = {"representative": Role.REPRESENTATIVE, "moderator": Role.MODERATOR,
            "admin": Role.ADMIN}.get(role, Role.PARTICIPANT)
    return User(id=user_id, role=base, email=f"{role}@example.org", display_name=role,
                email_confirmed_at=None if role == "unconfirmed" else utcnow(),
                blocked_at=utcnow() if role == "blocked" else None,
                privacy_consent_at=utcnow())


def make_consultation(status: str, audience: str = Audience.EVERYONE) -> Consultation:
    today = local_today()
    item = Consultation(
        status={"upcoming": "draft", "past_closing": "open"}.get(status, status),
        announced=status == "upcoming",
        audience=audience,
        closes_on=today - timedelta(days=1) if status == "past_closing"
        else today + timedelta(days=5),
    )
    item.translations.append(ConsultationTranslation(language="fr", title="Titre"))
    item.questions.append(ConsultationQuestion(kind="scale", required=True))
    return item


def make_contribution(item: Consultation, author_id: int = OTHER_AUTHOR_ID,
                      status=ModerationStatus.PUBLISHED, **fields) -> Contribution:
    return Contribution(consultation=item, author_id=author_id, body="Texte",
                        moderation_status=status, **fields)


MATRIX = [(role, status) for role in ROLES for status in STATUSES]


def _public(status):
    return status != "draft"


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_consultation_permissions(role, status):
    user, item = make_user(role), make_consultation(status)
    manager = role in MANAGERS
    taking_part = role in WRITERS and status == "open"
    expected = {
        "can_manage": manager,
        "can_view": _public(status) or manager,
        "can_edit": manager and status != "archived",
        "can_edit_questions": manager and status in ("draft", "upcoming"),
        "can_change_status": manager and status != "archived",
        "in_audience": role != "anonymous",
        "can_participate": taking_part,
        "can_answer": taking_part,
        "can_contribute": taking_part,
        "can_follow": role not in ("anonymous", "unconfirmed")
        and status in ("upcoming", "open", "past_closing", "closed"),
        "can_see_results": status in ("closed", "summarized", "archived"),
    }
    for name, allowed in expected.items():
        function = getattr(permissions, name)
        actual = function(user) if name == "can_manage" else function(user, item)
        assert actual == allowed, (name, role, status)


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_representatives_only(role, status):
    user = make_user(role)
    item = make_consultation(status, audience=Audience.REPRESENTATIVES)
    in_audience = role in ("representative", "moderator", "admin")
    assert permissions.in_audience(user, item) == in_audience
    assert permissions.can_participate(user, item) == (in_audience and status == "open")


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_permissions_on_someone_elses_contribution(role, status):
    user, item = make_user(role), make_consultation(status)
    contribution = make_contribution(item)
    taking_part = role in WRITERS and status == "open"
    assert permissions.can_support(user, contribution) == taking_part
    assert permissions.can_reply(user, contribution) == taking_part
    assert permissions.can_report(user, contribution) == (role in WRITERS and _public(status))
    assert not permissions.can_edit_contribution(user, contribution)
    assert not permissions.can_delete_contribution(user, contribution)
    assert permissions.can_see_contribution(user, contribution) == (
        _public(status) or role in MANAGERS)
    assert permissions.can_see_history(user, contribution) == (role in MANAGERS)


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_permissions_on_ones_own_contribution(role, status):
    user, item = make_user(role), make_consultation(status)
    contribution = make_contribution(item, author_id=1)
    # An anonymous visitor is nobody's author, not even of user 1's contribution: they may
    # not edit, delete, support or report it, nor see its history.
    authenticated = role != "anonymous"
    editing = role in WRITERS and status == "open"
    assert permissions.is_author(user, contribution) == authenticated
    assert permissions.can_edit_contribution(user, contribution) == editing
    assert permissions.can_delete_contribution(user, contribution) == editing
    assert not permissions.can_support(user, contribution)
    assert not permissions.can_report(user, contribution)
    assert permissions.can_see_history(user, contribution) == authenticated


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("moderation", list(ModerationStatus))
def test_unpublished_contributions_are_seen_by_their_author_and_moderators(role, moderation):
    user, item = make_user(role), make_consultation("open")
    others = make_contribution(item, status=moderation)
    own = make_contribution(item, author_id=1, status=moderation)
    published = moderation == ModerationStatus.PUBLISHED
    assert permissions.can_see_contribution(user, others) == (published or role in MANAGERS)
    assert permissions.can_see_contribution(user, own) == (published or role != "anonymous")
    # Nobody supports, replies to or reports what is not published.
    assert permissions.can_support(user, others) == (published and role in WRITERS)
    assert permissions.can_reply(user, others) == (published and role in WRITERS)
    assert permissions.can_report(user, others) == (published and role in WRITERS)


def test_a_deleted_contribution_accepts_nothing():
    user, item = make_user("participant"), make_consultation("open")
    deleted = make_contribution(item, deleted_at=utcnow())
    own_deleted = make_contribution(item, author_id=1, deleted_at=utcnow())
    assert not permissions.can_support(user, deleted)
    assert not permissions.can_reply(user, deleted)
    assert not permissions.can_report(user, deleted)
    assert not permissions.can_edit_contribution(user, own_deleted)
    # Its place stays visible (the replies hang on it), never its text.
    assert permissions.can_see_contribution(user, deleted)
    hidden_then_deleted = make_contribution(item, status=ModerationStatus.HIDDEN,
                                            deleted_at=utcnow())
    assert not permissions.can_see_contribution(user, hidden_then_deleted)


def test_replies_get_no_replies():
    user, item = make_user("participant"), make_consultation("open")
    parent = make_contribution(item)
    parent.id = 5
    reply = make_contribution(item, parent_id=5)
    assert permissions.can_reply(user, parent)
    assert not permissions.can_reply(user, reply)
    assert permissions.can_support(user, reply)


def test_posting_for_an_association_needs_an_approved_membership():
    user = make_user("representative")
    approved, requested = Association(name="A"), Association(name="B")
    user.memberships = [
        Membership(association=approved, status=MembershipStatus.APPROVED),
        Membership(association=requested, status=MembershipStatus.REQUESTED),
    ]
    assert permissions.can_post_as(user, approved)
    assert not permissions.can_post_as(user, requested)
    assert not permissions.can_post_as(AnonymousUserMixin(), approved)
