"""gunicorn hands long request lines to the app (deploy/gunicorn.conf.py), which answers
them with its own translated 414 page and the security headers (engage/core/bounds.py,
tests/core/test_error_paths.py); gunicorn's own 414 page has neither."""

import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config
from gunicorn.http.errors import LimitRequestLine
from gunicorn.http.parser import RequestParser

from engage.core.bounds import MAX_URL_LENGTH

SETTINGS = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
LONG_TARGET = "/en/consultations/?q=" + "a" * (2 * MAX_URL_LENGTH)


def _parsed_target(config: Config) -> str:
    request = f"GET {LONG_TARGET} HTTP/1.1\r\nHost: engage.example\r\n\r\n".encode()
    return next(iter(RequestParser(config, [request], ("127.0.0.1", 40000)))).uri


def test_the_deployed_settings_pass_long_request_lines_to_the_app():
    config = Config()
    for name, value in runpy.run_path(str(SETTINGS)).items():
        if name in config.settings:
            config.set(name, value)
    assert _parsed_target(config) == LONG_TARGET


def test_gunicorns_default_would_answer_them_itself():
    with pytest.raises(LimitRequestLine):
        _parsed_target(Config())
