"""The public pages: home, about, privacy, accessibility, legal notice."""


def init_app(app) -> None:
    from engage.pages.routes import bp

    app.register_blueprint(bp)
