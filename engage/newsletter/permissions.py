"""Who may do what with the newsletter: pure functions of the person (and the address)."""


def can_subscribe(user) -> bool:
    """Anyone, with or without an account: the address typed is all that counts."""
    return True


def prefilled_address(user) -> tuple[str, str] | None:
    """(address, language) offered to a signed-in person: their account's."""
    if not getattr(user, "is_authenticated", False):
        return None
    return user.email, user.language
