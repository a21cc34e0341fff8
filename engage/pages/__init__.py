"""The public pages: home, about, privacy, accessibility, legal notice; the site's icon."""


def init_app(app) -> None:
    from engage.pages.routes import bp

    app.register_blueprint(bp)
    # Browsers ask for /favicon.ico on their own, outside the language prefix: it is the static
    # file of that name (pages link the SVG icon; both are in static/).
    app.add_url_rule("/favicon.ico", endpoint="static", defaults={"filename": "favicon.ico"})
