"""Signed, expiring links sent by email."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from engage.accounts.models import User
from engage.extensions import db

CONFIRM_EMAIL = "confirm-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a token purpose, not a secret


class InvalidToken(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"engage-{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    # A reset link dies once the password changes.
    return user.password_hash[-12:] if purpose == RESET_PASSWORD else ""


def make_token(user: User, purpose: str, email: str | None = None) -> str:
    """`email`: for a confirmation, the address the link confirms."""
    payload = {"id": user.id, "f": _fingerprint(user, purpose), "email": email}
    return _serializer(purpose).dumps(payload)


def read_token(token: str, purpose: str, max_age: int) -> tuple[User, str | None]:
    """The user the link was made for and the address it confirms, or InvalidToken."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidToken(expired=True) from error
    except BadSignature as error:
        raise InvalidToken(expired=False) from error
    if not isinstance(data, dict):
        raise InvalidToken(expired=False)
    user = db.session.get(User, data.get("id")) if isinstance(data.get("id"), int) else None
    if user is None or data.get("f") != _fingerprint(user, purpose):
        raise InvalidToken(expired=False)
    return user, data.get("email")


# Invitations: an administrator creates the account, its owner sets the password. The link
# names the account and the end of its current (random, unknown) password hash: a link sent
# again replaces that hash, and accepting sets the password, so each link works once.
INVITATION = "invitation"


def _invitation_fingerprint(user: User) -> str:
    return user.password_hash[-12:]


def make_invitation_token(user: User) -> str:
    return _serializer(INVITATION).dumps({"id": user.id, "f": _invitation_fingerprint(user)})


def read_invitation_token(token: str, max_age: int) -> User:
    """The invited account the link was made for, while it waits; else InvalidToken."""
    try:
        data = _serializer(INVITATION).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidToken(expired=True) from error
    except BadSignature as error:
        raise InvalidToken(expired=False) from error
    user_id = data.get("id") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_invited or user.is_deactivated \
            or data.get("f") != _invitation_fingerprint(user):
        raise InvalidToken(expired=False)
    return user
