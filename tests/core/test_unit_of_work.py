"""The request's unit of work: a refused move keeps nothing of what its service flushed, and
no email leaves for it; a success is committed, then its emails are handed to the sender."""

from engage.accounts import services as account_services
from engage.accounts.models import Association, Role, User
from engage.core.errors import DomainError
from engage.core.outbox import OutboxStatus, queue_email
from engage.extensions import db
from tests.conftest import outbox
from tests.helpers import csrf_token

ASSOCIATION = {"name": "Patients en réseau", "accreditation": "regional",
               "description_fr": "Une association.", "description_en": "An association."}


def _write_then_refuse(flushed: list):
    """A service that adds a row and an email, flushes them, then refuses the move."""

    def create_association(actor, **fields):
        association = Association(name=fields["name"], accreditation=fields["accreditation"])
        db.session.add(association)
        queue_email(actor.email, "en", "accounts/password_changed", user=actor)
        db.session.flush()
        flushed.append(association.id)
        raise DomainError("Refused after writing.")

    return create_association


def test_a_form_refused_after_a_flush_keeps_nothing(app, client, auth, monkeypatch):
    auth.sign_in_as(role=Role.ADMIN, email="admin@example.org")
    flushed = []
    monkeypatch.setattr(account_services, "create_association", _write_then_refuse(flushed))
    page = client.get("/en/admin/associations/new")
    response = client.post("/en/admin/associations/new",
                           data={**ASSOCIATION, "csrf_token": csrf_token(page)})
    assert response.status_code == 422
    assert "Refused after writing." in response.text
    assert len(flushed) == 1 and flushed[0] is not None  # the row did reach the database
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Association)) == 0
    assert outbox(app) == []


def test_a_refusal_flashed_before_a_redirect_keeps_nothing(app, client, auth, factory,
                                                           monkeypatch):
    auth.sign_in_as(role=Role.ADMIN, email="admin@example.org")
    target = factory.user(email="member@example.org")

    def promote_then_refuse(actor, user, role):
        user.role = Role.MODERATOR
        queue_email(user.email, "en", "accounts/password_changed", user=user)
        db.session.flush()
        raise DomainError("Refused after writing.")

    monkeypatch.setattr(account_services, "change_role", promote_then_refuse)
    page = client.get("/en/admin/users")
    response = client.post(f"/en/admin/users/{target}/role",
                           data={"role": "moderator", "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "Refused after writing." in client.get(response.headers["Location"]).text
    with app.app_context():
        assert db.session.get(User, target).role == Role.PARTICIPANT
    assert outbox(app) == []


def test_a_success_is_committed_then_its_emails_are_sent(app, client, auth, monkeypatch):
    auth.sign_in_as(role=Role.ADMIN, email="admin@example.org")
    create_association = account_services.create_association

    def create_and_tell(actor, **fields):
        association = create_association(actor, **fields)
        queue_email(actor.email, "en", "accounts/password_changed", user=actor)
        return association

    monkeypatch.setattr(account_services, "create_association", create_and_tell)
    page = client.get("/en/admin/associations/new")
    response = client.post("/en/admin/associations/new",
                           data={**ASSOCIATION, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Association.name)) == "Patients en réseau"
    [message] = outbox(app)
    # Without Redis the sender runs at once, once the request has committed.
    assert message.recipient == "admin@example.org"
    assert message.status == OutboxStatus.LOGGED
