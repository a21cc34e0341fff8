"""Jinja filters: dates and numbers in the reader's locale."""

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_percent


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=lambda value, fmt="long": format_date(value, fmt) if value else "",
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "",
        number=lambda value: format_decimal(value) if value is not None else "",
        percent=lambda value: format_percent(value) if value is not None else "",
    )
