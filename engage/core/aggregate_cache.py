"""Aggregates computed from many rows, kept in memory between requests while nothing changed.

Counting tens of thousands of rows on every page view is wasted work when nobody wrote
anything in between. `remember(key, compute)` returns what this process computed earlier
for `key`, unless

- this process wrote to the database since: any INSERT, UPDATE, DELETE or TRUNCATE going
  through its engine forgets everything, and so does the end (commit or rollback) of the
  transaction that wrote (writes are rare next to reads, and a page is always right after
  its own process's writes);
- it is older than `AGGREGATE_CACHE_SECONDS` (default 30): other processes (the other
  gunicorn workers, other instances) write too, so a figure is at most that old.

Values must be plain data (numbers, strings, tuples, dicts, dataclasses of those), never
ORM objects: those belong to one session. `AGGREGATE_CACHE_SECONDS = 0` turns it off; it
is off by default under TESTING, so that tests see every query (tests of the cache, and of
the pages with it, turn it on).
"""

import re
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from flask import current_app
from sqlalchemy import event

from engage.extensions import db

DEFAULT_SECONDS = 30
MAX_ENTRIES = 2048
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|TRUNCATE|MERGE|COPY|ALTER|DROP|CREATE)\b",
                    re.IGNORECASE)

_WROTE = "aggregate_cache_wrote"  # in Connection.info: this transaction wrote
T = TypeVar("T")


class _EngineCache:
    def __init__(self):
        self.generation = 0
        self.entries: dict[Hashable, tuple[float, int, object]] = {}

    def forget(self, *_args) -> None:
        self.generation += 1
        self.entries.clear()

    def on_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if _WRITE.match(statement):
            conn.info[_WROTE] = True
            self.forget()

    def on_end(self, conn) -> None:
        """At the commit or rollback of a transaction that wrote: what was computed from
        its uncommitted rows, by this or another thread, is forgotten too."""
        if conn.info.pop(_WROTE, False):
            self.forget()


_caches: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _cache_of(engine) -> _EngineCache:
    cache = _caches.get(engine)
    if cache is None:
        with _lock:
            cache = _caches.get(engine)
            if cache is None:
                cache = _EngineCache()
                event.listen(engine, "before_cursor_execute", cache.on_execute)
                event.listen(engine, "commit", cache.on_end)
                event.listen(engine, "rollback", cache.on_end)
                _caches[engine] = cache
    return cache


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or the value it gave for `key` in this process while nothing changed."""
    seconds = current_app.config.get("AGGREGATE_CACHE_SECONDS")
    if seconds is None:  # not set: on, but off under TESTING
        seconds = 0 if current_app.testing else DEFAULT_SECONDS
    if not seconds:
        return compute()
    cache = _cache_of(db.engine)
    now = time.monotonic()
    entry = cache.entries.get(key)
    if entry is not None and entry[1] == cache.generation and now - entry[0] < seconds:
        return cast(T, entry[2])  # stored by this function for `key`, from a compute() -> T
    generation = cache.generation
    value = compute()
    if cache.generation == generation:  # nothing was written while computing it
        if len(cache.entries) >= MAX_ENTRIES:
            cache.entries.clear()
        cache.entries[key] = (now, generation, value)
    return value


def forget_all() -> None:
    """Forget every cached aggregate of the current app's database."""
    _cache_of(db.engine).forget()
