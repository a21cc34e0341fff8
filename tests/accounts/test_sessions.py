"""Sign-in sessions live on the server: signing out ends them, and a copy of a session or
"remember me" cookie made before opens nothing afterwards (issue #15, item 6)."""

import json
import time
from datetime import timedelta

from sqlalchemy import select

from engage.accounts.models import Role, User
from engage.accounts.retention import purge
from engage.core.db import utcnow
from engage.core.sessions import SignInSession
from engage.extensions import db
from tests.factories.users import PASSWORD
from tests.helpers import count_in, csrf_token

ACCOUNT = "/en/account/"


def signed_in(app, email, remember=False):
    client = app.test_client()
    page = client.get("/en/account/sign-in")
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_token(page)}
    if remember:
        data["remember_me"] = "y"
    assert client.post("/en/account/sign-in", data=data).status_code == 302
    return client


def copy_of(client, cookie_name):
    """Another browser holding only a copy of one cookie of `client`."""
    thief = client.application.test_client()
    thief.set_cookie(cookie_name, client.get_cookie(cookie_name).value)
    return thief


def opens_the_account(client) -> bool:
    response = client.get(ACCOUNT)
    if response.status_code == 302:
        assert "/en/account/sign-in" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def sign_out(client):
    page = client.get("/en/")
    response = client.post("/en/account/sign-out", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302


def test_a_copied_session_cookie_dies_with_sign_out(app, factory):
    factory.user(email="a@example.org")
    browser = signed_in(app, "a@example.org")
    thief = copy_of(browser, "session")
    assert opens_the_account(thief)
    sign_out(browser)
    assert not opens_the_account(thief)
    assert not opens_the_account(browser)


def test_a_copied_remember_cookie_dies_with_sign_out(app, factory):
    factory.user(email="a@example.org")
    browser = signed_in(app, "a@example.org", remember=True)
    thief = copy_of(browser, "remember_token")
    assert opens_the_account(thief)  # the cookie alone signs in...
    second_copy = copy_of(browser, "remember_token")
    sign_out(browser)
    assert not opens_the_account(second_copy)  # ...until its session ends
    assert not opens_the_account(thief)  # and the session it opened ends with it


def test_signing_out_on_one_device_keeps_the_others(app, factory):
    factory.user(email="a@example.org")
    laptop = signed_in(app, "a@example.org")
    phone = signed_in(app, "a@example.org", remember=True)
    sign_out(laptop)
    assert opens_the_account(phone)
    assert opens_the_account(copy_of(phone, "remember_token"))


def test_sign_out_everywhere_ends_every_session_of_that_person_only(app, factory):
    factory.user(email="a@example.org")
    factory.user(email="b@example.org")
    laptop = signed_in(app, "a@example.org")
    phone = signed_in(app, "a@example.org", remember=True)
    phone_cookie = copy_of(phone, "remember_token")
    someone_else = signed_in(app, "b@example.org", remember=True)
    page = laptop.get(ACCOUNT)
    response = laptop.post("/en/account/sign-out-everywhere",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert [opens_the_account(c) for c in (laptop, phone, phone_cookie)] == [False] * 3
    assert opens_the_account(someone_else)
    assert opens_the_account(copy_of(someone_else, "remember_token"))


def test_a_password_reset_ends_every_session(app, factory):
    from tests.conftest import link_in, outbox

    factory.user(email="a@example.org", language="en")
    phone = signed_in(app, "a@example.org", remember=True)
    phone_cookie = copy_of(phone, "remember_token")
    visitor = app.test_client()
    page = visitor.get("/en/account/password/forgotten")
    visitor.post("/en/account/password/forgotten",
                 data={"email": "a@example.org", "csrf_token": csrf_token(page)})
    link = link_in(outbox(app, "a@example.org")[-1])
    form = visitor.get(link)
    new = "a brand new passphrase"
    assert visitor.post(link, data={"password": new, "confirm_password": new,
                                    "csrf_token": csrf_token(form)}).status_code == 302
    assert not opens_the_account(phone)
    assert not opens_the_account(phone_cookie)


def test_idle_expiry_ends_the_session_on_the_server(app, factory):
    factory.user(email="mod@example.org", role=Role.MODERATOR)
    browser = signed_in(app, "mod@example.org")
    thief = copy_of(browser, "session")
    with browser.session_transaction() as session:
        session["last_active"] = int(time.time()) - 31 * 60
    assert not opens_the_account(browser)
    # The copy was active a moment ago, yet its session is gone.
    assert not opens_the_account(thief)


def test_sessions_from_before_keys_are_refused(app, client, factory):
    user_id = factory.user(email="a@example.org")
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:1"  # "<id>:<session version>", the former id
        session["_fresh"] = True
    assert not opens_the_account(client)


def test_one_query_loads_the_signed_in_user(app, factory, count_queries):
    factory.user(email="a@example.org")
    browser = signed_in(app, "a@example.org")
    with count_queries() as counter:
        assert browser.get(ACCOUNT).status_code == 200
    loading = [s for s in counter.statements if "sign_in_sessions" in s]
    assert len(loading) == 1
    assert "JOIN sign_in_sessions" in loading[0] and "FROM users" in loading[0]


def test_deleting_the_account_deletes_its_sessions_only(app, factory):
    user_id = factory.user(email="a@example.org")
    other_id = factory.user(email="b@example.org")
    browser = signed_in(app, "a@example.org")
    phone = signed_in(app, "a@example.org", remember=True)
    phone_cookie = copy_of(phone, "remember_token")
    signed_in(app, "b@example.org")
    form = browser.get("/en/account/delete")
    response = browser.post("/en/account/delete", data={
        "password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)})
    assert response.status_code == 302
    assert count_in(app, SignInSession, SignInSession.user_id == user_id) == 0
    assert count_in(app, SignInSession, SignInSession.user_id == other_id) == 1
    assert not opens_the_account(phone_cookie)


def test_my_data_lists_the_sessions_without_their_keys(app, factory):
    factory.user(email="a@example.org")
    signed_in(app, "a@example.org")
    browser = signed_in(app, "a@example.org")
    data = json.loads(browser.get("/en/account/my-data.json").data)
    assert len(data["sign_in_sessions"]) == 2
    assert set(data["sign_in_sessions"][0]) == {"signed_in_at"}
    with app.app_context():
        keys = db.session.scalars(select(SignInSession.key)).all()
    text = json.dumps(data)
    assert len(keys) == 2 and not any(key in text for key in keys)


def test_retention_deletes_sessions_older_than_the_remember_cookie(app, factory):
    user_id = factory.user(email="a@example.org")
    with app.app_context():
        db.session.add_all([
            SignInSession(key="old" * 15, user_id=user_id,
                          created_at=utcnow() - timedelta(days=366)),
            SignInSession(key="recent" * 8, user_id=user_id,
                          created_at=utcnow() - timedelta(days=364)),
        ])
        db.session.commit()
        assert purge(utcnow()).sessions_deleted == 1
        db.session.commit()
        assert db.session.scalars(select(SignInSession.key)).all() == ["recent" * 8]
        assert db.session.get(User, user_id) is not None
