"""Moderation: the queue of pending and reported items, actions and their audit log, themes."""


def init_app(app) -> None:
    from engage.core import registry
    from engage.moderation import demo, models, personal_data  # noqa: F401 - the tables
    from engage.moderation.views import _on_auto_hide, bp

    app.register_blueprint(bp)
    entries = registry.of(app)
    entries.demo_loaders.append(demo.load_demo)
    entries.auto_hide_listeners.append(_on_auto_hide)
    personal_data.register(entries)
