"""Summaries: moderators' bilingual accounts of consultations, outcome reports and feeds."""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from engage.core import registry
    from engage.summaries import demo, models  # noqa: F401 - the tables
    from engage.summaries.views import _home_section, bp

    app.register_blueprint(bp)
    entries = registry.of(app)
    entries.nav_items.append(registry.NavItem("summaries.index", _l("Summaries")))
    entries.home_sections.append(registry.HomeSection(
        template="summaries/_home_section.html", load=_home_section, order=30))
    entries.demo_loaders.append(demo.load_demo)
