"""The `flask engage` commands."""

from engage.accounts.models import Association, Membership, Role, User
from engage.cli import DEMO_PASSWORD
from engage.demo import DEMO_EMAILS
from engage.extensions import db
from tests.conftest import Auth


def count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_demo_is_idempotent_and_every_account_signs_in(app, runner):
    result = runner.invoke(args=["engage", "demo"])
    assert result.exit_code == 0, result.output
    assert "admin@example.org" in result.output
    users, associations = count(app, User), count(app, Association)
    assert (users, associations) == (5, 2)
    again = runner.invoke(args=["engage", "demo"])
    assert "already present" in again.output
    assert (count(app, User), count(app, Association), count(app, Membership)) == (5, 2, 1)

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


def test_is_empty(app, runner):
    assert runner.invoke(args=["engage", "is-empty"]).exit_code == 0
    runner.invoke(args=["engage", "demo"])
    assert runner.invoke(args=["engage", "is-empty"]).exit_code == 1
