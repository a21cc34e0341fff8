"""Health checks for the load balancer: /healthz (alive) and /readyz (can serve)."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from engage.config import PROJECT_ROOT
from engage.extensions import db

bp = Blueprint("health", __name__)


def migration_heads() -> set[str]:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def applied_revisions() -> set[str]:
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def migrations_current() -> bool:
    return applied_revisions() == migration_heads()


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
        checks["migrations"] = "ok" if migrations_current() else "pending"
    except Exception:
        db.session.rollback()
        checks["database"] = "unreachable"
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:
            checks["redis"] = "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
