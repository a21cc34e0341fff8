"""Rendered pages served again while what they show has not changed, exactly.

A page is a function of the data it shows, the address, the reader and (a little) the
clock. Each cached view names the parts of the data it shows (`scopes`, see
engage.core.versions: a consultation, an exercise, a site-wide list...); the page is kept
under the versions of those parts read before rendering it, so a write elsewhere (another
consultation, another database on the same server) leaves it served, and a write to what
it shows, acknowledged by any worker of any instance, makes the next request render it
anew. Entries also expire after `PAGE_CACHE_SECONDS` (default 30), for what the clock
moves (deadlines, "closes in 3 days").

The key holds the database, the address, the locale and content language, the reader (a
signed-in reader's account, sign-in version and session CSRF token, whose pages also depend
on their own data, `user:<id>`, and for staff on the moderation queue; or "a visitor") and
the versions. Pages are kept in the shared store (engage.core.shared_store: Redis when
configured, one copy for every worker and instance; else this process's memory).

A one-time value (the submission keys of creation forms: `one_time_value()`) does not stop
a page from being kept: the page is kept with a marker in its place, and each answer gets
fresh values. A render is not stored when it showed flash messages, changed the reader's
CSRF token, or, for visitors, holds a CSRF token (a form). Requests with flash messages
waiting are not served from the cache.

Only views marked `@cached_page` (under their permission decorators, which still run) and
only GET answers of 200. Off under TESTING unless `PAGE_CACHE_SECONDS` is set.
"""

import hashlib
import hmac
import pickle
import re
import secrets
from collections.abc import Callable, Iterable
from functools import wraps

from flask import Flask, current_app, g, message_flashed, request, session
from flask_babel import get_locale
from flask_login import current_user

from engage.core import shared_store, versions
from engage.extensions import db

DEFAULT_SECONDS = 30
MAX_BODY_BYTES = 512 * 1024
CSRF_KEY = "csrf_token"  # where Flask-WTF keeps the session's raw token
# Headers of the view's answer worth keeping; the app adds the rest on every answer.
KEPT_HEADERS = ("Content-Type", "Link", "Content-Language", "Content-Disposition")
PAGE = "page:"
COMPRESSED = "compressed:"

statistics = {"hits": 0, "stored": 0}  # this process's, for the benchmark


def marker(kind: str = "once") -> str:
    """What stands for a value of one answer (a one-time key, a reader's token) in a kept
    page: derived from the secret key, so that no text written by someone can play it."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return f"{kind}-" + hmac.new(secret, f"page-cache-{kind}".encode(),
                                 hashlib.sha256).hexdigest()[:24]


def one_time_value() -> str:
    """A random value that a page must never show twice (a submission key)."""
    if g.get("page_cache_rendering"):
        g.page_cache_one_time = True
        return marker()
    return secrets.token_hex(16)


def do_not_cache() -> None:
    """This render holds something that must not be kept."""
    g.page_not_cacheable = True


def seconds() -> int:
    seconds = current_app.config.get("PAGE_CACHE_SECONDS")
    if seconds is None:  # not set: on, but off under TESTING
        return 0 if current_app.testing else DEFAULT_SECONDS
    return seconds


def _reader() -> tuple:
    """Who reads: a signed-in reader's pages carry their session's CSRF token (the sign-out
    form); a visitor's pages are shared by every visitor, so never stored with a token."""
    if current_user.is_authenticated:
        return current_user.id, current_user.session_version, session.get(CSRF_KEY)
    return None, None, None


def _reader_scopes() -> list[str]:
    if not current_user.is_authenticated:
        return []
    scopes = [versions.user(current_user.id)]
    if current_user.is_moderator:  # the queue's count in the menu
        scopes.append(versions.MODERATION)
    return scopes


def _key(scopes: Iterable[str], reader: tuple) -> str:
    read = versions.current([*scopes, *_reader_scopes()])
    return shared_store.digest((
        db.engine.url.render_as_string(hide_password=True), request.host_url,
        request.full_path, str(get_locale()), g.get("lang_code"), g.get("api_language"),
        reader, read))


def _lookup(key: str):
    stored = shared_store.of().get(PAGE + key)
    if stored is None:
        return None
    statistics["hits"] += 1
    return pickle.loads(stored)  # noqa: S301 - written by _store below, in our own store


def _store(key: str, response, seconds: int, one_time: bool) -> None:
    body = response.get_data()
    if len(body) > MAX_BODY_BYTES:
        return
    headers = [(name, value) for name, value in response.headers if name in KEPT_HEADERS]
    shared_store.of().set(PAGE + key, pickle.dumps((body, headers, one_time)), seconds)
    statistics["stored"] += 1


def _fill_one_time_values(response) -> None:
    pattern = re.escape(marker().encode())
    response.set_data(re.sub(pattern, lambda _match: secrets.token_hex(16).encode(),
                             response.get_data()))


def _answer(key: str, seconds: int, body: bytes, headers, one_time: bool):
    response = current_app.response_class(body, status=200, headers=headers)
    if one_time:  # fresh values for this answer; its compression is its own
        _fill_one_time_values(response)
    else:
        g.page_cache_compressed = (key, seconds)
    return response


class CompressedPages:
    """Flask-Compress's cache (COMPRESS_CACHE_BACKEND): the compressed forms of a kept page,
    kept beside it. Compressing the larger pages costs more than looking them up."""

    @staticmethod
    def _page():
        return g.get("page_cache_compressed") if g else None

    def get(self, key: str):
        page = self._page()
        return None if page is None else shared_store.of().get(f"{COMPRESSED}{page[0]}:{key}")

    def set(self, key: str, value: bytes) -> None:
        page = self._page()
        if page is not None:
            shared_store.of().set(f"{COMPRESSED}{page[0]}:{key}", value, page[1])


def compression_key(_request) -> str:
    """COMPRESS_CACHE_KEY: one key per page; CompressedPages finds the page itself."""
    return "page"


def _storable(response, reader: tuple) -> bool:
    if (response.status_code != 200 or response.is_streamed or response.direct_passthrough
            or g.get("page_not_cacheable")
            or _reader() != reader):
        return False
    token = g.get(CSRF_KEY)  # the signed token Flask-WTF made for this request's forms
    return reader[0] is not None or not token or token.encode() not in response.get_data()


def by_address(**view_args) -> list[str]:
    """The default scopes: those named by the address (`/consultations/<consultation_id>`)."""
    named = {"consultation_id": versions.consultation, "exercise_id": versions.exercise,
             "call_id": versions.call}
    return [scope(view_args[name]) for name, scope in named.items() if name in view_args]


def cached_page(view=None, *, scopes: Callable[..., Iterable[str]] = by_address):
    """Serve the view's earlier answer while what it shows (`scopes(**view_args)`: the
    scopes of the data it reads; by default those its address names), the reader and the
    address are the same (see the module's documentation)."""

    def decorate(view):
        @wraps(view)
        def cached_view(*args, **kwargs):
            kept_for = seconds() if request.method == "GET" else 0
            if not kept_for or "_flashes" in session:
                return view(*args, **kwargs)
            reader = _reader()
            key = _key(scopes(**kwargs), reader)
            entry = _lookup(key)
            if entry is not None:
                return _answer(key, kept_for, *entry)
            g.page_cache_rendering = True
            try:
                response = current_app.make_response(view(*args, **kwargs))
            finally:
                g.page_cache_rendering = False
            one_time = g.pop("page_cache_one_time", False)
            if _storable(response, reader):
                _store(key, response, kept_for, one_time)
                if not one_time:
                    g.page_cache_compressed = (key, kept_for)
            if one_time:
                _fill_one_time_values(response)
            return response

        return cached_view

    return decorate(view) if view is not None else decorate


def _note_flash(sender, message, category, **extra) -> None:
    # A page that flashed a message may show it at once: never store it.
    g.page_not_cacheable = True


def init_app(app: Flask) -> None:
    shared_store.init_app(app)
    versions.init_app(app)
    message_flashed.connect(_note_flash, app)


def cache_blueprint(bp, scopes: Callable[..., Iterable[str]]) -> None:
    """Mark every GET view of `bp` (a blueprint whose answers depend on nothing but the
    address and the data named by `scopes`, such as the open-data API)."""

    def wrap(state):
        app = state.app
        for endpoint, view in list(app.view_functions.items()):
            if endpoint.startswith(f"{bp.name}."):
                app.view_functions[endpoint] = cached_page(view, scopes=scopes)

    bp.record_once(wrap)


def clear() -> None:
    """Forget every kept page of the current application (tests)."""
    shared_store.of().clear()
