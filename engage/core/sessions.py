"""Sign-in sessions: a fresh session at each sign-in, ended on the server at sign-out, and
idle expiry for privileged roles.

Each sign-in is a row of `sign_in_sessions` under a random key. The Flask session and the
"remember me" cookie name the user and that key (`session_id`: Flask-Login stores what the
user's `get_id()` returns), and the user loader accepts them only while the row exists. So
signing out deletes the row, and a copy of either cookie opens nothing afterwards; signing
out everywhere, a new password and the deletion of the account delete all of a person's
rows (`end_all_sessions`).

The user object is the accounts area's: this module only needs its `id`, and sets its
`sign_in_session_key`, from which its `get_id()` builds the session id.
"""

import secrets
import time
from datetime import datetime

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.orm import Mapped, mapped_column

from engage.core import versions
from engage.core.db import AwareDateTime, rows_changed, utcnow
from engage.core.drafts import redirect_to_sign_in
from engage.extensions import Model, db

LAST_ACTIVE = "last_active"
KEY_BYTES = 32  # 43 characters once encoded


class SignInSession(Model):
    """One signed-in browser. Holds no more than the Flask-Login cookies already carry,
    and when the sign-in happened (technical data, gone at sign-out)."""

    __tablename__ = "sign_in_sessions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)


def session_id(user_id: int, key: str | None) -> str:
    """What the cookies carry: the user's id and the key of their sign-in session."""
    return f"{user_id}:{key or ''}"


def parse_session_id(value: str) -> tuple[int, str] | None:
    """(user id, session key) from a session id; None for anything else, such as the
    "<id>:<version>" ids of the sessions opened before keys existed."""
    user_id, _, key = value.partition(":")
    if not user_id.isdigit() or len(key) < KEY_BYTES:
        return None
    return int(user_id), key


def _current_key() -> str | None:
    if not current_user.is_authenticated:
        return None
    parsed = parse_session_id(current_user.get_id() or "")
    return parsed[1] if parsed else None


def _delete_current() -> None:
    key = _current_key()
    if key is not None:
        db.session.execute(delete(SignInSession).where(SignInSession.key == key)
                           .execution_options(**versions.changing(
                               versions.user(current_user.id))))


def start_session(user, remember: bool = False) -> None:
    """Sign `user` in with a new session: nothing from before sign-in is carried over, and
    the session this browser had (if any) ends."""
    _delete_current()
    key = secrets.token_urlsafe(KEY_BYTES)
    db.session.add(SignInSession(key=key, user_id=user.id))
    user.sign_in_session_key = key
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user, remember=remember)
    session[LAST_ACTIVE] = int(time.time())


def end_session() -> None:
    """Sign out this browser, on the server too: copies of its cookies stop working."""
    _delete_current()
    logout_user()


def end_all_sessions(user_id: int) -> None:
    """Sign a person out on every device (the current request's user stays loaded until
    the request ends)."""
    db.session.execute(delete(SignInSession).where(SignInSession.user_id == user_id)
                       .execution_options(**versions.changing(versions.user(user_id))))


def delete_sessions_started_before(moment: datetime) -> int:
    """Retention: sessions older than the longest-lived cookie can no longer be used."""
    return rows_changed(db.session.execute(
        delete(SignInSession).where(SignInSession.created_at < moment)))


def init_app(app: Flask) -> None:
    @app.before_request
    def expire_idle_privileged_sessions():
        if request.endpoint in (None, "static") or not current_user.is_authenticated:
            return None
        if not current_user.is_moderator:
            return None
        limit = current_app.config["PRIVILEGED_IDLE_MINUTES"] * 60
        now = int(time.time())
        last_active = session.get(LAST_ACTIVE, now)
        if now - last_active > limit:
            user_id = current_user.id
            end_session()
            session.pop(LAST_ACTIVE, None)
            flash(_("For your security, you were signed out after a period of inactivity."),
                  "info")
            # Back to the page after signing in, or to the text of a form sent too late.
            return redirect_to_sign_in(user_id)
        session[LAST_ACTIVE] = now
        return None
