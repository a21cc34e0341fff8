"""Cached aggregates: kept under the versions of what they count (engage.core.versions), so
reused while that is unchanged and computed anew after any write to it, by any instance."""

import pytest
from sqlalchemy import func, select

from engage.accounts.models import User
from engage.core import aggregate_cache, shared_store, versions
from engage.extensions import db

SCOPES = [versions.user(None)]  # what the figure below counts: any person's rows


@pytest.fixture(autouse=True)
def _cache_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 30)
    shared_store.of(app).clear()  # the tables were emptied: versions start again from 0


def _count_users(calls):
    calls.append(1)
    return db.session.scalar(select(func.count()).select_from(User))


def _remembered(calls, scopes=SCOPES):
    return aggregate_cache.remember("users", lambda: _count_users(calls), scopes)


def test_a_value_is_reused_until_what_it_counts_changes(app, factory):
    calls = []
    with app.test_request_context():
        assert _remembered(calls) == 0
    with app.test_request_context():
        assert _remembered(calls) == 0
    assert len(calls) == 1
    with app.app_context():  # a write bumping the wildcard that `user:<id>` also bumps
        versions.touch(db.session, versions.user(None))
        db.session.commit()
    with app.test_request_context():
        assert _remembered(calls) == 0
    assert len(calls) == 2


def test_a_write_elsewhere_keeps_the_value(app):
    calls = []
    with app.test_request_context():
        _remembered(calls)
    with app.app_context():
        versions.touch(db.session, versions.consultation(12))
        db.session.commit()
    with app.test_request_context():
        _remembered(calls)
    assert len(calls) == 1


def test_values_expire(app, monkeypatch):
    calls = []
    with app.test_request_context():
        _remembered(calls)
    monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 0)
    with app.test_request_context():
        _remembered(calls)
    assert len(calls) == 2


def test_a_transaction_that_wrote_neither_keeps_nor_reads_a_kept_value(app):
    calls = []
    with app.test_request_context():
        assert _remembered(calls) == 0
    with app.test_request_context():
        db.session.add(User(email="gone@example.org", display_name="Gone", password_hash="x",
                            privacy_consent_at=func.now()))
        db.session.flush()
        assert _remembered(calls) == 1  # its own row, not the kept 0
        db.session.rollback()
    with app.test_request_context():
        assert _remembered(calls) == 0  # the rolled-back row was not kept for others
    assert len(calls) == 2
