"""The newsletter's rows of the authorization matrix."""


def register() -> None:
    pass
