"""A shared world's cases cannot see each other's changes (tests/README.md): one case deletes
an account, changes a password and blocks a user through the real forms; the next finds the
world as it was built, and a third case sees none of the second's writes either."""

from sqlalchemy import func, select

from engage.accounts.models import User
from engage.consultations.models import Contribution
from engage.extensions import db
from tests.conftest import PASSWORD, Auth, csrf_token

NEW_PASSWORD = "a brand new passphrase 2026"


def signed_in(app, email, password=PASSWORD):
    client = app.test_client()
    response = Auth(app, client).sign_in(email, password)
    return client, response.status_code


def test_what_a_case_does_is_undone_for_the_next(app, shared_world):
    with shared_world.case() as world:
        emails, ids = world["emails"], world["user_ids"]
        with app.app_context():
            accounts = db.session.scalar(select(func.count(User.id)))
            contributions = db.session.scalar(select(func.count(Contribution.id)))
        participant, status = signed_in(app, emails["participant"])
        assert status == 302
        page = participant.get("/en/account/delete")
        deleted = participant.post("/en/account/delete", data={
            "password": PASSWORD, "delete_content": "y", "confirm": "y",
            "csrf_token": csrf_token(page)})
        assert deleted.status_code == 302
        representative, _ = signed_in(app, emails["representative"])
        changed = representative.post("/en/account/password", data={
            "password-current_password": PASSWORD, "password-password": NEW_PASSWORD,
            "password-confirm_password": NEW_PASSWORD,
            "password-csrf_token": csrf_token(representative.get("/en/account/"), "password")})
        assert changed.status_code == 302
        moderator, _ = signed_in(app, emails["moderator"])
        blocked = moderator.post(f"/en/moderation/users/{ids['reviewer']}/block", data={
            "block-reason": "Repeated spam", "confirmed": "1", "block-csrf_token": csrf_token(
                moderator.get(f"/en/moderation/users/{ids['reviewer']}"), "block")})
        assert blocked.status_code == 302
        with app.app_context():
            assert db.session.get(User, ids["participant"]).deleted_at is not None
            assert db.session.get(User, ids["reviewer"]).blocked_at is not None
        assert signed_in(app, emails["representative"])[1] != 302

    with shared_world.case() as world:
        with app.app_context():
            assert db.session.scalar(select(func.count(User.id))) == accounts
            assert db.session.scalar(select(func.count(Contribution.id))) == contributions
            assert db.session.get(User, ids["reviewer"]).blocked_at is None
            assert db.session.get(User, ids["participant"]).deleted_at is None
        assert signed_in(app, emails["participant"])[1] == 302
        assert signed_in(app, emails["representative"])[1] == 302
        assert signed_in(app, emails["representative"], NEW_PASSWORD)[1] != 302
        # Writes of this case too are gone for the next one.
        writer, _ = signed_in(app, emails["participant"])
        posted = writer.post(
            f"/en/consultations/{world['consultation_open_id']}/contributions",
            data={"body": "Written in the second case",
                  "csrf_token": csrf_token(writer.get("/en/account/"), "profile")})
        assert posted.status_code == 302

    with shared_world.case(), app.app_context():
        assert db.session.scalar(select(func.count(Contribution.id))) == contributions
