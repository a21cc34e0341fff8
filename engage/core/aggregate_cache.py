"""Aggregates computed from many rows, kept between requests while what they count is
unchanged, exactly.

`remember(key, compute, scopes)` returns the value `compute()` gave for `key` under the
current versions of `scopes` (engage.core.versions: the consultation, exercise, call or list
the figure counts), read before computing it: a write acknowledged by any worker or
instance bumps those versions, so the next request computes it anew and no figure is ever
older than an acknowledged write. Values are kept in the shared store (Redis when
configured, else this process's memory) for `AGGREGATE_CACHE_SECONDS` at most (default
300: they stay exact, the limit only frees the store).

A transaction that has written computes without the cache: its uncommitted rows must
neither be kept for others nor hidden from itself. Within one transaction that has not
written, a figure asked for again (several parts of a page show the same counts) is computed
once, cache on or off.

Values must be plain data (numbers, strings, tuples, dicts, dataclasses of those), never
ORM objects: those belong to one session. `AGGREGATE_CACHE_SECONDS = 0` turns it off; it
is off by default under TESTING, so that tests see every query (tests of the cache, and of
the pages with it, turn it on).
"""

import pickle
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar, cast

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from engage.core import shared_store, versions
from engage.extensions import db

DEFAULT_SECONDS = 300
PREFIX = "figure:"
T = TypeVar("T")


def _seconds() -> int:
    seconds = current_app.config.get("AGGREGATE_CACHE_SECONDS")
    if seconds is None:  # not set: on, but off under TESTING
        return 0 if current_app.testing else DEFAULT_SECONDS
    return seconds


def remember(key: Hashable, compute: Callable[[], T], scopes: Iterable[str]) -> T:
    """`compute()`, or the value it gave for `key` while `scopes` were unchanged."""
    if versions.wrote_in_transaction(db.session):
        return compute()
    of_transaction = db.session.info.setdefault(_OF_TRANSACTION, {})
    if key in of_transaction:
        return cast(T, of_transaction[key])
    of_transaction[key] = value = _remembered(key, compute, scopes)
    return value


_OF_TRANSACTION = "figures_of_transaction"


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:  # the next transaction may see other rows
        session.info.pop(_OF_TRANSACTION, None)


def _remembered(key: Hashable, compute: Callable[[], T], scopes: Iterable[str]) -> T:
    seconds = _seconds()
    if not seconds:
        return compute()
    stored_key = PREFIX + shared_store.digest((
        db.engine.url.render_as_string(hide_password=True), key,
        versions.current(scopes)))
    store = shared_store.of()
    stored = store.get(stored_key)
    if stored is not None:
        return cast(T, pickle.loads(stored))  # noqa: S301 - written below, in our own store
    value = compute()
    if not versions.wrote_in_transaction(db.session):
        store.set(stored_key, pickle.dumps(value), seconds)
    return value
