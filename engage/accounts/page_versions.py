"""Which version counters (engage.core.versions) a change in this area bumps: the person's
own pages; and every page when what others see of them changes (their public name)."""

from sqlalchemy import inspect
from sqlalchemy.orm import InstanceState

from engage.accounts.models import AccountAuditEntry, Association, Membership, User
from engage.core import versions

# What other people's pages show of a person: names, the groups results are shown by,
# and whether the account still speaks (deleted, blocked, deactivated).
SHOWN_TO_OTHERS = ("display_name", "pseudonym", "use_pseudonym", "role", "participant_type",
                   "departement", "deleted_at", "blocked_at", "deactivated_at", "lay_reviewer")


def _of_user(user: User) -> list[str]:
    if versions.inserted(user):  # shown nowhere yet: registering changes no page
        return []
    state: InstanceState = inspect(user)
    shown = state.was_deleted or any(
        state.attrs[name].history.has_changes() for name in SHOWN_TO_OTHERS)
    return [versions.user(user.id), versions.SITE] if shown else [versions.user(user.id)]


def register() -> None:
    versions.register(User, _of_user, bulk=[versions.SITE])
    versions.register(Association, lambda a: [versions.SITE], bulk=[versions.SITE])
    versions.register(Membership, lambda m: [versions.user(m.user_id)],
                      bulk=[versions.user(None)])
    versions.register_quiet(AccountAuditEntry)
