"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from engage.core.search import include_name
from engage.extensions import db
from tests.conftest import reset_database


def _drop_everything(app):
    with app.app_context():
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_migrations_match_the_models(app):
    _drop_everything(app)
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "compare_server_default": False,
                                      "include_name": include_name}
                )
                differences = compare_metadata(context, db.metadata)
            assert differences == [], differences
            # And they can be undone.
            downgrade(revision="base")
            with db.engine.connect() as connection:
                remaining = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
            assert remaining == set()
    finally:
        _drop_everything(app)
        reset_database(app)
