"""Jinja filters: dates and numbers in the reader's locale.

One style per language throughout: dates in full ("14 mars 2026", "March 14, 2026"), and
a moment as that date with the hour ("14 mars 2026, 15:30", "March 14, 2026, 3:30 PM"), never
the numeric short forms ("3/14/26") whose order differs between languages.
"""

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


def _formatter(kind: str, style=None, empty=lambda value: not value):
    def format_value(value):
        if empty(value):
            return ""
        locale = get_locale()
        fmt = style(locale) if callable(style) else style
        return _formatted(kind, value, fmt, str(locale), str(get_timezone()))

    return format_value


def moments():
    """The `datetime` filter for the many moments of one page (a list of contributions shows
    a hundred): the locale and the time zone are read once, not for each."""
    locale = get_locale()
    fmt, locale_name, timezone = _moment_pattern(locale), str(locale), str(get_timezone())
    return lambda value: _formatted("datetime", value, fmt, locale_name, timezone) \
        if value else ""


@lru_cache(maxsize=16)
def _moment_pattern(locale) -> str:
    """The locale's long date with its short time, joined as the locale joins them."""
    joined = str(locale.datetime_formats["long"])
    return joined.replace("{1}", locale.date_formats["long"].pattern).replace(
        "{0}", locale.time_formats["short"].pattern)


def init_app(app: Flask) -> None:
    from engage.core import typography

    typography.init_app(app)
    app.jinja_env.filters.update(
        date=_formatter("date", "long"),
        datetime=_formatter("datetime", _moment_pattern),
        number=_formatter("number", empty=lambda value: value is None),
        percent=_formatter("percent", empty=lambda value: value is None),
    )
