"""Version counters of what pages show: a cached page or figure is keyed by the versions of
the data it was computed from, so that a write invalidates exactly what it changes.

A *scope* names a part of the data: one consultation (`consultation:12`), one priority
exercise, one funding call, one person's own data (`user:7`), or a site-wide list
(`consultations`, `summaries`...). Each has a counter in `cache_versions`, bumped in the
transaction that writes:

- every object flushed through the session (created, changed or deleted) is mapped to the
  scopes it belongs to by the function its area registered (`register(Model, scopes_of)`);
- a statement run through the session (`update(Model)...`, `delete(...)`) cannot say which
  rows it touched: it bumps the wildcard of each kind its model registered
  (`register(Model, ..., bulk=(...))`), e.g. `consultation:*`, on which every
  `consultation:<id>` page depends too;
- anything else that writes (an unregistered model or table, raw SQL) bumps `site`, on
  which every page depends.

The bumps are written once per transaction, just before its commit, in the scopes' order
(two transactions never wait for each other in a cycle), and only then: the row locks last
as little as the commit. A reader reads the versions before the data (`current()`), so what
it computes is at least as new as those versions: a page stored under them never shows less
than a write acknowledged before the request began, in any worker or instance.

Writes that bypass the session (psql by hand) are not seen; cached entries also expire
(`PAGE_CACHE_SECONDS`), which bounds how long such a write can stay unseen.
"""

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from flask import current_app, g, has_app_context, has_request_context
from flask_login import current_user
from sqlalchemy import BigInteger, String, event, inspect, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.util import identity_key

from engage.extensions import Model, db

SITE = "site"  # every page depends on it: names, associations, themes, settings
CONSULTATIONS = "consultations"  # the list of consultations and what its cards count
CONTRIBUTIONS = "contributions"  # any contribution's text or visibility: search, API
SUPPORTS = "supports"  # any support given or withdrawn: the API's support counts
SUMMARIES = "summaries"  # published summaries: the home page, the lists
EXERCISES = "exercises"  # the list of priority exercises
CALLS = "calls"  # the list of funding calls
MODERATION = "moderation"  # the moderation queue and its count in the menu
# What the network did (commitments and funded projects): the home page, a contribution's
# chain, the record's pages.
COMMITMENTS = "commitments"
WILDCARD = "*"
LISTS = (SITE, CONSULTATIONS, CONTRIBUTIONS, SUPPORTS, SUMMARIES, EXERCISES, CALLS, MODERATION,
         COMMITMENTS)
EXPLICIT = "version_scopes"  # an execution option: the scopes a statement changes
_TOUCHED = "versions_touched"  # in Session.info: the scopes this transaction changed
_WROTE = "versions_wrote"  # in Session.info: this transaction wrote (even to no scope)
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|TRUNCATE|MERGE|COPY)\b", re.IGNORECASE)


class CacheVersion(Model):
    __tablename__ = "cache_versions"

    scope: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def of(kind: str, identity: int | None) -> str:
    """The scope of one consultation, exercise, call or person: `of("consultation", 12)`."""
    return f"{kind}:{identity if identity is not None else WILDCARD}"


def consultation(identity: int | None) -> str:
    return of("consultation", identity)


def exercise(identity: int | None) -> str:
    return of("exercise", identity)


def call(identity: int | None) -> str:
    return of("call", identity)


def user(identity: int | None) -> str:
    return of("user", identity)


ScopesOf = Callable[[Any], Iterable[str | None]]
_scopes_of: dict[type, ScopesOf] = {}
_bulk_scopes: dict[str, tuple[str, ...]] = {}  # table name -> scopes of a bulk statement
_quiet_tables: set[str] = set()  # tables no page shows (the outbox, sessions...)


def register(model: type, scopes_of: ScopesOf, bulk: Iterable[str] = ()) -> None:
    """`scopes_of(obj)`: the scopes a change of `obj` touches; `bulk`: those of a statement
    on the model's table (wildcards or lists). Called by the areas' `init_app`."""
    _scopes_of[model] = scopes_of
    _bulk_scopes[inspect(model).local_table.name] = tuple(bulk) or (SITE,)


def register_table(table, bulk: Iterable[str]) -> None:
    """A table without a model of its own (a many-to-many link): the scopes of a statement
    on it. Its changes through a relationship show as a change of the objects it links."""
    _bulk_scopes[table.name] = tuple(bulk)


def register_quiet(*tables) -> None:
    """Tables that no cached page or figure reads: writing them bumps nothing."""
    _quiet_tables.update(getattr(t, "__tablename__", None) or t.name for t in tables)


def column_of(statement) -> Any:
    """One value read for a scope function (the consultation of a support...): `statement`
    selects it, without flushing (scope functions run inside a flush)."""
    with db.session.no_autoflush:
        return db.session.execute(statement).scalar()


def attribute_of(model: type, identity, name: str) -> Any:
    """`model`'s `name` for the row `identity`: from the session when it holds the object
    (no query: a service that changes many rows has them loaded), else read."""
    if identity is None:
        return None
    loaded: Any = db.session.identity_map.get(identity_key(model, identity))
    if loaded is not None and name in loaded.__dict__:
        return loaded.__dict__[name]
    column = getattr(model, name)
    return column_of(select(column).where(inspect(model).primary_key[0] == identity))


def is_registered(model: type) -> bool:
    return model in _scopes_of or getattr(model, "__tablename__", None) in _quiet_tables


def registered_tables() -> set[str]:
    return set(_bulk_scopes) | _quiet_tables


def wrote_in_transaction(session: Any) -> bool:
    """Whether the session's transaction has written (or is about to): what it reads then
    includes rows nobody else sees yet."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def touch(session: Any, *scopes: str) -> None:
    """Mark scopes as changed by the session's transaction (for writes no flush shows)."""
    session.info[_WROTE] = True
    session.info.setdefault(_TOUCHED, set()).update(scopes)


def _scopes_of_object(obj) -> Iterable[str | None]:
    for model in type(obj).__mro__:
        scopes_of = _scopes_of.get(model)
        if scopes_of is not None:
            return scopes_of(obj)
    table = getattr(type(obj), "__tablename__", None)
    return () if table in _quiet_tables else (SITE,)


_inserted: ContextVar[frozenset] = ContextVar("versions_inserted", default=frozenset())


def inserted(obj) -> bool:
    """Within a scope function: whether `obj` is new (not shown anywhere yet)."""
    return id(obj) in _inserted.get()


def _after_flush(session: Session, _context) -> None:
    changed = [*session.new, *session.deleted,
               *(obj for obj in session.dirty if session.is_modified(obj))]
    if not changed:
        return
    session.info[_WROTE] = True
    scopes = session.info.setdefault(_TOUCHED, set())
    reset = _inserted.set(frozenset(id(obj) for obj in session.new))
    try:
        with session.no_autoflush:
            for obj in changed:
                scopes.update(s for s in _scopes_of_object(obj) if s is not None)
    finally:
        _inserted.reset(reset)


def _statement_scopes(orm_execute_state) -> Iterable[str]:
    statement = orm_execute_state.statement
    table = getattr(statement, "table", None)
    name = getattr(table, "name", "")
    if name in _quiet_tables:
        return ()
    return _bulk_scopes.get(name, (SITE,))


def changing(*scopes: str) -> dict:
    """Execution options of a statement whose changes are known to stay within `scopes`
    (`stmt.execution_options(**versions.changing(...))`): narrower than its table's
    wildcards."""
    return {EXPLICIT: tuple(scopes)}


def _do_orm_execute(orm_execute_state) -> None:
    state = orm_execute_state
    explicit = state.execution_options.get(EXPLICIT)
    if explicit is not None:
        touch(state.session, *explicit)
    elif state.is_update or state.is_delete or state.is_insert:
        touch(state.session, *_statement_scopes(state))
    elif not state.is_select and _WRITE.match(str(state.statement)):
        touch(state.session, SITE)  # raw SQL that writes: which rows, nobody knows


def _kept_anywhere() -> bool:
    """Whether this application keeps pages or figures: one with both caches off (the
    tests, by default) reads no version, so it writes none either. In one long test
    transaction the bumps of the same rows pile up versions that PostgreSQL cannot prune."""
    if not has_app_context():
        return True
    config = current_app.config
    return any(config.get(name) != 0 and (config.get(name) is not None or not current_app.testing)
               for name in ("PAGE_CACHE_SECONDS", "AGGREGATE_CACHE_SECONDS"))


def _before_commit(session: Session) -> None:
    if session.info.get(_TOUCHED) is None and not (session.new or session.dirty
                                                   or session.deleted):
        return
    if not _kept_anywhere():
        session.info.pop(_TOUCHED, None)
        return
    session.flush()  # the objects still pending say which scopes they touch
    scopes = sorted(session.info.pop(_TOUCHED, ()))
    if scopes:
        _bump(session, scopes)


def _forget(session: Session, transaction) -> None:
    # At the end of the outermost transaction only: a savepoint rolled back leaves the
    # writes made before it, whose scopes must still be bumped.
    if transaction.parent is None:
        session.info.pop(_TOUCHED, None)
        session.info.pop(_WROTE, None)


def _bump(session: Session, scopes: list[str]) -> None:
    # One statement for all; the sorted order takes the row locks in the same order in
    # every transaction. INSERT … ON CONFLICT exists in PostgreSQL and in SQLite ≥ 3.24.
    params = {f"s{i}": scope for i, scope in enumerate(scopes)}
    rows = ", ".join(f"(:s{i}, 1)" for i in range(len(scopes)))
    # On the connection, not through the session: no event sees it as a write to record.
    session.connection().execute(text(
        f"INSERT INTO cache_versions (scope, version) VALUES {rows} "  # noqa: S608 - placeholders only
        "ON CONFLICT (scope) DO UPDATE SET version = cache_versions.version + 1"), params)


def _with_wildcards(scopes: Iterable[str]) -> list[str]:
    wanted = {SITE}
    for scope in scopes:
        wanted.add(scope)
        kind, _sep, identity = scope.partition(":")
        if identity and identity != WILDCARD:
            wanted.add(of(kind, None))
    return sorted(wanted)


def _reader_scopes() -> list[str]:
    if has_request_context() and current_user.is_authenticated:
        return [user(current_user.id), user(None)]
    return []


def current(scopes: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """The versions of `scopes` (with `site` and their kinds' wildcards), read once per
    request and kept for its rest: read before the data they describe."""
    wanted = _with_wildcards(scopes)
    known = g.setdefault("versions_read", {}) if has_request_context() else {}
    missing = [scope for scope in wanted if scope not in known]
    if missing and not known:  # the first read of the request: what later ones will want
        missing = sorted({*missing, *LISTS, *_reader_scopes()})
    if missing:
        read = dict(db.session.execute(
            select(CacheVersion.scope, CacheVersion.version)
            .where(CacheVersion.scope.in_(missing))).all())
        known.update({scope: read.get(scope, 0) for scope in missing})
    return tuple((scope, known[scope]) for scope in wanted)


def init_app(app) -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_transaction_end", _forget)
