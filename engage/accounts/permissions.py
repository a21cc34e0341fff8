"""Who may do what with accounts and associations: pure functions."""

from engage.accounts.models import Role


def can_decide_representation(user) -> bool:
    return user.is_authenticated and user.has_role(Role.MODERATOR)


def can_manage_associations(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_manage_users(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_request_representation(user) -> bool:
    return user.is_authenticated and user.is_confirmed
