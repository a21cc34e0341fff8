"""GDPR self-service: download my data, consent, sign out everywhere, delete my account."""

import json

from engage.accounts.models import Association, Membership, User
from engage.extensions import db
from tests.factories.users import PASSWORD
from tests.helpers import Auth, csrf_token


def test_my_data_page_and_json(app, client, auth):
    user_id = auth.sign_in_as(language="en", display_name="Camille", departement="94")
    with app.app_context():
        association = Association(name="Asso")
        db.session.add(association)
        db.session.add(Membership(user_id=user_id, association=association, message="Hi"))
        db.session.commit()
    page = client.get("/en/account/my-data")
    assert page.status_code == 200
    assert "Camille" in page.text and "Asso" in page.text
    download = client.get("/en/account/my-data.json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(download.data)
    assert data["profile"][0]["display_name"] == "Camille"
    assert data["profile"][0]["departement"] == "94"
    assert data["consents"][0]["given_at"]
    assert data["associations"][0]["association"] == "Asso"


def test_my_data_needs_sign_in(client):
    assert client.get("/en/account/my-data").status_code == 302
    assert client.get("/en/account/my-data.json").status_code == 302


def test_consent_withdrawal_stops_writing(app, client, auth):
    user_id = auth.sign_in_as(language="en")
    page = client.get("/en/account/")
    client.post("/en/account/consent/withdraw", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.consent_withdrawn_at is not None and not user.can_write
    page = client.get("/en/account/")
    assert "You withdrew your consent" in page.text
    client.post("/en/account/consent/give", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.get(User, user_id).can_write


def test_sign_out_everywhere(app, client, auth, factory):
    factory.user(email="many@example.org")
    other = app.test_client()
    Auth(app, other).sign_in("many@example.org")
    auth.sign_in("many@example.org")
    page = client.get("/en/account/")
    client.post("/en/account/sign-out-everywhere", data={"csrf_token": csrf_token(page)})
    assert client.get("/en/account/").status_code == 302
    assert other.get("/en/account/").status_code == 302


def test_delete_account(app, client, auth):
    user_id = auth.sign_in_as(language="en", display_name="Dominique", email="dom@example.org")
    form = client.get("/en/account/delete")
    wrong = client.post("/en/account/delete", data={
        "password": "not my password", "confirm": "y", "csrf_token": csrf_token(form)})
    assert wrong.status_code == 422
    assert "password is not correct" in wrong.text
    unconfirmed = client.post("/en/account/delete", data={
        "password": PASSWORD, "csrf_token": csrf_token(form)})
    assert unconfirmed.status_code == 422
    response = client.post("/en/account/delete", data={
        "password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)})
    assert response.status_code == 302
    with app.test_request_context("/en/"):
        user = db.session.get(User, user_id)
        assert user.deleted_at is not None
        assert user.email == f"deleted-{user_id}@invalid"
        assert user.display_name == "" and user.public_name == "Former participant"
    assert client.get("/en/account/").status_code == 302
    assert Auth(app, app.test_client()).sign_in("dom@example.org").status_code == 401


def test_the_last_admin_cannot_delete_their_account(app, client, auth):
    from engage.accounts.models import Role

    auth.sign_in_as(role=Role.ADMIN, language="en")
    form = client.get("/en/account/delete")
    response = client.post("/en/account/delete", data={
        "password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)})
    assert response.status_code == 422
    assert "last administrator" in response.text


def test_moderators_are_signed_out_when_idle(app, client, auth):
    import time

    from engage.accounts.models import Role

    auth.sign_in_as(role=Role.MODERATOR, language="en")
    assert client.get("/en/account/").status_code == 200
    with client.session_transaction() as session:
        session["last_active"] = int(time.time()) - 31 * 60
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert "/en/account/sign-in" in response.headers["Location"]
    assert client.get("/en/account/").status_code == 302


def test_participants_are_not_signed_out_when_idle(client, auth):
    import time

    auth.sign_in_as(language="en")
    with client.session_transaction() as session:
        session["last_active"] = int(time.time()) - 24 * 3600
    assert client.get("/en/account/").status_code == 200


def test_sign_in_starts_a_new_session(client, factory):
    factory.user(email="s@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    page = client.get("/en/account/sign-in")
    client.post("/en/account/sign-in", data={
        "email": "s@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    with client.session_transaction() as session:
        assert "planted" not in session
