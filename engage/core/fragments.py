"""Parts of pages rendered once for every reader who would see the same thing.

A signed-in page cannot be shared whole: it names its reader and carries their CSRF token.
Its heaviest part often can: the list of contributions is the same for every reader whose
rights on it are the same (what they may support, edit, report: sets of ids computed once
per page, engage.consultations.routes.items). `cached(parts, scopes, render)` keeps the
HTML `render(token)` gives under `parts` (what the fragment depends on besides the data:
the address, the language, the reader's rights) and the versions of `scopes`
(engage.core.versions); it renders with a marker for the CSRF token, and each answer gets
the reader's own token in its place. Kept in the shared store with the pages, for
`PAGE_CACHE_SECONDS`; off when the page cache is off.
"""

from collections.abc import Callable, Hashable, Iterable

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from engage.core import page_cache, shared_store, versions
from engage.extensions import db

PREFIX = "fragment:"
statistics = {"hits": 0}  # this process's, for tests and the benchmark


def _token_marker() -> str:
    return page_cache.marker("csrf")


def cached(parts: Hashable, scopes: Iterable[str], render: Callable[[str | None], str],
           with_token: bool) -> Markup:
    """The fragment `render(token)` gives, kept for every reader whose `parts` are the same.
    `with_token`: the fragment holds forms, so the reader's CSRF token goes in."""
    seconds = page_cache.seconds()
    if not seconds or versions.wrote_in_transaction(db.session):
        return Markup(render(generate_csrf() if with_token else None))  # noqa: S704 - ours
    key = PREFIX + shared_store.digest((
        db.engine.url.render_as_string(hide_password=True), parts, with_token,
        versions.current(scopes)))
    store = shared_store.of()
    stored = store.get(key)
    if stored is None:
        stored = str(render(_token_marker() if with_token else None)).encode()
        store.set(key, stored, seconds)
    else:
        statistics["hits"] += 1
    html = stored.decode()
    if with_token:
        html = html.replace(_token_marker(), generate_csrf())
    return Markup(html)  # noqa: S704 - our own template's output, escaped when rendered
