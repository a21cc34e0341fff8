"""The account settings page: profile, language, password, email."""

from engage.accounts.models import User
from engage.extensions import db
from tests.conftest import link_in, outbox
from tests.factories.users import PASSWORD
from tests.helpers import csrf_token


def post_settings(client, action, prefix, data, lang="en"):
    page = client.get(f"/{lang}/account/")
    payload = {f"{prefix}-{key}": value for key, value in data.items()}
    payload[f"{prefix}-csrf_token"] = csrf_token(page, prefix)
    return client.post(f"/{lang}/account/{action}", data=payload)


def test_settings_need_sign_in(client):
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert "/en/account/sign-in" in response.headers["Location"]


def test_profile_and_language_preference(app, client, auth):
    user_id = auth.sign_in_as(language="fr")
    response = post_settings(client, "profile", "profile", {
        "display_name": "Jo", "language": "en", "participant_type": "carer",
        "departement": "outside", "pseudonym": "Jo75", "use_pseudonym": "y"}, lang="fr")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/account/"
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.language, user.public_name, user.departement) == ("en", "Jo75", "outside")
    # The root now sends this user to English, whatever the browser says.
    root = client.get("/", headers={"Accept-Language": "fr"})
    assert root.headers["Location"] == "/en/"


def test_profile_errors_stay_on_the_page(client, auth):
    auth.sign_in_as()
    response = post_settings(client, "profile", "profile", {
        "display_name": "", "language": "en", "pseudonym": "Kept text"})
    assert response.status_code == 422
    assert "Please enter a name." in response.text
    assert 'value="Kept text"' in response.text


def test_unknown_language_choice_is_refused(client, auth):
    auth.sign_in_as()
    response = post_settings(client, "profile", "profile", {"display_name": "A", "language": "xx"})
    assert response.status_code == 422


def test_change_password(app, client, auth):
    user_id = auth.sign_in_as(language="en")
    response = post_settings(client, "password", "password", {
        "current_password": PASSWORD, "password": "another long passphrase",
        "confirm_password": "another long passphrase"})
    assert response.status_code == 302
    assert client.get("/en/account/").status_code == 200  # this session survives
    with app.app_context():
        email = db.session.get(User, user_id).email
    assert outbox(app, email)[-1].subject.endswith("password has been changed")


def test_change_password_ends_other_sessions(app, auth, factory):
    factory.user(email="two@example.org")
    other = app.test_client()
    from tests.helpers import Auth

    Auth(app, other).sign_in("two@example.org")
    assert other.get("/en/account/").status_code == 200
    auth.sign_in("two@example.org")
    post_settings(auth.client, "password", "password", {
        "current_password": PASSWORD, "password": "another long passphrase",
        "confirm_password": "another long passphrase"})
    assert other.get("/en/account/").status_code == 302


def test_change_password_with_a_wrong_current_password(client, auth):
    auth.sign_in_as()
    response = post_settings(client, "password", "password", {
        "current_password": "not my password", "password": "another long passphrase",
        "confirm_password": "another long passphrase"})
    assert response.status_code == 422
    assert "current password is not correct" in response.text


def test_change_email_needs_confirmation_of_the_new_address(app, client, auth):
    user_id = auth.sign_in_as(language="en")
    response = post_settings(client, "email", "email", {
        "email": "new.address@example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        old_email = user.email
        assert user.pending_email == "new.address@example.org"
    [message] = outbox(app, "new.address@example.org")
    client.get(link_in(message))
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.email == "new.address@example.org"
        assert user.pending_email is None
    assert outbox(app, old_email)[-1].subject == "Your Engage email address has been changed"


def test_change_email_to_a_taken_address_reveals_nothing(app, client, auth, factory):
    factory.user(email="taken@example.org")
    auth.sign_in_as()
    response = post_settings(client, "email", "email", {
        "email": "taken@example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    assert outbox(app, "taken@example.org") == []
