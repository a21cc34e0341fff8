"""Who may moderate what, for every role and every state of an item."""

import pytest

from engage.core.moderated import AUTO_HIDE_REASON, ModerationStatus
from engage.moderation import permissions
from tests.factories import consultations as builders

ROLES = builders.ROLES
MODERATORS = {"moderator", "admin"}


@pytest.fixture
def item(app_context):
    consultation = builders.consultation("open")
    return builders.contribution(consultation, builders.user("participant"), "Text")


def set_state(item, state):
    item.moderation_status = {"pending": ModerationStatus.PENDING,
                              "published": ModerationStatus.PUBLISHED,
                              "hidden": ModerationStatus.HIDDEN,
                              "auto_hidden": ModerationStatus.HIDDEN}[state]
    item.hidden_reason = AUTO_HIDE_REASON if state == "auto_hidden" else (
        "spam" if state == "hidden" else None)
    item.open_report_count = 3 if state == "auto_hidden" else 0


# state -> (approve, hide, restore, dismiss) for a moderator
EXPECTED = {
    "pending": (True, True, False, False),
    "published": (False, True, False, False),
    "hidden": (False, False, True, False),
    "auto_hidden": (False, True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(EXPECTED))
def test_item_actions_per_role_and_state(item, role, state):
    user = builders.user(role)
    set_state(item, state)
    expected = EXPECTED[state] if role in MODERATORS else (False,) * 4
    assert (
        permissions.can_approve(user, item),
        permissions.can_hide(user, item),
        permissions.can_restore(user, item),
        permissions.can_dismiss_reports(user, item),
    ) == expected
    assert permissions.can_redact(user, item) == (role in MODERATORS)
    assert permissions.can_tag(user, item) == (role in MODERATORS)
    assert permissions.can_moderate(user) == (role in MODERATORS)
    assert permissions.can_read_audit(user) == (role == "admin")


def test_deleted_contributions_cannot_be_hidden_redacted_or_tagged(item):
    from engage.core.db import utcnow

    moderator = builders.user("moderator")
    item.deleted_at = utcnow()
    assert not permissions.can_hide(moderator, item)
    assert not permissions.can_redact(moderator, item)
    assert not permissions.can_tag(moderator, item)


@pytest.mark.parametrize(("actor", "author", "allowed"), [
    ("moderator", "participant", True),
    ("moderator", "representative", True),
    ("moderator", "moderator", False),
    ("moderator", "admin", False),
    ("admin", "moderator", True),
    ("admin", "admin", False),
    ("participant", "participant", False),
    ("representative", "participant", False),
    ("anonymous", "participant", False),
])
def test_who_may_block_whom(app_context, actor, author, allowed):
    actor_user, author_user = builders.user(actor), builders.user(author)
    assert permissions.can_block(actor_user, author_user) == allowed
    assert not permissions.can_unblock(actor_user, author_user)
    if allowed:
        from engage.core.db import utcnow

        author_user.blocked_at = utcnow()
        assert not permissions.can_block(actor_user, author_user)
        assert permissions.can_unblock(actor_user, author_user)


def test_nobody_blocks_themselves(app_context):
    admin = builders.user("admin")
    assert not permissions.can_block(admin, admin)
