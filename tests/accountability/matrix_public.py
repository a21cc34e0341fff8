"""Rows of the authorization matrix for routes/public.py."""


def register() -> None:
    pass
