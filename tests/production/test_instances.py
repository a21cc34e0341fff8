"""Two app processes behind no proxy at all: shared sessions, limits, jobs; recovery."""

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.production.conftest import PASSWORD, psycopg_url
from tests.production.http import Browser


def sign_in(browser, base):
    page = browser.get(f"{base}/en/account/sign-in")
    return browser.post(f"{base}/en/account/sign-in", {
        "email": "shared@example.org", "password": PASSWORD, "csrf_token": page.csrf_token()})


def test_a_session_signed_in_on_one_instance_works_on_the_other(instances):
    first, second = instances
    browser = Browser()
    assert sign_in(browser, first).status == 302
    assert browser.get(f"{second}/en/account/").status == 200
    # Signing out on the second ends the session for both.
    page = browser.get(f"{second}/en/")
    browser.post(f"{second}/en/account/sign-out", {"csrf_token": page.csrf_token()})
    assert browser.get(f"{first}/en/account/").status == 302


def test_rate_limits_are_shared(instances):
    first, second = instances
    statuses = []
    for attempt in range(7):
        base = instances[attempt % 2]
        browser = Browser()
        page = browser.get(f"{base}/en/account/sign-in")
        statuses.append(browser.post(f"{base}/en/account/sign-in", {
            "email": "nobody@example.org", "password": "wrong password here",
            "csrf_token": page.csrf_token()}).status)
    assert statuses == [401] * 6 + [429], statuses
    assert first != second


def test_a_job_queued_by_an_instance_runs_once(instances, instance_env, run_flask):
    first, _ = instances
    browser = Browser()
    page = browser.get(f"{first}/en/account/password/forgotten")
    for _ in range(2):  # asked twice: two emails, one delivery job while it waits
        browser.post(f"{first}/en/account/password/forgotten", {
            "email": "shared@example.org", "csrf_token": page.csrf_token()})
    url = psycopg_url(make_url(instance_env["DATABASE_URL"]))
    with psycopg.connect(url) as conn:
        queued = conn.execute("SELECT count(*) FROM outbox_messages WHERE status = 'queued'")
        assert queued.fetchone()[0] == 2
    result = run_flask("engage", "worker", "--burst")
    assert result.returncode == 0, result.stderr
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT status, attempts FROM outbox_messages").fetchall()
    assert rows == [("logged", 1), ("logged", 1)]


def test_instances_recover_when_database_connections_drop(instances, instance_env):
    """Every server connection is killed (as in a PostgreSQL restart): pool pre-ping
    replaces them and the next requests are served correctly."""
    first, second = instances
    browser = Browser()
    assert sign_in(browser, first).status == 302
    target = make_url(instance_env["DATABASE_URL"])
    admin = psycopg_url(target.set(database="postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        killed = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", (target.database,)
        ).fetchone()[0]
    assert killed >= 1
    for base in (first, second, first, second):
        response = browser.get(f"{base}/en/account/")
        assert response.status == 200
        assert "shared@example.org" in response.text
        assert browser.get(f"{base}/readyz").status == 200


@pytest.fixture(autouse=True)
def _flush_limits():
    import redis

    from tests.production.conftest import REDIS_URL

    yield
    redis.Redis.from_url(REDIS_URL).flushdb()
