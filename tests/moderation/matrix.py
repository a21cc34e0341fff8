"""Moderation and summaries' rows of the authorization matrix (tests/security)."""


def register() -> None:
    import tests.moderation.matrix_routes  # noqa: F401 - adds its routes when imported


# Themes in bulk: the action on many contributions and the suggested themes' page (the
# page itself, accepting and ignoring a suggestion are in matrix_routes.py). Added once, when
# this module is first imported.
def _themes_in_bulk() -> None:
    from tests.security.matrix import Route, moderators, routes

    consultation = {"consultation_id": "moderated_consultation_id"}
    routes(
        Route("moderation.bulk_themes", {"POST": moderators()}, url_args=consultation),
        Route("moderation.theme_suggestions", {"GET": moderators()}, url_args=consultation),
    )


_themes_in_bulk()
