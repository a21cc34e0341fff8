"""Moderators accept or decline a representation request with a message to the person:
optional to accept, required to decline. The message is stored, sent in the email and shown
to the person in their account and in My space."""

import json
import re

import pytest
from sqlalchemy import select

from engage.accounts import services
from engage.accounts.models import Membership, MembershipStatus, Role, User
from engage.core.errors import DomainError
from engage.extensions import db
from tests.conftest import outbox
from tests.factories import stored
from tests.factories.users import association, user
from tests.helpers import csrf_token, main_part, sign_in, sign_in_new

QUEUE = "/en/admin/representation-requests"
REASON = "Your association has no record of your mandate."


@pytest.fixture
def request_of(app):
    """A pending request of a participant (language `lang`) for "Ligue des patients":
    (membership id, user id, email)."""

    def build(lang="en", name="Camille Durand", association_name="Ligue des patients"):
        with stored(app):
            person = user("participant", language=lang, display_name=name)
            membership = Membership(user=person, association=association(association_name),
                                    message="Board member")
            db.session.add(membership)
            db.session.flush()
            return membership.id, person.id, person.email

    return build


def decide(client, membership_id, decision, message="", lang="en", token_page=None):
    page = token_page or client.get(f"/{lang}/admin/representation-requests")
    return client.post(f"/{lang}/admin/representation-requests/{membership_id}", data={
        "decision": decision, "message": message, "csrf_token": csrf_token(page)})


def stored_membership(app, membership_id) -> Membership:
    with app.app_context():
        item = db.session.get(Membership, membership_id)
        db.session.expunge(item)
        return item


def test_the_queue_offers_a_message_for_each_request(app, client, auth, request_of):
    first, _, _ = request_of()
    second, _, _ = request_of(name="Dominique Roy", association_name="Vivre mieux")
    sign_in_new(app, auth, "moderator")
    page = main_part(client.get(QUEUE).text)
    assert f'<label for="message-{second}">Message to Dominique Roy</label>' in page
    form = re.search(rf'<form method="post" action="/en/admin/representation-requests/{first}'
                     r'#error-summary"[^>]*>(.*?)</form>', page, re.S)
    assert form, page
    assert f'<label for="message-{first}">Message to Camille Durand</label>' in form.group(1)
    textarea = re.search(r"<textarea([^>]*)>", form.group(1)).group(1)
    assert f'id="message-{first}"' in textarea
    assert f'aria-describedby="message-{first}-hint"' in textarea
    assert 'id="csrf_token"' not in page  # one form per request: no id used twice
    assert 'value="approve"' in form.group(1) and 'value="decline"' in form.group(1)


def test_declining_with_a_message(app, client, auth, request_of):
    membership_id, person_id, email = request_of()
    moderator_id = sign_in_new(app, auth, "moderator")
    response = decide(client, membership_id, "decline", f"  {REASON}\n")
    assert response.status_code == 302 and response.headers["Location"] == QUEUE
    assert "The request has been declined." in client.get(QUEUE).text
    saved = stored_membership(app, membership_id)
    assert saved.status == MembershipStatus.REJECTED
    assert saved.decision_message == REASON
    assert saved.decided_by_id == moderator_id
    [sent] = outbox(app, email)
    assert sent.subject == "Your request to represent Ligue des patients"
    assert sent.body.startswith("Hello Camille Durand,\n\n")
    assert "A moderator has declined your request to represent Ligue des patients." in sent.body
    assert f"\n\nNote from the moderators: {REASON}\n\nThe Engage team" in sent.body
    # The person reads it in their account, in My space and in their data.
    auth.sign_out()
    sign_in(auth, person_id)
    settings = main_part(client.get("/en/account/").text)
    assert f"Note from the moderators: {REASON}" in settings
    space = main_part(client.get("/en/my-space/").text)
    section = space.split('id="associations-heading"')[1].split("</section>")[0]
    assert "Declined" in section and f"Note from the moderators: {REASON}" in section
    public = main_part(client.get("/en/account/associations").text)
    assert "Your earlier request was declined. You can ask again." in public
    assert f"Note from the moderators: {REASON}" in public
    data = json.loads(client.get("/en/account/my-data.json").data)
    assert [row["note"] for row in data["associations"]] == [REASON]
    assert "Moderators’ note" in client.get("/en/account/my-data").text


@pytest.mark.parametrize("message", ["", "   \n  "])
def test_declining_needs_a_message(app, client, auth, request_of, message):
    membership_id, _, email = request_of()
    sign_in_new(app, auth, "moderator")
    response = decide(client, membership_id, "decline", message)
    assert response.status_code == 422
    html = response.text
    summary = html[html.index('id="error-summary"'):]
    assert (f'<a href="#message-{membership_id}">Message to Camille Durand: '
            "Please tell the person why their request is declined.</a>") in summary
    assert f'id="message-{membership_id}-error"' in html
    assert f'action="/en/admin/representation-requests/{membership_id}#error-summary"' in html
    assert "<title>Camille Durand for Ligue des patients – Engage</title>" in html
    assert stored_membership(app, membership_id).status == MembershipStatus.REQUESTED
    assert outbox(app, email) == []


def test_a_refused_decision_keeps_the_message(app, client, auth, request_of):
    membership_id, _, _ = request_of()
    sign_in_new(app, auth, "moderator")
    long = "Please ask your chair to write to us. " * 30  # over 1,000 characters
    response = decide(client, membership_id, "decline", long)
    assert response.status_code == 422
    assert "the limit is 1,000" in response.text
    assert f">\r\n{long}</textarea>" in response.text
    assert stored_membership(app, membership_id).status == MembershipStatus.REQUESTED
    # Corrected on that page, it goes through.
    page = client.get(f"/en/admin/representation-requests/{membership_id}")
    assert decide(client, membership_id, "decline", REASON, token_page=page).status_code == 302
    assert stored_membership(app, membership_id).status == MembershipStatus.REJECTED


def test_accepting_without_a_message(app, client, auth, request_of):
    membership_id, person_id, email = request_of()
    sign_in_new(app, auth, "moderator")
    response = decide(client, membership_id, "approve")
    assert response.status_code == 302
    assert "Camille Durand now represents Ligue des patients." in client.get(QUEUE).text
    saved = stored_membership(app, membership_id)
    assert (saved.status, saved.decision_message) == (MembershipStatus.APPROVED, "")
    with app.app_context():
        assert db.session.get(User, person_id).role == Role.REPRESENTATIVE
    [sent] = outbox(app, email)
    assert sent.subject == "You now represent Ligue des patients on Engage"
    assert "Note from the moderators" not in sent.body
    assert "on behalf of Ligue des patients.\n\nThe Engage team" in sent.body


def test_accepting_with_a_message_in_french(app, client, auth, request_of):
    """The email goes in the person's language; only the note is in the moderator's words."""
    membership_id, _, email = request_of(lang="fr")
    sign_in_new(app, auth, "moderator")
    assert decide(client, membership_id, "approve", "Bienvenue parmi nous !").status_code == 302
    [sent] = outbox(app, email)
    assert sent.subject == "Vous représentez désormais Ligue des patients sur Engage"
    assert sent.body.startswith("Bonjour Camille Durand,\n\n")
    assert "\n\nMessage de l’équipe de modération\u00a0: Bienvenue parmi nous !\n\n" in sent.body


def test_the_request_page_shows_the_request_then_the_decision(app, client, auth, request_of):
    membership_id, _, _ = request_of()
    sign_in_new(app, auth, "moderator")
    url = f"/en/admin/representation-requests/{membership_id}"
    page = client.get(url)
    assert page.status_code == 200
    assert "<h1>Camille Durand for Ligue des patients</h1>" in page.text
    assert "Board member" in page.text and 'value="decline"' in page.text
    decide(client, membership_id, "decline", REASON, token_page=page)
    decided = main_part(client.get(url).text)
    assert "<strong>Declined</strong>" in decided and REASON in decided
    assert 'value="decline"' not in decided


def test_a_second_decision_is_refused(app, client, auth, request_of):
    membership_id, _, email = request_of()
    sign_in_new(app, auth, "moderator")
    decide(client, membership_id, "approve")
    again = decide(client, membership_id, "decline", REASON)
    assert again.status_code == 302
    assert "This request has already been decided." in client.get(again.headers["Location"]).text
    saved = stored_membership(app, membership_id)
    assert (saved.status, saved.decision_message) == (MembershipStatus.APPROVED, "")
    assert len(outbox(app, email)) == 1


@pytest.mark.parametrize("decision", ["", "maybe"])
def test_a_decision_other_than_the_buttons_is_refused(app, client, auth, request_of, decision):
    membership_id, _, _ = request_of()
    sign_in_new(app, auth, "moderator")
    assert decide(client, membership_id, decision, REASON).status_code == 400
    assert stored_membership(app, membership_id).status == MembershipStatus.REQUESTED


def test_the_decision_needs_the_session_token(app, client, auth, request_of):
    membership_id, _, _ = request_of()
    sign_in_new(app, auth, "moderator")
    response = client.post(f"/en/admin/representation-requests/{membership_id}", data={
        "decision": "decline", "message": REASON, "csrf_token": "forged"})
    assert response.status_code == 400
    assert stored_membership(app, membership_id).status == MembershipStatus.REQUESTED


@pytest.mark.parametrize("role", ["participant", "representative"])
def test_participants_cannot_decide(app, client, auth, request_of, role):
    membership_id, _, _ = request_of()
    sign_in_new(app, auth, role)
    url = f"/en/admin/representation-requests/{membership_id}"
    assert client.get(url).status_code == 403
    assert decide(client, membership_id, "approve", token_page=client.get("/en/")) \
        .status_code == 403
    assert stored_membership(app, membership_id).status == MembershipStatus.REQUESTED


def test_french_error_on_the_french_page(app, client, auth, request_of):
    membership_id, _, _ = request_of()
    sign_in_new(app, auth, "moderator", language="fr")
    response = decide(client, membership_id, "decline", lang="fr")
    assert response.status_code == 422
    assert ("Message à Camille Durand\u00a0: Veuillez indiquer à la personne pourquoi sa "
            "demande est refusée.") in response.text


def test_asking_again_clears_the_earlier_answer(app, client, auth, request_of):
    membership_id, person_id, _ = request_of()
    with app.test_request_context("/en/"):
        moderator = user("moderator")
        membership = db.session.get(Membership, membership_id)
        services.decide_representation(moderator, membership, False, REASON)
        services.request_representation(db.session.get(User, person_id),
                                        membership.association, "Now mandated by the board")
        assert (membership.status, membership.decision_message, membership.decided_at) == \
            (MembershipStatus.REQUESTED, "", None)
        db.session.rollback()


def test_the_model_refuses_a_refusal_without_a_message(app, request_of):
    membership_id, _, _ = request_of()
    with app.test_request_context("/en/"):
        moderator = user("moderator")
        membership = db.session.scalar(select(Membership).where(Membership.id == membership_id))
        with pytest.raises(DomainError) as refused:
            services.decide_representation(moderator, membership, False, " ")
        assert str(refused.value.message) == \
            "Please tell the person why their request is declined."
        assert membership.status == MembershipStatus.REQUESTED
        db.session.rollback()
