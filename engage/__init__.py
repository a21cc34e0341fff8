"""Engage: the health-democracy platform of the Île-de-France cancer research network."""

import os

from flask import Flask

from engage.config import PROJECT_ROOT, config_class, environment_name, instance_path
from engage.core.urls import BaseUrlFlask


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides settings (tests use it). Its absolute URLs
    start with the BASE_URL setting, never with the request's Host (engage/core/urls.py)."""
    app = BaseUrlFlask(
        __name__,
        instance_path=str(instance_path()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    environment = (config or {}).get("ENV_NAME") or environment_name()
    settings = config_class(environment)
    app.config.from_object(settings)
    if config:
        app.config.update(config)
    settings.finalize(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    _init_extensions(app)
    _init_areas(app)
    _register_template_helpers(app)

    from engage import cli

    cli.init_app(app)
    return app


def create_served_app() -> Flask:
    """The application a server runs (wsgi.py). In production it refuses to serve a
    database with pending migrations. `flask` commands build theirs with `create_app`, which
    never refuses: `flask db upgrade` must run on an empty or older database."""
    app = create_app()
    if app.config["ENV_NAME"] == "production":
        refuse_pending_migrations(app)
    return app


def refuse_pending_migrations(app: Flask) -> None:
    from engage.core.health import migrations_current

    with app.app_context():
        if not migrations_current():
            raise RuntimeError("The database has pending migrations: run `flask db upgrade`.")


def _init_extensions(app: Flask) -> None:
    from engage.core import (
        assets,
        bounds,
        errors,
        i18n,
        logs,
        page_cache,
        page_versions,
        proxy,
        security,
        sessions,
        unit_of_work,
    )
    from engage.extensions import babel, csrf, db, limiter, login_manager, migrate

    proxy.init_app(app)
    logs.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    bounds.init_app(app)
    assets.init_app(app)
    page_cache.init_app(app)
    page_versions.register()  # what writes to core's own tables change
    errors.init_app(app)
    unit_of_work.init_app(app)
    sessions.init_app(app)


# Models outside the areas, imported so that the metadata (and migrations) see them.
SHARED_MODELS = ("engage.core.outbox", "engage.core.moderated", "engage.core.drafts")


def _init_areas(app: Flask) -> None:
    """The domain areas, in menu order: each registers its blueprint, commands and entries
    (menu, home page, demo data, personal data) in its own `init_app`."""
    import importlib

    from engage import (
        accountability,
        accounts,
        admin,
        api,
        consultations,
        moderation,
        newsletter,
        pages,
        priorities,
        reviews,
        space,
        summaries,
    )
    from engage.core import drafts, registry
    from engage.core.health import bp as health_bp

    registry.init_app(app)
    app.register_blueprint(health_bp)
    drafts.init_app(app)
    for module in SHARED_MODELS:
        importlib.import_module(module)
    for area in (pages, accounts, consultations, priorities, reviews, moderation, summaries,
                 accountability, newsletter, api, admin, space):
        area.init_app(app)


def _register_template_helpers(app: Flask) -> None:
    from engage.core import charts, formatting, markdown, registry

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    formatting.init_app(app)
    markdown.init_app(app)
    charts.init_app(app)
    app.jinja_env.globals["nav_items"] = registry.of(app).nav_items
