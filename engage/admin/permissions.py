"""What an administrator may do with an account: pure functions, for the buttons a page
shows. The services check again (and what needs the database, such as the last active
administrator)."""


def _manageable(actor, user) -> bool:
    return actor.is_authenticated and actor.is_admin and user.deleted_at is None


def can_change_role(actor, user) -> bool:
    """Not one's own: an administrator does not remove their own role."""
    return _manageable(actor, user) and user.id != actor.id


def can_deactivate(actor, user) -> bool:
    return _manageable(actor, user) and user.id != actor.id and not user.is_deactivated


def can_reactivate(actor, user) -> bool:
    return _manageable(actor, user) and user.is_deactivated


def can_resend_confirmation(actor, user) -> bool:
    return (_manageable(actor, user) and not user.is_invited and not user.is_confirmed
            and not user.is_deactivated)


def can_resend_invitation(actor, user) -> bool:
    return _manageable(actor, user) and user.is_invited and not user.is_deactivated
