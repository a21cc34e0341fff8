"""Cached aggregates: reused while nothing is written, forgotten after any write or in time."""

import pytest
from sqlalchemy import func, select, text

from engage.accounts.models import User
from engage.core import aggregate_cache
from engage.extensions import db


@pytest.fixture(autouse=True)
def _cache_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 30)


def _count_users(calls):
    calls.append(1)
    return db.session.scalar(select(func.count()).select_from(User))


def test_a_value_is_reused_until_something_is_written(app, factory):
    calls = []
    with app.app_context():
        aggregate_cache.forget_all()
        assert aggregate_cache.remember("users", lambda: _count_users(calls)) == 0
        assert aggregate_cache.remember("users", lambda: _count_users(calls)) == 0
        assert len(calls) == 1
    factory.user()  # an INSERT and a commit through the same engine
    with app.app_context():
        assert aggregate_cache.remember("users", lambda: _count_users(calls)) == 1
        assert len(calls) == 2


def test_reading_does_not_forget(app):
    calls = []
    with app.app_context():
        aggregate_cache.forget_all()
        aggregate_cache.remember("users", lambda: _count_users(calls))
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        aggregate_cache.remember("users", lambda: _count_users(calls))
    assert len(calls) == 1


def test_values_expire(app, monkeypatch):
    calls = []
    with app.app_context():
        aggregate_cache.forget_all()
        aggregate_cache.remember("users", lambda: _count_users(calls))
        monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 0.000001)
        aggregate_cache.remember("users", lambda: _count_users(calls))
        monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 0)
        aggregate_cache.remember("users", lambda: _count_users(calls))
    assert len(calls) == 3


def test_what_a_rolled_back_write_showed_is_forgotten(app):
    calls = []
    with app.app_context():
        aggregate_cache.forget_all()
        db.session.add(User(email="gone@example.org", display_name="Gone", password_hash="x",
                            privacy_consent_at=func.now()))
        db.session.flush()
        assert aggregate_cache.remember("users", lambda: _count_users(calls)) == 1
        db.session.rollback()
        assert aggregate_cache.remember("users", lambda: _count_users(calls)) == 0
    assert len(calls) == 2
