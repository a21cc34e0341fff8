"""Signing in and out, sessions and the remembered language."""

from engage.accounts.models import User
from engage.extensions import db
from tests.conftest import outbox
from tests.factories.users import PASSWORD
from tests.helpers import csrf_token


def test_sign_in_goes_home_in_the_users_language(app, client, factory):
    factory.user(email="marie@example.org", language="fr", display_name="Marie")
    page = client.get("/en/account/sign-in")
    response = client.post("/en/account/sign-in", data={
        "email": "marie@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/fr/"
    # Welcomed in French on the French page, though the form was the English one.
    home = client.get("/fr/")
    assert "Bienvenue, Marie" in home.text and "Welcome" not in home.text
    assert client.get("/fr/account/").status_code == 200


def test_wrong_credentials_keep_the_email_not_the_password(client, factory):
    factory.user(email="marie@example.org")
    page = client.get("/en/account/sign-in")
    response = client.post("/en/account/sign-in", data={
        "email": "marie@example.org", "password": "wrong password!!",
        "csrf_token": csrf_token(page)})
    assert response.status_code == 401
    assert "not correct" in response.text
    assert 'value="marie@example.org"' in response.text
    assert "wrong password!!" not in response.text


def test_unknown_email_gets_the_same_message(client):
    page = client.get("/en/account/sign-in")
    response = client.post("/en/account/sign-in", data={
        "email": "nobody@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 401
    assert "The email address or the password is not correct." in response.text


def test_unconfirmed_accounts_get_a_new_link(app, client, factory):
    factory.user(email="late@example.org", confirmed=False)
    page = client.get("/en/account/sign-in")
    response = client.post("/en/account/sign-in", data={
        "email": "late@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 401
    assert "confirm your email address first" in response.text
    assert len(outbox(app, "late@example.org")) == 1


def test_next_parameter_is_followed_only_inside_the_site(client, factory):
    factory.user(email="a@example.org")
    page = client.get("/en/account/sign-in?next=/en/account/")
    response = client.post("/en/account/sign-in?next=/en/account/", data={
        "email": "a@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/en/account/"
    client.post("/en/account/sign-out", data={"csrf_token": csrf_token(client.get("/en/"))})
    page = client.get("/en/account/sign-in")
    response = client.post("/en/account/sign-in?next=//evil.example/", data={
        "email": "a@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert "evil" not in response.headers["Location"]


def test_sign_out(client, auth):
    auth.sign_in_as()
    assert client.get("/en/account/").status_code == 200
    response = auth.sign_out()
    assert response.status_code == 302
    assert client.get("/en/account/").status_code == 302


def test_sign_out_needs_post_and_csrf(client, auth):
    auth.sign_in_as()
    assert client.get("/en/account/sign-out").status_code == 405
    assert client.post("/en/account/sign-out").status_code == 400
    assert client.get("/en/account/").status_code == 200


def test_remember_me_sets_a_lasting_cookie(client, factory):
    factory.user(email="r@example.org")
    page = client.get("/en/account/sign-in")
    client.post("/en/account/sign-in", data={
        "email": "r@example.org", "password": PASSWORD, "remember_me": "y",
        "csrf_token": csrf_token(page)})
    assert client.get_cookie("remember_token") is not None


def test_session_cookie_flags(client, factory):
    factory.user(email="c@example.org")
    page = client.get("/en/account/sign-in")
    response = client.post("/en/account/sign-in", data={
        "email": "c@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_last_sign_in_is_recorded(app, client, factory):
    user_id = factory.user(email="t@example.org")
    page = client.get("/en/account/sign-in")
    client.post("/en/account/sign-in", data={
        "email": "t@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.get(User, user_id).last_sign_in_at is not None
    assert outbox(app) == []
