"""Asking to represent an association, and the moderators' decision."""

from engage.accounts.models import Association, Membership, MembershipStatus, Role, User
from engage.extensions import db
from tests.conftest import outbox
from tests.helpers import csrf_token


def make_association(app, name="Association A"):
    with app.app_context():
        association = Association(name=name, description_fr="Texte", description_en="")
        db.session.add(association)
        db.session.commit()
        return association.id


def ask(client, association_id, message="Board member"):
    page = client.get("/en/account/")
    return client.post("/en/account/representation", data={
        "representation-association_id": association_id,
        "representation-message": message,
        "representation-csrf_token": csrf_token(page, "representation")})


def test_request_then_approval_grants_the_representative_role(app, client, auth, factory):
    association_id = make_association(app)
    user_id = auth.sign_in_as(language="en")
    assert ask(client, association_id).status_code == 302
    assert "Awaiting approval" in client.get("/en/account/").text
    # Asking twice is refused with a message.
    again = ask(client, association_id)
    assert again.status_code == 422
    assert "already asked" in again.text
    auth.sign_out()

    auth.sign_in_as(role=Role.MODERATOR)
    queue = client.get("/en/admin/representation-requests")
    assert "Association A" in queue.text
    with app.app_context():
        membership_id = db.session.scalar(db.select(Membership.id))
    response = client.post(f"/en/admin/representation-requests/{membership_id}", data={
        "decision": "approve", "csrf_token": csrf_token(queue)})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.role == Role.REPRESENTATIVE
        assert [a.name for a in user.represented_associations()] == ["Association A"]
        email = user.email
    assert "You now represent Association A" in outbox(app, email)[-1].subject

    # A second decision on the same request is refused, nothing changes.
    again = client.post(f"/en/admin/representation-requests/{membership_id}", data={
        "decision": "decline", "csrf_token": csrf_token(queue)}, follow_redirects=True)
    assert "already been decided" in again.text


def test_declined_request(app, client, auth):
    association_id = make_association(app)
    user_id = auth.sign_in_as()
    ask(client, association_id)
    auth.sign_out()
    auth.sign_in_as(role=Role.ADMIN)
    queue = client.get("/en/admin/representation-requests")
    with app.app_context():
        membership_id = db.session.scalar(db.select(Membership.id))
    response = client.post(f"/en/admin/representation-requests/{membership_id}", data={
        "decision": "decline", "message": "Your association has no record of your mandate.",
        "csrf_token": csrf_token(queue)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).role == Role.PARTICIPANT
        membership = db.session.get(Membership, membership_id)
        assert membership.status == MembershipStatus.REJECTED
        assert membership.decision_message == "Your association has no record of your mandate."


def test_participants_cannot_decide(app, client, auth):
    auth.sign_in_as()
    assert client.get("/en/admin/representation-requests").status_code == 403


def test_unconfirmed_users_cannot_ask(app, client, auth, factory):
    association_id = make_association(app)
    # Signed in before the address was unconfirmed (e.g. after an email change).
    user_id = auth.sign_in_as()
    with app.app_context():
        db.session.get(User, user_id).email_confirmed_at = None
        db.session.commit()
    response = ask(client, association_id)
    assert response.status_code == 403
    assert "confirm your email address first" in response.text


def test_public_association_list(app, client):
    make_association(app, "Ligue des patients")
    response = client.get("/en/account/associations")
    assert response.status_code == 200
    assert "Ligue des patients" in response.text
    assert "Only available in another language." in response.text
