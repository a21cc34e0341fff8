"""Summaries: moderators' bilingual accounts of consultations, outcome reports and feeds."""


def init_app(app) -> None:
    from engage.summaries import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from flask_babel import lazy_gettext as _l

    from engage.core import registry
    from engage.core.readability import LEVEL_LABELS
    from engage.summaries import demo, models  # noqa: F401 - the tables
    from engage.summaries.queries import home_section, published_summary_for, summaries_citing
    from engage.summaries.routes import bp, manage, public  # noqa: F401 - they register routes

    app.register_blueprint(bp)
    # HTML put in the feed as text (escaped once by the template), and Atom dates.
    app.add_template_filter(str, "as_source")
    app.add_template_filter(public.atom_date, "atom_date")
    # Globals read by the consultations' pages (what cites a contribution, its summary).
    app.jinja_env.globals.update(
        summaries_citing=summaries_citing,
        published_summary_for=published_summary_for,
        readability_level_labels=LEVEL_LABELS,
    )
    entries = registry.of(app)
    entries.nav_items.append(registry.NavItem("summaries.index", _l("Summaries")))
    # Under the home page's "What came out of it", before the research priorities agreed.
    entries.home_outcomes.append(registry.HomeSection(
        template="summaries/_home_section.html", load=home_section, order=10))
    entries.demo_loaders.append(demo.load_demo)
