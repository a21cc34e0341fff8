"""Rows of the authorization matrix for routes/feeds.py."""


def register() -> None:
    pass
