"""Moderation: the queue of pending and reported items, actions and their audit log, themes."""


def init_app(app) -> None:
    from engage.moderation import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from flask_babel import lazy_gettext as _l

    from engage.core import registry
    from engage.moderation import (
        demo,
        models,  # noqa: F401 - the tables
        personal_data,
        queries,
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
    entries.personal_space_sections.append(registry.SpaceSection(
        "texts", _l("My contributions and replies"), "space/sections/texts.html",
        queries.my_texts_section, order=10))
    personal_data.register(entries)
