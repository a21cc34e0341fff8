"""Route guards. Object-level checks live in each area's permissions.py."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from engage.accounts.models import Role


def role_required(role: Role):
    """Signed in (else redirect to sign-in) and holding `role` or above (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


moderator_required = role_required(Role.MODERATOR)
admin_required = role_required(Role.ADMIN)
