"""Rate limits on writing and searching (Flask-Limiter): per account, or per address for
visitors.

    @bp.post("/<int:consultation_id>/contributions")
    @limited("RATELIMIT_CONTRIBUTE", CONTRIBUTE)
    @login_required
    def contribute(consultation_id): ...

Each limit is read from the settings at request time (`current_app.config[name]`, else the
default given), so that an install or a test can change it; several limits are separated by
";" ("20 per minute;200 per day"). A signed-in person is counted by account (`account_key`),
whatever the network: changing network does not get round the limit, and the people of one
shared network (a hospital, an association's office) each have their own. A visitor has no
account and is counted by IP address (the limiter's default key), which behind a reverse
proxy is the visitor's, not the proxy's (engage/core/proxy.py). Sign-in, registration and
password reset are limited by address and by the account asked for (engage/accounts).
Limits are stored where RATELIMIT_STORAGE_URI says (Redis when configured: shared by every
process). Going over answers 429 with the translated error page (engage.core.errors).
"""

from flask import current_app
from flask_login import current_user

from engage.extensions import limiter

# Defaults: generous for people, tight for scripts.
CONTRIBUTE = "20 per minute;200 per day"  # contributions, replies, priority questions, comments
REPORT = "10 per minute;50 per day"
SEARCH = "60 per minute;1000 per hour"


def account_key() -> str:
    """The signed-in account (the limit by account is not applied to visitors)."""
    return f"user:{current_user.id}"


def is_signed_in() -> bool:
    return bool(current_user.is_authenticated)


def is_visitor() -> bool:
    return not current_user.is_authenticated


def setting(name: str, default: str):
    """A callable giving the limit named `name` in the settings, else `default`."""

    def limit() -> str:
        return current_app.config.get(name) or default

    limit.__name__ = name.lower()
    return limit


def limited(name: str, default: str, methods=("POST",)):
    """Limit a view with the setting `name`: per account when signed in, per IP address
    for visitors."""
    value = setting(name, default)
    by_address = limiter.limit(value, methods=list(methods), exempt_when=is_signed_in)
    by_account = limiter.limit(value, methods=list(methods), key_func=account_key,
                               exempt_when=is_visitor)

    def decorate(view):
        return by_address(by_account(view))

    return decorate
