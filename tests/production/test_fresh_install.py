"""A production install starts from an empty PostgreSQL database through the README's steps
(`make serve` with DATABASE_URL, SECRET_KEY, ENGAGE_BASE_URL and ENGAGE_ENV=production),
and again after an upgrade brings a new migration; the server alone refuses a database with
pending migrations."""

import os
import signal
import subprocess
import urllib.request

import pytest

from tests.conftest import (
    TEST_DATABASE_URL,
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


def flask(env, *args):
    return subprocess.run([str(BIN / "flask"), "--app", "engage", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120)


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
    downgraded = flask(env, "db", "downgrade")  # one revision back
    assert downgraded.returncode == 0, downgraded.stderr
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
    current = flask(env, "db", "current")
    assert current.returncode == 0 and "(head)" in current.stdout, current.stdout
