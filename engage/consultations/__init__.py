"""Consultations: questionnaires, contributions, replies, support, association positions."""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from engage import cli
    from engage.consultations import demo, models, personal_data  # noqa: F401 - the tables
    from engage.consultations.cli import notify_closing_command
    from engage.consultations.views import _home_section, bp
    from engage.core import registry

    app.register_blueprint(bp)
    cli.engage_cli.add_command(notify_closing_command)
    entries = registry.of(app)
    entries.nav_items.append(registry.NavItem("consultations.index", _l("Consultations")))
    entries.home_sections.append(registry.HomeSection(
        template="consultations/_home_section.html", load=_home_section, order=10))
    entries.demo_loaders.append(demo.load_demo)
    personal_data.register(entries)
