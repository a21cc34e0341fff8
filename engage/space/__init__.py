"""My space: a signed-in person's own page (what they wrote and follow, their associations
and lay reviews, each area's section) and their notifications, with the header link that
shows how many are unread, the choice of how to hear of each kind, and the digests."""

from markupsafe import Markup


class HeaderLabel:
    """The menu's "My space" link text, with the unread count (a registry nav item: the
    layout renders `{{ label }}`, which asks for `__html__`)."""

    def __html__(self) -> str:
        from flask import current_app

        from engage.space.queries import header_unread_count

        template = current_app.jinja_env.get_template("space/_header_label.html")
        return Markup(template.render(unread=header_unread_count()))  # noqa: S704

    def __str__(self) -> str:
        from flask_babel import gettext

        return gettext("My space")


def init_app(app) -> None:
    from engage.space import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from flask_babel import lazy_gettext as _l

    from engage.core import registry
    from engage.core.commands import engage_cli
    from engage.space import models, queries, services  # noqa: F401 - the tables
    from engage.space.cli import send_digests_command
    from engage.space.permissions import can_use_space
    from engage.space.routes import bp, notifications, overview  # noqa: F401 - the routes

    app.register_blueprint(bp)
    engage_cli.add_command(send_digests_command)
    app.context_processor(lambda: {"space_unread_count": queries.header_unread_count})
    entries = registry.of(app)
    # In the header's menu, with the unread count (the layout knows no area).
    entries.nav_items.append(registry.NavItem("space.index", HeaderLabel(), can_use_space))
    entries.personal_space_sections.append(registry.SpaceSection(
        "associations", _l("My associations"), "space/sections/associations.html",
        queries.associations_section, order=40))
    entries.notification_emails.append(services.email_at_once)
    entries.account_erasers.append(services.erase_account_space)
    entries.personal_data.append(registry.PersonalDataSection(
        "notifications", queries.PERSONAL_DATA_TITLE, queries.personal_data,
        value_labels=queries.PERSONAL_DATA_CODES))
