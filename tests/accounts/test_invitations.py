"""Invitations: an administrator creates an account for someone, who follows the emailed link
(signed, expiring, single use), chooses a password, gives their consent, and is signed in.
Until then the account cannot sign in; nothing tells a visitor that it exists."""

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from engage.accounts import tokens
from engage.accounts.models import AccountAuditEntry, AccountState, Role, User
from engage.extensions import db
from tests.conftest import link_in, outbox
from tests.factories import stored
from tests.factories import users as people
from tests.factories.users import PASSWORD
from tests.helpers import Auth, count_in, csrf_token, sign_in_new

NEW_PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def admin(app, auth):
    return sign_in_new(app, auth, "admin", display_name="Ada Admin", email="ada@example.org")


def _invite(client, lang="en", **fields):
    page = client.get(f"/{lang}/admin/users/invite")
    assert page.status_code == 200
    data = {"display_name": "Iris Newcomer", "email": "iris@example.org", "role": "moderator",
            "language": "en", "csrf_token": csrf_token(page), **fields}
    return client.post(f"/{lang}/admin/users/invite", data=data)


def _invited(app, email="iris@example.org") -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _accept(client, link, password=NEW_PASSWORD, consent=True):
    page = client.get(link)
    assert page.status_code == 200, page.text[:300]
    data = {"password": password, "confirm_password": password,
            "csrf_token": csrf_token(page)}
    if consent:
        data["consent"] = "y"
    return client.post(link, data=data)


def test_an_invitation_creates_a_waiting_account_and_emails_its_link(app, auth, admin):
    response = _invite(auth.client, language="fr")
    assert response.status_code == 302
    invited = _invited(app)
    assert response.headers["Location"] == f"/en/admin/users/{invited.id}"
    assert invited.account_state == AccountState.INVITED
    assert invited.role == Role.MODERATOR and invited.language == "fr"
    assert invited.privacy_consent_at is None and invited.email_confirmed_at is None
    page = auth.client.get(response.headers["Location"])
    assert "Iris Newcomer is invited: the invitation has been sent to iris@example.org." \
        in page.text
    [message] = outbox(app, "iris@example.org")
    assert message.language == "fr"
    # The link is built from the site's address (BASE_URL), in the person's language.
    assert re.search(rf"{re.escape(app.config['BASE_URL'])}/fr/account/invitation/\S+",
                     message.body)
    with app.app_context():
        entries = db.session.scalars(select(AccountAuditEntry)).all()
        assert [(e.action, e.actor_id, e.user_id, e.role_after) for e in entries] == [
            ("invite", admin, invited.id, "moderator")]


def test_the_invitation_email_in_english(app, auth, admin):
    assert _invite(auth.client).status_code == 302
    [message] = outbox(app, "iris@example.org")
    assert message.subject == "You are invited to Engage"
    assert message.body.splitlines()[0] == "Hello Iris Newcomer,"
    assert "as: Moderator." in message.body
    assert "valid for 7 days, and only once" in message.body


def test_an_invited_account_cannot_sign_in_before_accepting(app, auth, admin):
    _invite(auth.client)
    visitor = Auth(app, app.test_client())
    for password in (PASSWORD, NEW_PASSWORD, ""):
        response = visitor.sign_in("iris@example.org", password or "x")
        assert response.status_code == 401
        assert "The email address or the password is not correct." in response.text


def test_accepting_sets_the_password_records_consent_and_signs_in(app, auth, admin):
    _invite(auth.client)
    link = link_in(outbox(app, "iris@example.org")[0])
    guest = app.test_client()
    page = guest.get(link)
    assert page.status_code == 200
    assert "Iris Newcomer" in page.text and "iris@example.org" in page.text
    assert 'href="/en/privacy"' in page.text
    response = _accept(guest, link)
    assert response.status_code == 302 and response.headers["Location"] == "/en/"
    home = guest.get("/en/")
    assert "Welcome, Iris Newcomer. Your account is ready." in home.text
    assert guest.get("/en/account/").status_code == 200  # signed in
    person = _invited(app)
    assert person.account_state == AccountState.ACTIVE
    assert person.privacy_consent_at is not None and person.email_confirmed_at is not None
    assert person.check_password(NEW_PASSWORD)
    with app.app_context():
        assert [e.action for e in db.session.scalars(select(AccountAuditEntry).order_by(
            AccountAuditEntry.id))] == ["invite", "accept_invitation"]
    # Signed out, they sign in with their password; the link does not work twice.
    Auth(app, guest).sign_out()
    assert Auth(app, app.test_client()).sign_in("iris@example.org",
                                                NEW_PASSWORD).status_code == 302
    again = guest.get(link)
    assert again.status_code == 400 and "This link is not valid." in again.text


def test_the_invitation_page_refuses_bad_input_on_the_form(app, auth, admin):
    _invite(auth.client)
    link = link_in(outbox(app, "iris@example.org")[0])
    guest = app.test_client()
    no_consent = _accept(guest, link, consent=False)
    assert no_consent.status_code == 422 and 'id="error-summary"' in no_consent.text
    assert "Please give your consent to use your account." in no_consent.text
    weak = _accept(guest, link, password="short")
    assert weak.status_code == 422 and "At least" in weak.text
    # Built on the person's own name: refused like on the registration page.
    personal = _accept(guest, link, password="Iris Newcomer!")
    assert personal.status_code == 422 and "too easy to guess" in personal.text
    assert _invited(app).account_state == AccountState.INVITED
    assert guest.get("/en/account/").status_code == 302  # not signed in


def test_accepting_needs_the_csrf_token(app, auth, admin):
    _invite(auth.client)
    link = link_in(outbox(app, "iris@example.org")[0])
    response = app.test_client().post(link, data={
        "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "consent": "y"})
    assert response.status_code == 400
    assert _invited(app).account_state == AccountState.INVITED


def test_the_invitation_page_in_french(app, auth, admin):
    _invite(auth.client, language="fr")
    link = link_in(outbox(app, "iris@example.org")[0])
    guest = app.test_client()
    page = guest.get(link)
    assert page.status_code == 200 and '<html lang="fr"' in page.text
    assert "Acceptez votre invitation" in page.text
    response = _accept(guest, link, consent=False)
    assert response.status_code == 422
    assert "Veuillez donner votre consentement pour utiliser votre compte." in response.text


def test_an_expired_or_altered_link_does_not_work(app, auth, admin, monkeypatch):
    _invite(auth.client)
    link = link_in(outbox(app, "iris@example.org")[0])
    with app.app_context(), monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp",
                      lambda self: int(time.time()) - 8 * 24 * 3600)  # made 8 days ago
        old = tokens.make_invitation_token(db.session.get(User, _invited(app).id))
    expired = app.test_client().get(f"/en/account/invitation/{old}")
    assert expired.status_code == 400 and "This link has expired." in expired.text
    altered = app.test_client().get(link[:-3] + "abc")
    assert altered.status_code == 400 and "This link is not valid." in altered.text


def test_the_invitation_lifetime_is_a_setting_its_email_tells(app, auth, admin, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATION_DAYS", 2)
    _invite(auth.client)
    assert "valid for 2 days, and only once" in outbox(app, "iris@example.org")[0].body
    with app.app_context(), monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp",
                      lambda self: int(time.time()) - 3 * 24 * 3600)  # made 3 days ago
        old = tokens.make_invitation_token(db.session.get(User, _invited(app).id))
    expired = app.test_client().get(f"/en/account/invitation/{old}")
    assert expired.status_code == 400 and "This link has expired." in expired.text


def test_sending_the_invitation_again_replaces_the_link(app, auth, admin):
    _invite(auth.client)
    invited = _invited(app)
    first = link_in(outbox(app, "iris@example.org")[0])
    page = auth.client.get(f"/en/admin/users/{invited.id}")
    response = auth.client.post(f"/en/admin/users/{invited.id}/resend-invitation",
                                data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "the earlier links no longer work" in auth.client.get(
        response.headers["Location"]).text
    second = link_in(outbox(app, "iris@example.org")[1])
    assert app.test_client().get(first).status_code == 400
    assert _accept(app.test_client(), second).status_code == 302


def test_a_deactivated_invitation_cannot_be_accepted(app, auth, admin):
    _invite(auth.client)
    invited = _invited(app)
    link = link_in(outbox(app, "iris@example.org")[0])
    page = auth.client.get(f"/en/admin/users/{invited.id}")
    assert auth.client.post(f"/en/admin/users/{invited.id}/deactivate", data={
        "deactivate-reason": "Sent by mistake",
        "deactivate-csrf_token": csrf_token(page, "deactivate")}).status_code == 302
    assert app.test_client().get(link).status_code == 400
    refused = auth.client.post(f"/en/admin/users/{invited.id}/resend-invitation",
                               data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "This account is deactivated: reactivate it first." in refused.text
    assert len(outbox(app, "iris@example.org")) == 1


def test_an_invited_person_who_forgot_the_email_gets_the_invitation_again(app, auth, admin):
    _invite(auth.client)
    visitor = app.test_client()
    page = visitor.get("/en/account/password/forgotten")
    response = visitor.post("/en/account/password/forgotten", data={
        "email": "iris@example.org", "csrf_token": csrf_token(page)})
    assert response.status_code == 200
    messages = outbox(app, "iris@example.org")
    assert len(messages) == 2
    assert "/en/account/invitation/" in link_in(messages[1])
    assert _accept(app.test_client(), link_in(messages[1])).status_code == 302


def test_inviting_an_address_that_has_an_account_tells_the_administrator_only(app, auth,
                                                                             admin):
    with stored(app):
        known = people.user(email="known@example.org", display_name="Kim Known").id
    response = _invite(auth.client, email="KNOWN@example.org", display_name="Someone")
    assert response.status_code == 422 and 'id="error-summary"' in response.text
    assert "This email address already has an account." in response.text
    assert f'href="/en/admin/users/{known}"' in response.text
    assert 'value="Someone"' in response.text  # what was typed stays
    assert outbox(app, "known@example.org") == []
    assert count_in(app, User) == 2


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "not an address", "Please enter a valid email address"),
    ("email", "", "Please enter an email address."),
    ("display_name", "", "Please enter a name."),
    ("role", "emperor", "Not a valid choice"),
    ("language", "de", "Not a valid choice"),
])
def test_bad_input_is_refused_on_the_invitation_form(app, auth, admin, field, value, message):
    response = _invite(auth.client, **{field: value})
    assert response.status_code == 422 and 'id="error-summary"' in response.text
    assert message in response.text
    if field != "display_name":
        assert 'value="Iris Newcomer"' in response.text
    assert count_in(app, User) == 1 and outbox(app) == []


def test_the_invitation_form_in_french(app, auth, admin):
    page = auth.client.get("/fr/admin/users/invite")
    assert page.status_code == 200 and "Inviter une personne" in page.text
    response = _invite(auth.client, lang="fr", email="")
    assert response.status_code == 422
    assert "Veuillez saisir une adresse e-mail." in response.text


def test_the_invitation_needs_its_csrf_token(app, auth, admin):
    response = auth.client.post("/en/admin/users/invite", data={
        "display_name": "Iris", "email": "iris@example.org", "role": "participant",
        "language": "en"})
    assert response.status_code == 400
    assert count_in(app, User) == 1


def test_inviting_is_for_administrators_only(app, auth):
    sign_in_new(app, auth, "moderator")
    assert auth.client.get("/en/admin/users/invite").status_code == 403
    assert auth.client.post("/en/admin/users/invite", data={
        "csrf_token": csrf_token(auth.client.get("/en/")), "display_name": "Iris",
        "email": "iris@example.org", "role": "admin", "language": "en"}).status_code == 403
    assert count_in(app, User) == 1
