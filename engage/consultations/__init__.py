"""Consultations: questionnaires, contributions, replies, support, association positions."""


def init_app(app) -> None:
    from engage.consultations import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from flask_babel import lazy_gettext as _l

    from engage.consultations import demo, models, personal_data, queries  # noqa: F401 - the tables
    from engage.consultations.cli import notify_closing_command
    from engage.consultations.routes import (  # noqa: F401 - importing them registers the routes
        bp,
        contributions,
        manage,
        manage_questions,
        public,
        questionnaire,
    )
    from engage.core import registry
    from engage.core.commands import engage_cli

    app.register_blueprint(bp)
    engage_cli.add_command(notify_closing_command)
    entries = registry.of(app)
    entries.nav_items.append(registry.NavItem("consultations.index", _l("Consultations")))
    entries.home_sections.append(registry.HomeSection(
        template="consultations/_home_section.html", load=queries.home_section, order=10))
    entries.personal_space_sections.append(registry.SpaceSection(
        "consultations", _l("Consultations I follow or took part in"),
        "space/sections/consultations.html", queries.followed_section, order=20))
    entries.demo_loaders.append(demo.load_demo)
    entries.activity_counts += [
        registry.ActivityCount(_l("Supports given"), queries.supports_given),
        registry.ActivityCount(_l("Questionnaires answered"), queries.questionnaires_answered),
    ]
    personal_data.register(entries)
