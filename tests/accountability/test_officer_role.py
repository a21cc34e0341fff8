"""The network officer's role through the pages that exist: an administrator gives it (the
accounts' audit log keeps it), an officer moderates but does not administer, and the
command that creates accounts knows it."""

from sqlalchemy import select

from engage.accounts.models import AccountAuditEntry, Role, User
from engage.extensions import db
from tests.factories import stored
from tests.factories import users as people
from tests.helpers import Auth, csrf_token, sign_in_new


def test_an_administrator_makes_someone_a_network_officer(app, auth):
    admin = sign_in_new(app, auth, "admin")
    with stored(app):
        target = people.user("moderator", display_name="Olga Officer").id
    page = auth.client.get(f"/en/admin/users/{target}")
    assert '<option value="officer">Network officer</option>' in page.text
    response = auth.client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "officer", "role-reason": "Records the network's responses",
        "role-csrf_token": csrf_token(page, "role")})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, target).role == Role.OFFICER
        entry = db.session.scalars(select(AccountAuditEntry).where(
            AccountAuditEntry.user_id == target)).one()
        assert (entry.actor_id, entry.role_before, entry.role_after) == \
            (admin, "moderator", "officer")
    page = auth.client.get(f"/en/admin/users/{target}")
    assert "Network officer" in page.text


def test_an_officer_moderates_but_does_not_administer(app):
    client = app.test_client()
    sign_in_new(app, Auth(app, client), "officer")
    assert client.get("/en/moderation/").status_code == 200
    assert client.get("/en/admin/users").status_code == 403


def test_the_command_creates_an_officer(app, runner):
    result = runner.invoke(args=["engage", "create-user", "olga@example.org", "--role",
                                 "officer", "--password", "correct horse battery staple"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "olga@example.org"))
        assert user.role == Role.OFFICER
