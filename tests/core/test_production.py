"""Production mode refuses unsafe settings; health checks; JSON logs.

The tests that need a database the migrations built get a copy of one (`migrated`): running
the migrations took seconds each time."""

import json
import logging
import shutil

import pytest
from flask_migrate import upgrade

from engage import create_app, refuse_pending_migrations
from engage.core.logs import JsonFormatter
from engage.extensions import db
from tests.conftest import build_app, reset_database

STRONG_KEY = "k" * 40
SITE = "https://engage.example.org"


def production(tmp_path, **overrides):
    config = {"ENV_NAME": "production", "SECRET_KEY": STRONG_KEY,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
              "ALLOW_SQLITE_IN_PRODUCTION": True, "BASE_URL": SITE, **overrides}
    return create_app(config)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """An SQLite database built from empty by `flask db upgrade` in a production app (which
    does not refuse to start on it, as the server would)."""
    folder = tmp_path_factory.mktemp("migrated")
    app = production(folder)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return folder / "p.sqlite3"


@pytest.mark.parametrize("key", ["", "change-me", "short"])
def test_production_needs_a_real_secret_key(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        production(tmp_path, SECRET_KEY=key)


def test_production_refuses_sqlite_without_override(tmp_path):
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        production(tmp_path, ALLOW_SQLITE_IN_PRODUCTION=False)


def test_production_needs_the_site_address(tmp_path, monkeypatch):
    monkeypatch.delenv("ENGAGE_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="Set ENGAGE_BASE_URL in production"):
        production(tmp_path, BASE_URL="")
    with pytest.raises(RuntimeError, match="Set ENGAGE_BASE_URL in production"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": STRONG_KEY,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
                    "ALLOW_SQLITE_IN_PRODUCTION": True})


@pytest.mark.parametrize("address", ["engage.example.org", "ftp://engage.example.org",
                                     "https://", "https://engage.example.org/?x=1"])
def test_the_site_address_must_be_one(tmp_path, address):
    with pytest.raises(RuntimeError, match="must be the site's address"):
        production(tmp_path, BASE_URL=address)


@pytest.mark.parametrize("proxies", [["not-an-address"], ["10.0.0.0/33"]])
def test_trusted_proxies_must_be_addresses_or_networks(tmp_path, proxies):
    with pytest.raises(RuntimeError, match="ENGAGE_TRUSTED_PROXIES"):
        production(tmp_path, TRUSTED_PROXIES=proxies)


def test_production_answers_its_own_hosts_only(tmp_path, monkeypatch, migrated):
    """The site's host (from ENGAGE_BASE_URL) and ENGAGE_TRUSTED_HOSTS are served; any other
    Host gets the translated 400 page; the health checks answer whatever the host."""
    monkeypatch.setenv("ENGAGE_BASE_URL", "https://Engage.Example.org/")
    monkeypatch.setenv("ENGAGE_TRUSTED_HOSTS", "www.engage.example.org, .engage.example.net")
    config = {"ENV_NAME": "production", "SECRET_KEY": STRONG_KEY,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
              "ALLOW_SQLITE_IN_PRODUCTION": True}
    shutil.copyfile(migrated, tmp_path / "p.sqlite3")
    app = create_app(config)
    assert app.config["BASE_URL"] == "https://Engage.Example.org"
    client = app.test_client()
    for host in ("engage.example.org", "engage.example.org:443", "www.engage.example.org",
                 "fr.engage.example.net"):
        assert client.get("/en/", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "engage.example.org.evil.example", "localhost"):
        refused = client.get("/en/", headers={"Host": host})
        assert refused.status_code == 400, host
        assert "The request could not be understood" in refused.text
        assert "Strict-Transport-Security" in refused.headers
    french = client.get("/fr/consultations/", headers={"Host": "evil.example"})
    assert french.status_code == 400 and "La demande n’a pas pu être comprise" in french.text
    # Probes call an instance by its own address (the image, the proxy, an orchestrator).
    for host in ("127.0.0.1:8000", "web:8000", "10.0.3.7"):
        assert client.get("/healthz", headers={"Host": host}).status_code == 200
        assert client.get("/readyz", headers={"Host": host}).json["status"] == "ready"


def test_production_serves_no_database_with_pending_migrations(tmp_path, migrated):
    """The server refuses; the app that runs `flask db upgrade` does not (`migrated`)."""
    app = production(tmp_path)  # what `flask db upgrade` builds, on an empty database
    with pytest.raises(RuntimeError, match="pending migrations"):
        refuse_pending_migrations(app)
    with app.app_context():
        db.engine.dispose()
    shutil.copyfile(migrated, tmp_path / "p.sqlite3")  # the same database, upgraded
    refuse_pending_migrations(app)  # nothing pending: served
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/en/")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_reports_pending_migrations(client):
    # The test database is built by create_all, not by migrations.
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "migrations": "pending"}


def test_readyz_when_ready(tmp_path, migrated):
    shutil.copyfile(migrated, tmp_path / "r.sqlite3")
    app = build_app(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"


def test_readyz_when_redis_is_unreachable(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'r.sqlite3'}", REDIS_URL="redis://127.0.0.1:1/0")
    reset_database(app)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"] == "unreachable"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


def test_json_logs_hold_no_personal_data(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'l.sqlite3'}", JSON_LOGS=True)
    reset_database(app)
    collector = Collect()
    access = logging.getLogger("engage.access")
    access.addHandler(collector)
    try:
        response = app.test_client().get("/en/account/sign-in?email=secret@example.org",
                                         headers={"X-Request-Id": "abc123"})
    finally:
        access.removeHandler(collector)
    assert response.headers["X-Request-Id"] == "abc123"
    [line] = collector.lines
    assert line["route"] == "/<lang_code>/account/sign-in"
    assert line["status"] == 200 and line["request_id"] == "abc123"
    assert line["duration_ms"] >= 0
    assert "secret@example.org" not in json.dumps(line)
