"""Sign-in sessions: a fresh session at sign-in, idle expiry for privileged roles."""

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

LAST_ACTIVE = "last_active"


def start_session(user, remember: bool = False) -> None:
    """Sign `user` in with a new session: nothing from before sign-in is carried over."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user, remember=remember)
    session[LAST_ACTIVE] = int(time.time())


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
            logout_user()
            session.pop(LAST_ACTIVE, None)
            flash(_("For your security, you were signed out after a period of inactivity."),
                  "info")
            return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
        session[LAST_ACTIVE] = now
        return None
