"""Rate limits on writing and searching, by IP address and by account (Flask-Limiter).

    @bp.post("/<int:consultation_id>/contributions")
    @limited("RATELIMIT_CONTRIBUTE", CONTRIBUTE)
    @login_required
    def contribute(consultation_id): ...

Each limit is read from the settings at request time (`current_app.config[name]`, else the
default given), so that an install or a test can change it; several limits are separated by
";" ("20 per minute;200 per day"). Two counters are kept per route: one per IP address
(the limiter's default key), one per account (`account_key`): a person cannot get round the
limit by changing network, and a shared network is not blocked by one person. Limits are
stored where RATELIMIT_STORAGE_URI says (Redis when configured: shared by every process).
Going over answers 429 with the translated error page (engage.core.errors).
"""

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from engage.extensions import limiter

# Defaults: generous for people, tight for scripts.
CONTRIBUTE = "20 per minute;200 per day"  # contributions, replies, priority questions, comments
REPORT = "10 per minute;50 per day"
SEARCH = "60 per minute;1000 per hour"


def account_key() -> str:
    """The signed-in account; visitors by address (a key distinct from the IP counter's)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"visitor:{get_remote_address()}"


def setting(name: str, default: str):
    """A callable giving the limit named `name` in the settings, else `default`."""

    def limit() -> str:
        return current_app.config.get(name) or default

    limit.__name__ = name.lower()
    return limit


def limited(name: str, default: str, methods=("POST",)):
    """Limit a view by IP address and by account with the setting `name`."""
    value = setting(name, default)
    by_address = limiter.limit(value, methods=list(methods))
    by_account = limiter.limit(value, methods=list(methods), key_func=account_key)

    def decorate(view):
        return by_address(by_account(view))

    return decorate
