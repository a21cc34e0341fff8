"""The `flask engage` commands."""

import pytest

from engage.accounts.models import Association, Membership, Role, User
from engage.core.commands import DEMO_PASSWORD
from engage.demo import DEMO_EMAILS
from engage.extensions import db
from tests.conftest import build_app, reset_database
from tests.helpers import Auth, count_in


def test_demo_is_idempotent_and_every_account_signs_in(app, runner):
    result = runner.invoke(args=["engage", "demo"])
    assert result.exit_code == 0, result.output
    assert "admin@example.org" in result.output
    totals = (count_in(app, User), count_in(app, Association), count_in(app, Membership))
    assert totals[0] >= 5 and totals[1] == 2
    again = runner.invoke(args=["engage", "demo"])
    assert again.exit_code == 0, again.output
    assert (count_in(app, User), count_in(app, Association), count_in(app, Membership)) == totals

    with app.app_context():
        roles = {u.email: u.role for u in db.session.scalars(db.select(User))}
    assert roles["admin@example.org"] == Role.ADMIN
    assert roles["moderator@example.org"] == Role.MODERATOR
    assert roles["representative@example.org"] == Role.REPRESENTATIVE
    for email in DEMO_EMAILS:
        client = app.test_client()
        assert Auth(app, client).sign_in(email, DEMO_PASSWORD).status_code == 302, email


def test_create_user(app, runner):
    result = runner.invoke(args=["engage", "create-user", "boss@example.org", "--role", "admin",
                                 "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert (user.email, user.role, user.is_confirmed) == ("boss@example.org", "admin", True)
    duplicate = runner.invoke(args=["engage", "create-user", "boss@example.org",
                                    "--password", "a long enough password"])
    assert duplicate.exit_code != 0
    short = runner.invoke(args=["engage", "create-user", "x@example.org", "--password", "short"])
    assert short.exit_code != 0


@pytest.mark.parametrize("password", ["passwordpassword", "123456789012", DEMO_PASSWORD,
                                      "boss@example.org!!"])
def test_create_user_refuses_what_the_forms_refuse(app, runner, password):
    result = runner.invoke(args=["engage", "create-user", "boss@example.org", "--role", "admin",
                                 "--password", password])
    assert result.exit_code == 2, result.output
    assert "Invalid value for password" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_is_empty(app, runner):
    assert runner.invoke(args=["engage", "is-empty"]).exit_code == 0
    runner.invoke(args=["engage", "demo"])
    assert runner.invoke(args=["engage", "is-empty"]).exit_code == 1


def test_backup_on_postgresql_points_to_pg_dump(app, runner, tmp_path):
    result = runner.invoke(args=["engage", "backup", str(tmp_path / "b.sqlite3")])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert result.exit_code != 0 and "pg_dump" in result.output
    else:
        assert result.exit_code == 0, result.output


def sqlite_app(tmp_path):
    application = build_app(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    reset_database(application)
    return application


def test_sqlite_backup_and_restore(tmp_path):
    application = sqlite_app(tmp_path)
    runner = application.test_cli_runner()
    runner.invoke(args=["engage", "demo"])
    backup = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["engage", "backup", str(backup)]).exit_code == 0
    with application.app_context():
        db.session.execute(db.delete(Membership))
        db.session.execute(db.delete(User))
        db.session.commit()
    assert count_in(application, User) == 0
    result = runner.invoke(args=["engage", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert count_in(application, User) >= 5


def test_restore_refuses_a_damaged_file(tmp_path):
    application = sqlite_app(tmp_path)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = application.test_cli_runner().invoke(
        args=["engage", "restore", str(damaged), "--yes"])
    assert result.exit_code != 0
