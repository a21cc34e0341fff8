"""Accounts: users, roles, associations and who represents them."""


def init_app(app) -> None:
    from engage.accounts import (
        models,  # noqa: F401 - the tables, for the metadata
        personal_data,
    )
    from engage.accounts.routes import bp, public, settings  # noqa: F401 - their routes
    from engage.core import registry

    app.register_blueprint(bp)
    personal_data.register(registry.of(app))
