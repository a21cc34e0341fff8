"""Lay review of funding calls."""


def init_app(app) -> None:
    from engage.reviews import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from flask_babel import lazy_gettext as _l

    from engage.core import registry
    from engage.core.commands import engage_cli
    from engage.reviews import demo, models, permissions, personal_data  # noqa: F401
    from engage.reviews.cli import send_review_reminders_command
    from engage.reviews.queries import (
        applications_assigned,
        home_section,
        reviews_submitted,
        space_section,
    )
    from engage.reviews.routes import (  # noqa: F401 - the route modules register their routes
        applications,
        bp,
        calls,
        committee,
        pool,
        public,
        rubric,
    )

    app.register_blueprint(bp)
    engage_cli.add_command(send_review_reminders_command)
    entries = registry.of(app)
    entries.nav_items.append(registry.NavItem("reviews.index", _l("Lay review"),
                                              permissions.can_use_lay_review))
    entries.home_sections.append(registry.HomeSection(
        template="reviews/_home_section.html", load=home_section, order=30))
    entries.activity_counts += [
        registry.ActivityCount(_l("Applications assigned for lay review"),
                               applications_assigned),
        registry.ActivityCount(_l("Lay reviews submitted"), reviews_submitted),
    ]
    entries.personal_space_sections.append(registry.SpaceSection(
        "reviews", _l("My lay reviews"), "space/sections/reviews.html", space_section,
        order=50))
    entries.demo_loaders.append(demo.load_demo)
    personal_data.register(entries)
