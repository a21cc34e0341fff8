"""The public pages: home, about, privacy, accessibility, legal notice."""


def init_app(app) -> None:
    from engage.pages.views import bp

    app.register_blueprint(bp)
