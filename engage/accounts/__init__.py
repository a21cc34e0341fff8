"""Accounts: users, roles, associations and who represents them."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.accounts import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from engage.accounts import (
        models,  # noqa: F401 - the tables, for the metadata
        personal_data,
    )
    from engage.accounts.routes import bp, public, settings  # noqa: F401 - their routes
    from engage.core import registry

    app.register_blueprint(bp)
    personal_data.register(registry.of(app))
    _init_login()


def _init_login() -> None:
    """Who is signed in: the session (or the "remember me" cookie) names the user and their
    sign-in session, which must still exist (engage.core.sessions)."""
    from flask_babel import lazy_gettext as _l
    from sqlalchemy import select

    from engage.accounts.models import User
    from engage.core.sessions import SignInSession, parse_session_id
    from engage.extensions import db, login_manager

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        parsed = parse_session_id(session_id)
        if parsed is None:
            return None
        user_id, key = parsed
        # One query, on both primary keys.
        user = db.session.scalar(
            select(User).join(SignInSession, SignInSession.user_id == User.id)
            .where(SignInSession.key == key, User.id == user_id)
        )
        if user is not None:
            user.sign_in_session_key = key
        return user
