"""Rows of the authorization matrix for routes/feeds.py: the record's Atom feed is public
(the world of matrix_public.py gives it something to list)."""

from tests.security.matrix import Route, everyone, routes

FEED_ROUTES = [Route("accountability.feed", {"GET": everyone()})]

_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*FEED_ROUTES)
