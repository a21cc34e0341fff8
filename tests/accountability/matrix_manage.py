"""Rows of the authorization matrix for routes/manage.py."""


def register() -> None:
    pass
