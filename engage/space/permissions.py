"""Who may do what in "My space": pure functions of the user and the object."""


def can_use_space(user) -> bool:
    """Signed in, with an account that still exists."""
    return bool(user and user.is_authenticated and getattr(user, "deleted_at", None) is None)


def can_read(user, notification) -> bool:
    """A notification is its recipient's only: nobody else sees it or marks it read."""
    return can_use_space(user) and notification.user_id == user.id
