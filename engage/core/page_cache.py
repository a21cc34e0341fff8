"""Rendered pages served again while the database has not changed, exactly.

A page is a function of the database, the address, the reader and (a little) the clock.
PostgreSQL says in one cheap query whether anything was written since a page was
rendered: `pg_current_snapshot()` changes whenever a transaction that writes starts or
ends (only those get a transaction id), in any worker of any instance. A page stored under
the snapshot it was read at is therefore the page the view would render now, as long as
that snapshot holds. On SQLite, `PRAGMA data_version` read on a connection of its own
changes whenever any other connection commits: the same marker. Entries also expire after
`PAGE_CACHE_SECONDS` (default 30), for what the clock moves (deadlines, "closes in 3 days").

The key holds the reader (a signed-in reader's account, sign-in version and session CSRF
token; or "a visitor"), the locale and the language of the content. A render is not
stored when it drew a one-time value (`do_not_cache()`: the submission keys of creation
forms), showed flash messages, changed the reader's CSRF token, or, for visitors, holds
a CSRF token (a form). Requests with flash messages waiting are not served from the cache.

Only views marked `@cached_page` (under their permission decorators, which still run) and
only GET answers of 200. Per process, within `PAGE_CACHE_MEGABYTES` (default 32), the
least recently served forgotten first. Off under TESTING unless `PAGE_CACHE_SECONDS` is set.
"""

import os
import sqlite3
import threading
import time
import weakref
from collections import OrderedDict
from functools import wraps

from flask import Flask, current_app, g, message_flashed, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text

from engage.extensions import db

DEFAULT_SECONDS = 30
DEFAULT_MEGABYTES = 32  # per process: pages and their compressed forms
MAX_BODY_BYTES = 512 * 1024
CSRF_KEY = "csrf_token"  # where Flask-WTF keeps the session's raw token
# Headers of the view's answer worth keeping; the app adds the rest on every answer.
KEPT_HEADERS = ("Content-Type", "Link", "Content-Language", "Content-Disposition")

_entries: "OrderedDict[tuple, tuple[float, bytes, list, dict]]" = OrderedDict()
_lock = threading.Lock()
statistics = {"hits": 0, "stored": 0, "bytes": 0}


def do_not_cache() -> None:
    """This render holds something that must not be shown twice (a one-time key)."""
    g.page_not_cacheable = True


def _seconds() -> int:
    seconds = current_app.config.get("PAGE_CACHE_SECONDS")
    if seconds is None:  # not set: on, but off under TESTING
        return 0 if current_app.testing else DEFAULT_SECONDS
    return seconds


def _database_state():
    """What changes whenever the database does; None when there is no such marker."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        return db.session.execute(text("SELECT pg_current_snapshot()::text")).scalar_one()
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    return _sqlite_watcher(engine).data_version()


class _SQLiteWatcher:
    """A connection of its own that never writes: its `PRAGMA data_version` changes when
    any other connection commits (the app's pooled ones, other processes')."""

    def __init__(self, path: str):
        self.pid = os.getpid()
        self.connection = sqlite3.connect(path, check_same_thread=False)
        self.lock = threading.Lock()

    def data_version(self) -> int:
        with self.lock:
            return self.connection.execute("PRAGMA data_version").fetchone()[0]


_watchers: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _sqlite_watcher(engine) -> _SQLiteWatcher:
    watcher = _watchers.get(engine)
    if watcher is None or watcher.pid != os.getpid():  # not one inherited through fork
        with _lock:
            watcher = _watchers[engine] = _SQLiteWatcher(engine.url.database)
    return watcher


def _reader() -> tuple:
    """Who reads: a signed-in reader's pages carry their session's CSRF token (the sign-out
    form); a visitor's pages are shared by every visitor, so never stored with a token."""
    if current_user.is_authenticated:
        return current_user.id, current_user.session_version, session.get(CSRF_KEY)
    return None, None, None


def _key() -> tuple:
    return (request.host_url, request.full_path, str(get_locale()), g.get("lang_code"),
            g.get("api_language"), _reader(), _database_state())


def _lookup(key: tuple, seconds: int):
    with _lock:
        entry = _entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry[0] >= seconds:
            _forget(key)
            return None
        _entries.move_to_end(key)
        statistics["hits"] += 1
        return entry


def _store(key: tuple, response) -> None:
    body = response.get_data()
    if len(body) > MAX_BODY_BYTES:
        return
    headers = [(name, value) for name, value in response.headers if name in KEPT_HEADERS]
    budget = (current_app.config.get("PAGE_CACHE_MEGABYTES") or DEFAULT_MEGABYTES) * 1024 * 1024
    with _lock:
        if key in _entries:
            _forget(key)
        _entries[key] = (time.monotonic(), body, headers, {})
        statistics["bytes"] += len(body)
        g.page_cache_variants = _entries[key][3]  # this render's compression is kept too
        # The least recently served go first; compressed forms count at a third of the page.
        while statistics["bytes"] * 4 // 3 > budget and _entries:
            _forget(next(iter(_entries)))
        statistics["stored"] += 1


def _forget(key: tuple) -> None:
    statistics["bytes"] -= len(_entries.pop(key)[1])


def _cached_response(entry):
    _stored_at, body, headers, variants = entry
    g.page_cache_variants = variants
    return current_app.response_class(body, status=200, headers=headers)


class CompressedPages:
    """Flask-Compress's cache (COMPRESS_CACHE_BACKEND): the compressed forms of a page
    served from the page cache, kept with it. Compressing the larger pages costs more than
    looking them up."""

    @staticmethod
    def _variants():
        return g.get("page_cache_variants") if g else None

    def get(self, key: str):
        variants = self._variants()
        return None if variants is None else variants.get(key)

    def set(self, key: str, value: bytes) -> None:
        variants = self._variants()
        if variants is not None:
            variants[key] = value


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


def cached_page(view):
    """Serve the view's earlier answer while the database, the reader and the address
    are the same (see the module's documentation)."""

    @wraps(view)
    def cached_view(*args, **kwargs):
        seconds = _seconds() if request.method == "GET" else 0
        if not seconds or "_flashes" in session:
            return view(*args, **kwargs)
        key = _key()
        if key[-1] is None:  # no marker of change (an in-memory database)
            return view(*args, **kwargs)
        entry = _lookup(key, seconds)
        if entry is not None:
            return _cached_response(entry)
        response = current_app.make_response(view(*args, **kwargs))
        if _storable(response, key[-2]):
            _store(key, response)
        return response

    return cached_view


def _note_flash(sender, message, category, **extra) -> None:
    # A page that flashed a message may show it at once: never store it.
    g.page_not_cacheable = True


def init_app(app: Flask) -> None:
    message_flashed.connect(_note_flash, app)


def cache_blueprint(bp) -> None:
    """Mark every GET view of `bp` (a blueprint whose answers depend on nothing but the
    address and the database, such as the open-data API)."""

    def wrap(state):
        app = state.app
        for endpoint, view in list(app.view_functions.items()):
            if endpoint.startswith(f"{bp.name}."):
                app.view_functions[endpoint] = cached_page(view)

    bp.record_once(wrap)


def clear() -> None:
    with _lock:
        _entries.clear()
        statistics["bytes"] = 0
