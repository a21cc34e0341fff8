"""Moderation and summaries' rows of the authorization matrix (tests/security)."""


def register() -> None:
    import tests.moderation.matrix_routes  # noqa: F401 - adds its routes when imported
