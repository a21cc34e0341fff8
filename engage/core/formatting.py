"""Jinja filters: dates and numbers in the reader's locale."""

from functools import lru_cache

from flask import Flask
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_timezone,
)

# Pages show the same dates and numbers on every view, sometimes hundreds of them: each
# process keeps the recent results (formatting one with Babel costs tens of microseconds).
# The locale and the time zone are part of the key.
_FORMATTERS = {
    "date": format_date,
    "datetime": format_datetime,
    "number": format_decimal,
    "percent": format_percent,
}


@lru_cache(maxsize=16384, typed=True)  # typed: 1 and 1.0 are told apart
def _formatted(kind: str, value, fmt, locale: str, timezone: str) -> str:
    if fmt is None:
        return _FORMATTERS[kind](value)
    return _FORMATTERS[kind](value, fmt)


def _formatter(kind: str, default_format=None, empty=lambda value: not value):
    def format_value(value, fmt=default_format):
        if empty(value):
            return ""
        return _formatted(kind, value, fmt, str(get_locale()), str(get_timezone()))

    return format_value


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=_formatter("date", "long"),
        datetime=_formatter("datetime", "medium"),
        number=_formatter("number", empty=lambda value: value is None),
        percent=_formatter("percent", empty=lambda value: value is None),
    )
