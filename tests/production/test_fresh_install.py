"""A production install starts from an empty PostgreSQL database through the README's steps
(`make serve` with DATABASE_URL, SECRET_KEY, ENGAGE_BASE_URL and ENGAGE_ENV=production),
and again after an upgrade brings a new migration; the server alone refuses a database with
pending migrations.

What only prepares or inspects the database (undoing the last migration, reading which
revision it is at) is done with Alembic in this process: a `flask` process for each cost
seconds of importing the app. The README's steps and the server run as processes."""

import os
import signal
import subprocess
import urllib.request
from contextlib import contextmanager

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade

from engage.extensions import db
from tests.conftest import (
    TEST_DATABASE_URL,
    build_app,
    create_postgresql_database,
    missing,
    worker_database_name,
)
from tests.production.conftest import BIN, PROJECT, free_port, wait_for
from tests.production.http import Browser


@pytest.fixture
def production_env(tmp_path):
    if not TEST_DATABASE_URL:
        missing("TEST_DATABASE_URL is not set: the production install is not tested")
    database = create_postgresql_database(worker_database_name("_fresh"))
    port = free_port()
    return {
        **os.environ,
        "ENGAGE_ENV": "production",
        "ENGAGE_BASE_URL": f"http://127.0.0.1:{port}",
        "SECRET_KEY": "a long random secret key for the fresh install test",
        "DATABASE_URL": database,
        "ENGAGE_INSTANCE_PATH": str(tmp_path / "instance"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": "",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "1",
    }


def serve(env, log):
    """`make serve`, as the README says; its own process group, to stop gunicorn too."""
    return subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=PROJECT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def readyz(env) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/readyz",
                                timeout=5) as response:
        return response.status


@contextmanager
def install_database(env):
    """An application context on the install's database (DATABASE_URL)."""
    app = build_app(env["DATABASE_URL"])
    try:
        with app.app_context():
            yield
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def applied_and_heads(env) -> tuple[set, set]:
    """The revisions the database is at, and the heads of migrations/ (`flask db current`
    says "(head)" when they are the same)."""
    with install_database(env), db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return applied, set(ScriptDirectory(str(PROJECT / "migrations")).get_heads())


def test_the_readme_steps_start_on_an_empty_database_and_after_an_upgrade(production_env,
                                                                           tmp_path):
    env = production_env
    with open(tmp_path / "first.log", "wb") as log:
        server = serve(env, log)
        try:
            wait_for(f"http://127.0.0.1:{env['PORT']}/readyz")
            assert readyz(env) == 200
            # Served for its own host (ENGAGE_BASE_URL's) only; probes name any host.
            site = env["ENGAGE_BASE_URL"]
            assert Browser().get(f"{site}/en/").status == 200
            refused = Browser().get(f"{site}/en/", headers={"Host": "evil.example"})
            assert refused.status == 400 and "could not be understood" in refused.text
            assert Browser().get(f"{site}/readyz", headers={"Host": "web:8000"}).status == 200
        finally:
            stop(server)

    # An upgrade brings a migration the database does not have yet (here: the last one
    # undone). The server alone refuses to start on it...
    with install_database(env):
        downgrade(revision="-1")  # `flask db downgrade`: one revision back
    applied, heads = applied_and_heads(env)
    assert applied and applied.isdisjoint(heads), (applied, heads)
    refused = subprocess.run(
        [str(BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{env['PORT']}",
         "wsgi:app"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "pending migrations" in refused.stdout + refused.stderr

    # ...while the README's steps apply it and serve.
    with open(tmp_path / "second.log", "wb") as log:
        server = serve(env, log)
        try:
            wait_for(f"http://127.0.0.1:{env['PORT']}/readyz")
            assert readyz(env) == 200
        finally:
            stop(server)
    applied, heads = applied_and_heads(env)
    assert applied == heads, (applied, heads)
