"""Background jobs: inline without Redis; RQ with retries and dead letters with it."""

import os

import pytest

from engage.core import jobs
from engage.core.outbox import OutboxMessage, OutboxStatus
from engage.extensions import db
from tests.conftest import build_app, missing, redis_url, reset_database
from tests.helpers import csrf_token

CALLS = []


def record(value):
    CALLS.append(value)
    return value * 2


def always_fails():
    raise RuntimeError("the report could not be built")


def test_without_redis_jobs_run_at_once(app):
    CALLS.clear()
    with app.app_context():
        assert jobs.enqueue("tests.core.test_jobs:record", 21) == 42
    assert CALLS == [21]


@pytest.fixture
def redis_app(tmp_path):
    url = redis_url()
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        missing("Redis is not reachable: background jobs not tested")
    database = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    app = build_app(database, REDIS_URL=url)
    reset_database(app)
    # The worker runs jobs in the app it is started with; `flask engage worker` reads the
    # environment: point it at the same database.
    previous = {k: os.environ.get(k) for k in ("DATABASE_URL", "REDIS_URL", "ENGAGE_ENV")}
    os.environ.update(DATABASE_URL=database, REDIS_URL=url, ENGAGE_ENV="development")
    jobs._worker_app = None
    yield app
    jobs._worker_app = None
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    redis.Redis.from_url(url).flushdb()


def test_emails_are_sent_by_the_worker(redis_app):
    from tests.factories.users import Factory

    Factory(redis_app).user(email="queued@example.org", language="en")
    client = redis_app.test_client()
    page = client.get("/en/account/password/forgotten")
    client.post("/en/account/password/forgotten",
                data={"email": "queued@example.org", "csrf_token": csrf_token(page)})
    # Queued twice would still be one job: the job id is fixed while it waits.
    with redis_app.test_request_context():
        jobs.enqueue("engage.core.outbox:deliver_pending", job_id="deliver-outbox")
        assert len(jobs.queue()) == 1
    with redis_app.app_context():
        assert db.session.scalar(db.select(OutboxMessage.status)) == OutboxStatus.QUEUED
        jobs.work(burst=True)
        db.session.expire_all()
        assert db.session.scalar(db.select(OutboxMessage.status)) == OutboxStatus.LOGGED


def test_failed_jobs_are_retried_then_shown_to_admins(redis_app, monkeypatch):
    from engage.accounts.models import Role
    from tests.factories.users import Factory
    from tests.helpers import Auth

    monkeypatch.setattr(jobs, "RETRY_INTERVALS", [0])
    with redis_app.app_context():
        job = jobs.enqueue("tests.core.test_jobs:always_fails")
        jobs.work(burst=True)  # first try
        jobs.work(burst=True)  # the retry
        [failed] = jobs.failed_jobs()
        assert failed.id == job.id
    client = redis_app.test_client()
    auth = Auth(redis_app, client, Factory(redis_app))
    auth.sign_in_as(role=Role.ADMIN, language="en")
    page = client.get("/en/admin/jobs")
    assert "tests.core.test_jobs:always_fails" in page.text
    assert "RuntimeError" in page.text
    client.post(f"/en/admin/jobs/{job.id}", data={"action": "delete",
                                                  "csrf_token": csrf_token(page)})
    with redis_app.app_context():
        assert jobs.failed_jobs() == []


def test_admin_jobs_page_without_redis(client, auth):
    from engage.accounts.models import Role

    auth.sign_in_as(role=Role.ADMIN, language="en")
    assert "No Redis server is configured" in client.get("/en/admin/jobs").text
