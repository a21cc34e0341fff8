"""Administration: people (accounts, invitations, roles), associations and representation
requests."""


def init_app(app) -> None:
    from engage.admin import personal_data, users  # noqa: F401 - users: its routes
    from engage.admin.routes import bp
    from engage.core import registry

    app.register_blueprint(bp)
    personal_data.register(registry.of(app))
