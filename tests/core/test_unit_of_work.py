"""The request's unit of work: a refused move keeps nothing of what its service flushed, and
no email leaves for it; a success is committed, then its emails are handed to the sender;
what fails after the commit is logged, and the answer still tells the success."""

import logging

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from engage.accounts import services as account_services
from engage.accounts.models import Association, Role, User
from engage.consultations import participation
from engage.consultations.models import Contribution
from engage.core import jobs
from engage.core.errors import DomainError
from engage.core.outbox import OutboxStatus, queue_email
from engage.core.unit_of_work import after_commit
from engage.extensions import db
from tests.conftest import outbox
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import count_in, csrf_token, hidden_value, sign_in_new

ASSOCIATION = {"name": "Patients en réseau", "accreditation": "none",
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

    def reactivate_then_refuse(actor, user):
        user.role = Role.MODERATOR
        queue_email(user.email, "en", "accounts/password_changed", user=user)
        db.session.flush()
        raise DomainError("Refused after writing.")

    monkeypatch.setattr(account_services, "reactivate", reactivate_then_refuse)
    page = client.get(f"/en/admin/users/{target}")
    response = client.post(f"/en/admin/users/{target}/reactivate",
                           data={"csrf_token": csrf_token(page)})
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


class AfterTheCommit(Exception):
    """What a step run after the commit raises in these tests."""


def _fail_after_the_commit(*args, **kwargs):
    raise AfterTheCommit("failed after the commit")


def _post_contribution_then(step: str, post_contribution):
    """`participation.post_contribution`, which also leaves a step to run once the request
    has committed: an `after_commit` action, or an email to hand over."""

    def post_and_leave_a_failing_step(actor, consultation, body, **kwargs):
        result = post_contribution(actor, consultation, body, **kwargs)
        if step == "action":
            after_commit(_fail_after_the_commit)
        else:
            queue_email(actor.email, "en", "accounts/password_changed", user=actor)
        return result

    return post_and_leave_a_failing_step


@pytest.mark.parametrize("step", ["action", "commit listener", "outbox"])
def test_a_failure_after_the_commit_keeps_the_contribution_and_answers_success(
        app, client, auth, monkeypatch, caplog, step):
    with stored(app):
        consultation_id = builders.consultation("open").id
    sign_in_new(app, auth)
    monkeypatch.setattr(participation, "post_contribution",
                        _post_contribution_then(step, participation.post_contribution))
    if step == "outbox":
        monkeypatch.setattr(jobs, "enqueue", _fail_after_the_commit)
    url = f"/en/consultations/{consultation_id}"
    page = client.get(url)
    data = {"body": "Kept whatever happens next.", "csrf_token": csrf_token(page),
            "submission_key": hidden_value(page.text, "submission_key")}
    failures = []

    def fail_once(session):  # like the listener deleting files once their removal is kept
        if not failures:
            failures.append(session)
            _fail_after_the_commit()

    if step == "commit listener":
        event.listen(Session, "after_commit", fail_once)
    try:
        with caplog.at_level(logging.ERROR, logger="engage.core.unit_of_work"):
            response = client.post(f"{url}/contributions", data=data)
    finally:
        if step == "commit listener":
            event.remove(Session, "after_commit", fail_once)
    assert response.status_code == 302, response.text
    assert "Thank you, your contribution is published." in client.get(
        response.headers["Location"]).text
    assert count_in(app, Contribution) == 1
    [record] = [r for r in caplog.records if r.name == "engage.core.unit_of_work"]
    assert isinstance(record.exc_info[1], AfterTheCommit)
    if step != "action":
        [message] = outbox(app)
        # Handed over after a failed listener; else waiting for the next delivery.
        expected = OutboxStatus.QUEUED if step == "outbox" else OutboxStatus.LOGGED
        assert message.status == expected
