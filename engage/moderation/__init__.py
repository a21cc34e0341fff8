"""Moderation: the queue of pending and reported items, actions and their audit log, themes."""


def init_app(app) -> None:
    from engage.core import registry
    from engage.moderation import (
        demo,
        models,  # noqa: F401 - the tables
        personal_data,
        services,
        targets,
        templating,
    )
    from engage.moderation.routes import (  # noqa: F401 - importing them registers the routes
        audit,
        bp,
        items,
        queue,
        themes,
        users,
    )

    targets.register_all()
    app.register_blueprint(bp)
    app.context_processor(templating.template_context)
    app.add_template_global(templating.hidden_reason_label, "hidden_reason_label")
    app.add_template_filter(templating.moderation_status_label, "moderation_status_label")
    app.add_template_filter(templating.report_status_label, "report_status_label")
    app.add_template_filter(templating.pretty_json, "pretty_json")
    entries = registry.of(app)
    entries.demo_loaders.append(demo.load_demo)
    entries.auto_hide_listeners.append(services.on_auto_hide)
    personal_data.register(entries)
