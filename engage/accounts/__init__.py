"""Accounts: users, roles, associations and who represents them."""

from flask import Flask


def init_app(app: Flask) -> None:
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
    """Who is signed in: the session names the user and the version of their sessions."""
    from flask_babel import lazy_gettext as _l

    from engage.accounts.models import User
    from engage.extensions import db, login_manager

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version):
            return None
        return user
