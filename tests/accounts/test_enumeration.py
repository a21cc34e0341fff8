"""No account enumeration: for an address that has an account and for one that has none,
sign-in, registration and password reset do the same costly work (password hashes, emails
queued, rows written) and give the same answer. The timings themselves are measured in
test_enumeration_timing.py."""

import re
from collections import Counter
from dataclasses import dataclass

import pytest
import werkzeug.security
from sqlalchemy import event

from engage.core.outbox import OutboxMessage
from engage.extensions import db
from tests.factories.users import PASSWORD
from tests.helpers import count_in, csrf_token

KNOWN = "known@example.org"
WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)


@dataclass
class Work:
    hashes: int
    emails: int
    # (statement, table): without Redis, the sending of the email (an UPDATE of the outbox)
    # happens within the request too, the same way for both.
    writes: Counter
    answer: tuple[int, str, str]


@pytest.fixture
def measure(app, monkeypatch):
    """measure(send, address) -> the Work of the request `send()` makes about `address`."""
    hashes = Counter()
    real_hash = werkzeug.security._hash_internal

    def counted_hash(method, salt, password):
        hashes["n"] += 1
        return real_hash(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counted_hash)
    writes: Counter = Counter()

    def record(conn, cursor, statement, parameters, context, executemany):
        match = WRITE.match(statement)
        if match:
            writes[match.group(1).split()[0].upper(), match.group(2)] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)

    def run(send, address: str) -> Work:
        hashes.clear()
        writes.clear()
        emails_before = count_in(app, OutboxMessage)
        response = send()
        emails = count_in(app, OutboxMessage) - emails_before
        # The typed address is shown back and the CSRF token is signed with the time.
        body = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", response.text)
        body = body.replace(address, "ADDRESS")
        answer = (response.status_code, response.headers.get("Location", ""), body)
        return Work(hashes["n"], emails, Counter(writes), answer)

    yield run
    event.remove(engine, "before_cursor_execute", record)


def _poster(client, url):
    token = csrf_token(client.get(url))
    return lambda data: client.post(url, data={**data, "csrf_token": token})


def test_sign_in_does_the_same_work_for_an_unknown_address(app, client, factory, measure):
    factory.user(email=KNOWN, language="en")
    post = _poster(client, "/en/account/sign-in")
    post({"email": "warm-up@example.org", "password": "wrong"})  # the dummy hash is made
    known = measure(lambda: post({"email": KNOWN, "password": "not the password"}), KNOWN)
    unknown = measure(lambda: post({"email": "nobody@example.org",
                                    "password": "not the password"}), "nobody@example.org")
    assert known.hashes == unknown.hashes == 1
    assert known.emails == unknown.emails == 0
    assert known.writes == unknown.writes == Counter()
    assert known.answer == unknown.answer
    assert known.answer[0] == 401


def test_registration_does_the_same_work_for_a_known_address(app, client, factory, measure):
    factory.user(email=KNOWN, language="en")
    post = _poster(client, "/en/account/register")
    fields = {"display_name": "Nadia", "password": PASSWORD, "confirm_password": PASSWORD,
              "consent": "y"}
    known = measure(lambda: post({**fields, "email": KNOWN}), KNOWN)
    new = measure(lambda: post({**fields, "email": "new@example.org"}), "new@example.org")
    assert known.hashes == new.hashes == 1
    assert known.emails == new.emails == 1
    # The same writes, but for the new account's own row.
    assert new.writes - Counter({("INSERT", "users"): 1}) == known.writes
    assert known.writes[("INSERT", "outbox_messages")] == 1
    assert known.answer == new.answer
    assert known.answer[:2] == (302, "/en/account/check-your-email")


def test_password_reset_does_the_same_work_for_an_unknown_address(app, client, factory,
                                                                  measure):
    factory.user(email=KNOWN, language="en")
    post = _poster(client, "/en/account/password/forgotten")
    known = measure(lambda: post({"email": KNOWN}), KNOWN)
    unknown = measure(lambda: post({"email": "nobody@example.org"}), "nobody@example.org")
    assert known.hashes == unknown.hashes == 0
    assert known.emails == unknown.emails == 1
    assert known.writes == unknown.writes
    assert known.writes[("INSERT", "outbox_messages")] == 1
    assert known.answer == unknown.answer
    assert known.answer[0] == 200
