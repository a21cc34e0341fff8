"""Migration 0018 on each database: the CHECK constraints it writes by hand (the role's, which
tests/core/test_migrations.py cannot compare) accept network officers, the record's rules hold
in the migrated schema, and going back turns officers into moderators."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from engage.accountability.models import Commitment, Response
from engage.accounts.models import User
from engage.extensions import db
from engage.priorities.models import Exercise
from tests.conftest import reset_database


def _drop_everything(app):
    with app.app_context():
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _refused(connection, statement) -> None:
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(statement)


def test_migration_0018_accepts_officers_and_keeps_the_record_s_rules(app):
    users, commitments = User.__table__, Commitment.__table__
    _drop_everything(app)
    try:
        with app.app_context():
            upgrade()
            with db.engine.begin() as connection:
                connection.execute(users.insert().values(
                    email="officer@example.org", display_name="Olga", password_hash="!",
                    role="officer"))
                _refused(connection, users.insert().values(
                    email="boss@example.org", display_name="Boss", password_hash="!",
                    role="boss"))
                exercise_id = connection.execute(Exercise.__table__.insert().values(
                    stage="published")).inserted_primary_key[0]
                response_id = connection.execute(Response.__table__.insert().values(
                    exercise_id=exercise_id)).inserted_primary_key[0]
                _refused(connection, commitments.insert().values(
                    response_id=response_id, status="not_retained"))
                _refused(connection, commitments.insert().values(
                    response_id=response_id, status="done"))
                connection.execute(commitments.insert().values(
                    response_id=response_id, status="not_retained", reason_en="No budget."))
            downgrade(revision="0017_cache_versions")
            with db.engine.connect() as connection:
                assert connection.execute(select(users.c.role)).scalars().all() == ["moderator"]
                assert "accountability_commitments" not in db.inspect(connection) \
                    .get_table_names()
    finally:
        _drop_everything(app)
        reset_database(app)
