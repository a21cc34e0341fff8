"""Password reset by email."""

from tests.conftest import link_in, outbox
from tests.factories.users import PASSWORD
from tests.helpers import csrf_token

NEW_PASSWORD = "a brand new passphrase"


def ask_reset(client, email, lang="en"):
    page = client.get(f"/{lang}/account/password/forgotten")
    return client.post(f"/{lang}/account/password/forgotten",
                       data={"email": email, "csrf_token": csrf_token(page)})


def test_reset_flow(app, client, auth, factory):
    factory.user(email="forgetful@example.org", language="en")
    response = ask_reset(client, "forgetful@example.org")
    assert response.status_code == 200
    assert "If an account uses the address" in response.text
    [message] = outbox(app, "forgetful@example.org")
    link = link_in(message)

    form = client.get(link)
    assert form.status_code == 200
    response = client.post(link, data={
        "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "csrf_token": csrf_token(form)})
    assert response.status_code == 302
    assert auth.sign_in("forgetful@example.org", PASSWORD).status_code == 401
    assert auth.sign_in("forgetful@example.org", NEW_PASSWORD).status_code == 302

    # The link works once only.
    assert client.get(link).status_code == 400


def test_unknown_address_gets_the_same_answer_and_an_email_without_a_link(app, client):
    response = ask_reset(client, "Ghost@example.org")
    assert response.status_code == 200
    assert "If an account uses the address" in response.text
    # An email either way (the same work as for an account): it says there is no account.
    [message] = outbox(app)
    assert message.recipient == "ghost@example.org"
    assert message.subject == "Password reset on Engage: no account uses this address"
    assert "/password/reset/" not in message.body
    assert link_in(message) == "/en/account/register"


def test_a_deactivated_account_gets_no_email_and_its_earlier_link_stops_working(
        app, client, factory):
    from engage.accounts.models import User
    from engage.extensions import db

    person = factory.user(email="gone@example.org", language="en")
    ask_reset(client, "gone@example.org")
    link = link_in(outbox(app, "gone@example.org")[0])
    with app.app_context():
        db.session.get(User, person).deactivate("Left the network")
        db.session.commit()
    response = ask_reset(client, "gone@example.org")
    assert response.status_code == 200
    assert "If an account uses the address" in response.text  # the same answer as for anyone
    assert len(outbox(app, "gone@example.org")) == 1  # only the email sent before
    assert client.get(link).status_code == 400


def test_short_new_password_is_refused(app, client, factory):
    factory.user(email="f@example.org", language="en")
    ask_reset(client, "f@example.org")
    link = link_in(outbox(app)[0])
    form = client.get(link)
    response = client.post(link, data={
        "password": "short", "confirm_password": "short", "csrf_token": csrf_token(form)})
    assert response.status_code == 422
    assert "at least 12 characters" in response.text


def test_tampered_reset_link(client):
    response = client.get("/en/account/password/reset/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.text


def test_expired_reset_link(app, client, factory):
    factory.user(email="f@example.org", language="en")
    ask_reset(client, "f@example.org")
    link = link_in(outbox(app)[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(link)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 7200
    assert response.status_code == 400
    assert "expired" in response.text


def test_malformed_address_is_an_error_on_the_form(client):
    response = ask_reset(client, "not an address")
    assert response.status_code == 422
    assert "valid email address" in response.text
    assert 'value="not an address"' in response.text
