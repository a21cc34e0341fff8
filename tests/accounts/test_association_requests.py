"""Asking to represent an association from its entry in the public list: a button for
signed-in people who may ask, a link to sign in for visitors, and where one stands
otherwise (request sent, representative)."""

import re

import pytest

from engage.accounts.models import Association, Membership, MembershipStatus, User
from engage.extensions import db
from tests.helpers import main_part

TEXTS = {
    "en": {"ask": "Ask to represent Ligue des patients",
           "sign_in": "Sign in to ask to represent Ligue des patients",
           "sent": "Your request has been sent to the moderators.",
           "pending": "Request sent: a moderator will check it.",
           "member": "You represent this association.",
           "again": "You have already asked to represent this association.",
           "confirm": "Confirm your email address to ask to represent an association."},
    "fr": {"ask": "Demander à représenter Ligue des patients",
           "sign_in": "Connectez-vous pour demander à représenter Ligue des patients",
           "sent": "Votre demande a été envoyée aux modérateur·rices.",
           "pending": "Demande envoyée\u00a0: un·e modérateur·rice va la vérifier.",
           "member": "Vous représentez cette association.",
           "again": "Vous avez déjà demandé à représenter cette association.",
           "confirm": "Confirmez votre adresse e-mail pour demander à représenter une "
                      "association."},
}


@pytest.fixture
def league(app):
    with app.app_context():
        association = Association(name="Ligue des patients", description_fr="Texte")
        db.session.add(association)
        db.session.commit()
        return association.id


def entry(page, association_id: int) -> str:
    html = main_part(page.text)
    start = html.index(f'id="association-{association_id}"')
    return html[start:html.index("</article>", start)]


def ask_button(html: str) -> dict:
    """The button's form: its action and its hidden fields."""
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form, "no request button"
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    return {"action": form.group(1), "fields": fields}


def memberships(app):
    with app.app_context():
        return [(m.association_id, m.status) for m in db.session.scalars(db.select(Membership))]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_visitors_are_asked_to_sign_in_first(client, league, lang):
    html = entry(client.get(f"/{lang}/account/associations"), league)
    assert TEXTS[lang]["sign_in"] in html and "<form" not in html
    assert f"/{lang}/account/sign-in?next=/{lang}/account/associations%23association-{league}" \
        in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_request_is_sent_from_the_entry(app, client, auth, league, lang):
    auth.sign_in_as(language=lang)
    html = entry(client.get(f"/{lang}/account/associations"), league)
    assert TEXTS[lang]["ask"] in html
    button = ask_button(html)
    assert button["action"] == f"/{lang}/account/representation"
    assert button["fields"]["representation-association_id"] == str(league)
    answer = client.post(button["action"], data=button["fields"])
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/{lang}/account/associations#association-{league}"
    assert memberships(app) == [(league, MembershipStatus.REQUESTED)]
    page = client.get(answer.headers["Location"])
    assert TEXTS[lang]["sent"] in page.text
    html = entry(page, league)
    assert TEXTS[lang]["pending"] in html and "<form" not in html
    # A second request (a page left open) is refused there, with the reason.
    again = client.post(button["action"], data=button["fields"])
    assert again.status_code == 302 and again.headers["Location"] == answer.headers["Location"]
    assert TEXTS[lang]["again"] in client.get(again.headers["Location"]).text
    assert memberships(app) == [(league, MembershipStatus.REQUESTED)]


def test_the_button_needs_the_session_token(app, client, auth, league):
    auth.sign_in_as(language="en")
    button = ask_button(entry(client.get("/en/account/associations"), league))
    fields = {**button["fields"], "representation-csrf_token": "forged"}
    assert client.post(button["action"], data=fields).status_code == 400
    assert memberships(app) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_representatives_see_where_they_stand(app, client, auth, league, lang):
    user_id = auth.sign_in_as(language=lang)
    with app.app_context():
        db.session.add(Membership(user_id=user_id, association_id=league,
                                  status=MembershipStatus.APPROVED))
        db.session.commit()
    html = entry(client.get(f"/{lang}/account/associations"), league)
    assert TEXTS[lang]["member"] in html and "<form" not in html


def test_a_declined_request_can_be_made_again(app, client, auth, league):
    user_id = auth.sign_in_as(language="en")
    with app.app_context():
        db.session.add(Membership(user_id=user_id, association_id=league,
                                  status=MembershipStatus.REJECTED))
        db.session.commit()
    button = ask_button(entry(client.get("/en/account/associations"), league))
    assert client.post(button["action"], data=button["fields"]).status_code == 302
    assert memberships(app) == [(league, MembershipStatus.REQUESTED)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_unconfirmed_addresses_are_told_first(app, client, auth, league, lang):
    user_id = auth.sign_in_as(language=lang)
    with app.app_context():
        db.session.get(User, user_id).email_confirmed_at = None
        db.session.commit()
    html = entry(client.get(f"/{lang}/account/associations"), league)
    assert TEXTS[lang]["confirm"] in html and "<form" not in html
