"""Real app processes (gunicorn) on PostgreSQL and Redis, as in production."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import (
    TEST_DATABASE_URL,
    create_postgresql_database,
    missing,
    redis_url,
    worker_database_name,
)

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("TEST_INSTANCES_REDIS_URL") or redis_url(1)
PASSWORD = "instances test password"
SIGN_IN_LIMIT = 3  # small: each failed sign-in takes a password hash's time
TRUSTED_PROXY = "127.0.0.1"
UNTRUSTED_PEER = "127.0.0.2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Generous: two instances start at once on a machine busy with the rest of the suite.
def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def psycopg_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def instances_database():
    if not TEST_DATABASE_URL:
        missing("TEST_DATABASE_URL is not set: multi-instance tests not run")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError:
        missing("Redis is not reachable: multi-instance tests not run")
    return create_postgresql_database(worker_database_name("_instances"))


@pytest.fixture(scope="session")
def instance_env(instances_database, tmp_path_factory):
    instance_path = tmp_path_factory.mktemp("instances")
    env = {
        **os.environ,
        "ENGAGE_ENV": "development",
        "SECRET_KEY": "a shared secret key for every instance of this test",
        "DATABASE_URL": instances_database,
        "REDIS_URL": REDIS_URL,
        "ENGAGE_INSTANCE_PATH": str(instance_path),
        "RATELIMIT_SIGN_IN": f"{SIGN_IN_LIMIT} per minute",
        "JSON_LOGS": "1",
        # The tests' own address stands for a reverse proxy; 127.0.0.2 is an ordinary peer.
        "ENGAGE_TRUSTED_PROXIES": TRUSTED_PROXY,
    }
    flask = [str(BIN / "flask"), "--app", "engage"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=PROJECT, check=True,
                   capture_output=True)
    subprocess.run([*flask, "engage", "create-user", "shared@example.org", "--language", "en",
                    "--password", PASSWORD], env=env, cwd=PROJECT, check=True,
                   capture_output=True)
    return env


@pytest.fixture(scope="session")
def instances(instance_env, tmp_path_factory):
    """Two gunicorn servers on two ports, same database and Redis. Each loads the app once
and forks its two workers from it (`--preload`, as deploy/gunicorn.conf.py does), rather
than importing it in each worker."""
    logs = tmp_path_factory.mktemp("logs")
    processes, urls = [], []
    for index in range(2):
        port = free_port()
        log = open(logs / f"instance{index}.log", "wb")  # noqa: SIM115 - closed at teardown
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--preload", "--bind",
             f"127.0.0.1:{port}", "wsgi:app"],
            env=instance_env, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        wait_for(f"{url}/healthz")
    yield urls
    for process, log in processes:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def run_flask(instance_env):
    def run(*args, timeout=60):
        return subprocess.run([str(BIN / "flask"), "--app", "engage", *args], env=instance_env,
                              cwd=PROJECT, capture_output=True, text=True, timeout=timeout)
    return run


def pg_ctl_available() -> bool:
    return shutil.which("pg_ctlcluster") is not None
