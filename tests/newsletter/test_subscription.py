"""Subscribing to the newsletter, with or without an account, by double opt-in: the form
answers the same whatever the address, the confirmation link starts with the configured
BASE_URL, a bad address or link is told clearly (422, 404), never a 500; "my data" shows
the account's subscription and deleting the account removes it."""

import json
import re

import pytest
from sqlalchemy import select

from engage.accounts.models import User
from engage.core.db import utcnow
from engage.extensions import db
from engage.newsletter import queries, services
from engage.newsletter.models import Subscriber
from tests.conftest import PASSWORD, Auth, build_app, csrf_token, outbox, reset_database
from tests.factories.newsletter import subscriber
from tests.factories.users import user

SITE = "https://engage.example.org"
CONFIRM_LINK = re.compile(rf"{SITE}(/(fr|en)/newsletter/confirm/\S+)")


def build_world(app) -> dict:
    with app.test_request_context("/en/"):
        holder = user("participant", email="holder@example.org", language="fr")
        subscriber("subscribed@example.org", "en")
        subscriber("waiting@example.org", "en", confirmed=False)
        db.session.commit()
        return {"holder": holder.email}


@pytest.fixture
def site(app, monkeypatch):
    """The site's configured address differs from the test client's host."""
    monkeypatch.setitem(app.config, "BASE_URL", SITE)


def ask(client, email, language="en", lang="en"):
    form = client.get(f"/{lang}/newsletter/subscribe")
    assert form.status_code == 200
    return client.post(f"/{lang}/newsletter/subscribe", data={
        "email": email, "language": language, "csrf_token": csrf_token(form)})


def row(app, email) -> Subscriber | None:
    with app.app_context():
        found = queries.subscription_of(email)
        if found is not None:
            db.session.expunge(found)
        return found


def test_a_visitor_subscribes_and_confirms(app, world, site):
    client = app.test_client()
    answer = ask(client, " New.Reader@Example.org ", language="fr")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/en/newsletter/check-your-email"
    assert "Check your email" in client.get(answer.headers["Location"]).text
    pending = row(app, "new.reader@example.org")
    assert pending is not None and not pending.is_confirmed and pending.language == "fr"
    [message] = outbox(app, "new.reader@example.org")
    assert message.language == "fr" and message.subject == \
        "Confirmez votre abonnement à la lettre d’information d’Engage"
    link = CONFIRM_LINK.search(message.body)
    assert link, message.body  # from BASE_URL, not from the request's host
    confirmed = client.get(link.group(1))
    assert confirmed.status_code == 200
    assert '<html lang="fr"' in confirmed.text and "new.reader@example.org" in confirmed.text
    assert row(app, "new.reader@example.org").is_confirmed
    assert client.get(link.group(1)).status_code == 200  # followed again: still confirmed


def test_the_answer_never_tells_whether_an_address_is_known(app, world):
    answers = {}
    for email in ("unknown@example.org", "waiting@example.org", "subscribed@example.org",
                  world["holder"]):
        client = app.test_client()
        answer = ask(client, email)
        page = client.get(answer.headers["Location"])
        answers[email] = (answer.status_code, answer.headers["Location"], page.text)
        assert len(outbox(app, email)) == 1, email  # one email each, whatever the address
    assert len(set(answers.values())) == 1
    [note] = outbox(app, "subscribed@example.org")
    assert note.subject == "You already receive the Engage newsletter"
    assert "/newsletter/confirm/" not in note.body and "/en/newsletter/unsubscribe/" in note.body
    for email in ("unknown@example.org", "waiting@example.org", world["holder"]):
        [message] = outbox(app, email)
        assert "/newsletter/confirm/" in message.body, email
    # Asking again does not confirm anyone, nor make a second row.
    with app.app_context():
        rows = db.session.scalars(select(Subscriber).order_by(Subscriber.email)).all()
        assert [(r.email, r.is_confirmed) for r in rows] == [
            ("holder@example.org", False), ("subscribed@example.org", True),
            ("unknown@example.org", False), ("waiting@example.org", False)]


def test_a_signed_in_person_finds_the_form_filled_in(app, world):
    client = app.test_client()
    assert Auth(app, client).sign_in(world["holder"]).status_code == 302
    page = client.get("/en/newsletter/subscribe")
    assert 'value="holder@example.org"' in page.text
    assert re.search(r'<input checked id="language-\d" name="language"[^>]* value="fr">',
                     page.text)
    answer = client.post("/en/newsletter/subscribe", data={
        "email": world["holder"], "language": "fr", "csrf_token": csrf_token(page)})
    assert answer.headers["Location"] == "/en/newsletter/check-your-email"
    assert not row(app, world["holder"]).is_confirmed  # the same double opt-in


@pytest.mark.parametrize(("email", "error"), [
    ("not an address", "Please enter a valid email address, such as name@example.org."),
    ("", "Please enter your email address."),
])
def test_a_bad_address_is_refused_with_the_text_kept(app, world, email, error):
    client = app.test_client()
    answer = ask(client, email)
    assert answer.status_code == 422
    assert 'id="error-summary"' in answer.text and error in answer.text
    assert 'action="/en/newsletter/subscribe#error-summary"' in answer.text
    if email:
        assert f'value="{email}"' in answer.text
    assert not outbox(app)


def test_an_unknown_language_is_refused(app, world):
    answer = ask(app.test_client(), "someone@example.org", language="xx")
    assert answer.status_code == 422 and 'id="error-summary"' in answer.text
    assert row(app, "someone@example.org") is None


def test_subscribing_needs_the_csrf_token(app, world):
    answer = app.test_client().post("/en/newsletter/subscribe",
                                    data={"email": "someone@example.org", "language": "en"})
    assert answer.status_code == 400
    assert row(app, "someone@example.org") is None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unknown_and_expired_links_are_not_found(app, world, lang, monkeypatch):
    client = app.test_client()
    texts = {"fr": "Ce lien ne fonctionne pas", "en": "This link does not work"}
    for url in (f"/{lang}/newsletter/confirm/not-a-token",
                f"/{lang}/newsletter/unsubscribe/not-a-token"):
        for method in ("GET", "POST"):
            answer = client.open(url, method=method)
            if method == "POST" and "confirm" in url:
                assert answer.status_code == 405
                continue
            assert answer.status_code == 404, url
            assert texts[lang] in answer.text, url
    with app.test_request_context("/en/"):
        waiting = db.session.scalar(select(Subscriber).where(
            Subscriber.email == "waiting@example.org"))
        token = services.confirmation_token(waiting)
        # A link made for a row deleted since does not work for a new row of the address.
        stale = services.unsubscribe_token(waiting)
        db.session.delete(waiting)
        db.session.flush()
        subscriber("waiting@example.org", "en")
        db.session.commit()
    assert client.post(f"/{lang}/newsletter/unsubscribe/{stale}").status_code == 404
    assert row(app, "waiting@example.org") is not None
    monkeypatch.setitem(app.config, "EMAIL_CONFIRMATION_MAX_AGE", -1)
    expired = client.get(f"/{lang}/newsletter/confirm/{token}")
    assert expired.status_code == 404
    assert {"fr": "Ce lien a expiré", "en": "This link has expired"}[lang] in expired.text


def test_my_data_shows_the_subscription_and_deleting_the_account_removes_it(app, world):
    with app.app_context():
        subscriber(world["holder"], "fr")
        db.session.commit()
    client = app.test_client()
    assert Auth(app, client).sign_in(world["holder"]).status_code == 302
    data = json.loads(client.get("/en/account/my-data.json").data)
    [entry] = data["newsletter"]
    assert (entry["email"], entry["language"], entry["status"]) == \
        ("holder@example.org", "fr", "subscribed")
    page = client.get("/en/account/my-data")
    assert "The newsletter" in page.text and "<dd>French" in page.text \
        and "<dd>Subscribed" in page.text
    form = client.get("/en/account/delete")
    deleted = client.post("/en/account/delete", data={
        "password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)})
    assert deleted.status_code == 302
    assert row(app, "holder@example.org") is None
    assert row(app, "subscribed@example.org") is not None  # others stay
    with app.app_context():
        account = db.session.scalar(select(User).where(User.deleted_at.is_not(None)))
        assert account is not None and account.deleted_at <= utcnow()


@pytest.fixture
def limited_app(tmp_path):
    """An application with the limiter on and small limits, in a SQLite file of its own
    (limits do not depend on the database); the limiter, one object shared by every
    application of the run, is put back off after."""
    from engage.extensions import limiter

    limited = build_app(f"sqlite:///{tmp_path / 'limits.sqlite3'}", RATELIMIT_ENABLED=True,
                        RATELIMIT_STORAGE_URI="memory://", RATELIMIT_REGISTER="2 per minute")
    reset_database(limited)
    limiter.enabled = True
    limiter.reset()
    try:
        yield limited
    finally:
        limiter.enabled = False


def test_subscribing_is_rate_limited_by_place_and_by_address(limited_app):
    app = limited_app

    def visitor(address):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    first = visitor("10.8.0.1")
    assert [ask(first, f"reader{n}@example.org").status_code for n in range(3)] == \
        [302, 302, 429]
    assert "Too many attempts" in ask(first, "reader3@example.org").text
    # Elsewhere, another address goes through; an address asked for twice does not.
    assert ask(visitor("10.8.0.2"), "reader0@example.org").status_code == 302
    assert ask(visitor("10.8.0.3"), "reader0@example.org").status_code == 429
    assert len(outbox(app, "reader0@example.org")) == 2
