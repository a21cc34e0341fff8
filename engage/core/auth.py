"""Route guards. Object-level checks live in each area's permissions.py.

Core knows no area: the guards ask the signed-in user (accounts' `User`) what it may do,
through its `is_moderator` and `is_admin` properties."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required


def user_required(allowed: Callable[[Any], bool]):
    """Signed in (else redirect to sign-in) and `allowed(current_user)` (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


moderator_required = user_required(lambda user: user.is_moderator)
admin_required = user_required(lambda user: user.is_admin)
