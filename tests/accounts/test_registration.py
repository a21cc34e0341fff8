"""Registration and email confirmation through the pages."""

import pytest

from engage.accounts.models import User
from engage.extensions import db
from tests.conftest import link_in, outbox
from tests.factories.users import PASSWORD
from tests.helpers import csrf_token


def register(client, lang="fr", **overrides):
    page = client.get(f"/{lang}/account/register")
    data = {
        "email": "new.person@example.org",
        "display_name": "Nadia",
        "password": PASSWORD,
        "confirm_password": PASSWORD,
        "consent": "y",
        "participant_type": "patient",
        "departement": "93",
        "csrf_token": csrf_token(page),
    }
    data.update(overrides)
    return client.post(f"/{lang}/account/register", data=data)


def test_registration_sends_a_confirmation_link_in_the_page_language(app, client):
    response = register(client, lang="en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/account/check-your-email")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "new.person@example.org"))
        assert user.language == "en"
        assert user.participant_type == "patient"
        assert user.departement == "93"
        assert user.privacy_consent_at is not None
        assert not user.is_confirmed
        assert user.password_hash.startswith("pbkdf2:sha256:")  # scrypt outside tests
    [message] = outbox(app, "new.person@example.org")
    assert message.subject == "Confirm your email address on Engage"

    confirmation = client.get(link_in(message))
    assert confirmation.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "new.person@example.org"))
        assert user.is_confirmed


def test_french_registration_gets_a_french_email(app, client):
    register(client, lang="fr")
    [message] = outbox(app, "new.person@example.org")
    assert message.language == "fr"
    assert "Confirmez" in message.subject


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "valid email address"),
        ("password", "short", "at least 12 characters"),
        ("consent", "", "consent"),
        ("confirm_password", "something else entirely", "not the same"),
        ("display_name", "", "enter a name"),
    ],
)
def test_bad_input_comes_back_with_errors_and_text_kept(client, field, value, message):
    response = register(client, lang="en", **{field: value})
    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    kept = "Nadia" if field != "display_name" else "new.person@example.org"
    assert kept in response.text  # the user's text is kept
    assert PASSWORD not in response.text  # never the password


def test_french_errors_are_in_french(client):
    response = register(client, lang="fr", email="nope")
    assert response.status_code == 422
    assert "adresse" in response.text.lower()


def test_an_email_already_used_is_not_revealed(app, client, factory):
    factory.user(email="taken@example.org", language="en")
    response = register(client, lang="en", email="taken@example.org")
    # The same answer as for a new address...
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/account/check-your-email")
    # ...while the owner of the address is told.
    [message] = outbox(app, "taken@example.org")
    assert "already" in message.body
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_email_is_case_insensitive(app, client, factory):
    factory.user(email="casey@example.org")
    register(client, email="Casey@Example.org")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_tampered_and_expired_confirmation_links(app, client):
    register(client, lang="en")
    [message] = outbox(app)
    link = link_in(message)
    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 400
    assert "not valid" in tampered.text

    app.config["EMAIL_CONFIRMATION_MAX_AGE"] = -1
    try:
        expired = client.get(link)
    finally:
        app.config["EMAIL_CONFIRMATION_MAX_AGE"] = 3 * 24 * 3600
    assert expired.status_code == 400
    assert "expired" in expired.text


def test_pseudonym_needs_a_pseudonym(client):
    response = register(client, lang="en", use_pseudonym="y", pseudonym="")
    assert response.status_code == 422
    assert "enter a pseudonym" in response.text


def test_signed_in_users_are_sent_home_from_registration(client, auth):
    auth.sign_in_as()
    assert client.get("/en/account/register").status_code == 302
