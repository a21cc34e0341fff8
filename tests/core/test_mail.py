"""Emails leave the outbox by SMTP: a real local server receives them."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller

from engage.core.outbox import OutboxMessage, OutboxStatus
from engage.extensions import db
from tests.conftest import build_app, reset_database
from tests.helpers import csrf_token


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, collector
    controller.stop()


def test_password_reset_email_arrives_by_smtp(tmp_path, smtp_server):
    controller, collector = smtp_server
    app = build_app(f"sqlite:///{tmp_path / 'mail.sqlite3'}", MAIL_SERVER="127.0.0.1",
                    MAIL_PORT=controller.port)
    reset_database(app)
    from tests.factories.users import Factory

    Factory(app).user(email="reader@example.org", language="en")
    client = app.test_client()
    page = client.get("/en/account/password/forgotten")
    client.post("/en/account/password/forgotten",
                data={"email": "reader@example.org", "csrf_token": csrf_token(page)})
    deadline = time.monotonic() + 5
    while not collector.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    [envelope] = collector.messages
    assert envelope.rcpt_tos == ["reader@example.org"]
    content = envelope.content.decode()
    assert "Subject: Choose a new password for Engage" in content
    assert "/en/account/password/reset/" in content
    with app.app_context():
        message = db.session.scalar(db.select(OutboxMessage))
        assert message.status == OutboxStatus.SENT


def test_unreachable_server_keeps_the_message_queued(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'mail.sqlite3'}", MAIL_SERVER="127.0.0.1",
                    MAIL_PORT=free_port())
    reset_database(app)
    from tests.factories.users import Factory

    Factory(app).user(email="reader@example.org", language="fr")
    client = app.test_client()
    page = client.get("/fr/account/password/forgotten")
    response = client.post("/fr/account/password/forgotten",
                           data={"email": "reader@example.org", "csrf_token": csrf_token(page)})
    assert response.status_code == 200  # the visitor is not bothered
    with app.app_context():
        message = db.session.scalar(db.select(OutboxMessage))
        assert message.status == OutboxStatus.QUEUED
        assert message.attempts == 1
        assert message.last_error
        assert message.language == "fr"
