"""Administration: users, roles, associations and representation requests."""


def init_app(app) -> None:
    from engage.admin.routes import bp

    app.register_blueprint(bp)
