"""The Dockerfile, compose.yaml and Caddyfile agree with the app. (No Docker engine runs the
test suite: these check what can be checked without building the image.)"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = (ROOT / "compose.yaml").read_text()
CADDYFILE = (ROOT / "deploy" / "Caddyfile").read_text()


def test_the_image_gets_no_local_data_secrets_or_environment():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    # instance/ holds the development secret key, the SQLite database and the uploads.
    assert {".git", ".venv", "instance", ".env"} <= ignored


def test_what_the_dockerfile_copies_and_runs_exists():
    for source in re.findall(r"^COPY (\S+) ", DOCKERFILE, re.MULTILINE):
        if source != ".":
            assert (ROOT / source).exists(), source
    assert (ROOT / "deploy" / "gunicorn.conf.py").is_file()
    assert (ROOT / "wsgi.py").is_file()
    assert 'CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "wsgi:app"]' in DOCKERFILE


@pytest.mark.parametrize("command", re.findall(r'command: \["flask", "--app", "engage", ([^\]]+)\]',
                                                COMPOSE))
def test_the_commands_of_compose_exist(app, command):
    words = [word.strip().strip('"') for word in command.split(",")]
    result = app.test_cli_runner().invoke(args=[*words, "--help"])
    assert result.exit_code == 0, (words, result.output)


def test_the_settings_compose_gives_are_read_by_the_app():
    config_source = "".join((ROOT / path).read_text() for path in (
        "engage/config.py", "engage/__init__.py", "deploy/gunicorn.conf.py"))
    app_block = COMPOSE.split("services:")[0]
    names = re.findall(r"^    ([A-Z_]+):", app_block, re.MULTILINE)
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ENGAGE_ENV"} <= set(names)
    for name in names:
        assert f'"{name}"' in config_source, name


def test_the_health_checks_the_proxy_and_the_image_use_answer(app, client):
    paths = set(re.findall(r"(/(?:healthz|readyz))", DOCKERFILE + CADDYFILE))
    assert paths == {"/healthz", "/readyz"}
    assert client.get("/healthz").status_code == 200
    # The test database is built without the migrations: /readyz says so, and why.
    ready = client.get("/readyz")
    assert ready.status_code in (200, 503) and ready.json["checks"]["database"] == "ok"
    assert "ENGAGE_DOMAIN" in CADDYFILE and "ENGAGE_DOMAIN" in COMPOSE

