"""Calendar days in the platform's time zone (timestamps are stored in UTC: core.db.utcnow)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Europe/Paris"


def local_timezone() -> ZoneInfo:
    """The platform's time zone: closing dates and deadlines are calendar days in it."""
    name = DEFAULT_TIMEZONE
    if has_app_context():
        name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", name)
    return ZoneInfo(name)


def local_today() -> date:
    """Today in the platform's time zone."""
    return datetime.now(local_timezone()).date()
