"""Research priorities: a James Lind Alliance style priority-setting."""


def init_app(app) -> None:
    from engage.priorities import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from flask_babel import lazy_gettext as _l

    from engage.core import registry
    from engage.priorities import demo, models, personal_data, queries  # noqa: F401 - the tables
    from engage.priorities.routes import (  # noqa: F401 - importing them registers the routes
        bp,
        manage,
        public,
    )

    app.register_blueprint(bp)
    entries = registry.of(app)
    entries.nav_items.append(registry.NavItem("priorities.index", _l("Research priorities")))
    entries.home_sections.append(registry.HomeSection(
        template="priorities/_home_section.html", load=queries.home_section, order=20))
    entries.home_outcomes.append(registry.HomeSection(
        template="priorities/_home_outcomes.html", load=queries.outcome_section, order=20))
    entries.personal_space_sections.append(registry.SpaceSection(
        "priorities", _l("Research priorities I took part in"),
        "space/sections/priorities.html", queries.taken_part_section, order=30))
    entries.demo_loaders.append(demo.load_demo)
    entries.activity_counts.append(registry.ActivityCount(
        _l("Rankings of research priorities"), queries.rankings_made))
    personal_data.register(entries)
