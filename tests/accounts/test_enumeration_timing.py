"""No account enumeration by timing: with the production password hash (scrypt), the
answers for an address that has an account and for one that has none take the same time.

Issue #15 measured in production (medians of 12): sign-in 106 ms against 8, registration
22 against 248, reset 23 against 8. Each flow here is measured the same way: requests for
both kinds of address, interleaved so that a slow moment of the machine hits both, and the
medians compared. The database plays no part in the difference, so one (SQLite) is enough.

Before the fix, on this machine (processor time, see `_timed`): sign-in 115 against 6 ms,
registration 10 against 127, reset 10.3 against 4.7: the slower path 2.2 to 20 times the
faster. After: within 5 % in most runs, 16 % at worst, with other processes taking both
cores. A path more than RATIO times slower than the other fails.
"""

import statistics
import time

import pytest

from engage.extensions import db
from tests.conftest import build_app, reset_database
from tests.factories.users import PASSWORD, Factory
from tests.helpers import csrf_token

SAMPLES = 7  # per kind of address, interleaved: each costs a hash of ~100 ms
CHEAP_SAMPLES = 15  # for the reset, which hashes nothing (~10 ms a request)
RATIO = 1.3


@pytest.fixture(scope="module")
def scrypt_app(tmp_path_factory):
    """An app that hashes like production (scrypt, ~100 ms here): the test app's method is
    cheap."""
    path = tmp_path_factory.mktemp("timing") / "timing.sqlite3"
    application = build_app(f"sqlite:///{path}", PASSWORD_HASH_METHOD="scrypt")
    reset_database(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _known(app, email: str) -> str:
    Factory(app).user(email=email, language="en")
    return email


def _assert_alike(flow: str, known: float, unknown: float) -> None:
    print(f"{flow} medians: known {known:.1f} ms, unknown {unknown:.1f} ms")
    slower, faster = max(known, unknown), min(known, unknown)
    assert slower < RATIO * faster, (flow, known, unknown)


def _timed(send) -> float:
    """The processor time of a request, in ms: what the server does for it, without the
    waits that other processes on a shared machine add at random (the request runs in this
    process, and so does SQLite)."""
    started = time.process_time()
    send()
    return (time.process_time() - started) * 1000


def _medians(send_known, send_unknown, samples=SAMPLES) -> tuple[float, float]:
    send_known(-1), send_unknown(-1)  # warm-up: templates compiled, dummy hash made
    known, unknown = [], []
    for index in range(samples):
        known.append(_timed(lambda index=index: send_known(index)))
        unknown.append(_timed(lambda index=index: send_unknown(index)))
    return statistics.median(known), statistics.median(unknown)


def _form_poster(client, url):
    token = csrf_token(client.get(url))

    def post(data, status):
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == status, response.text[:300]

    return post


def test_sign_in_takes_as_long_for_an_unknown_address(scrypt_app):
    known_address = _known(scrypt_app, "known.sign-in@example.org")
    post = _form_poster(scrypt_app.test_client(), "/en/account/sign-in")
    known, unknown = _medians(
        lambda _: post({"email": known_address, "password": "not the password"}, 401),
        lambda i: post({"email": f"nobody{i}@example.org", "password": "not the password"},
                       401))
    _assert_alike("sign-in", known, unknown)


def test_registration_takes_as_long_for_a_known_address(scrypt_app):
    known_address = _known(scrypt_app, "known.registration@example.org")
    post = _form_poster(scrypt_app.test_client(), "/en/account/register")
    fields = {"display_name": "Nadia", "password": PASSWORD, "confirm_password": PASSWORD,
              "consent": "y"}
    known, unknown = _medians(
        lambda _: post({**fields, "email": known_address}, 302),
        lambda i: post({**fields, "email": f"new{i}@example.org"}, 302))
    _assert_alike("registration", known, unknown)


def test_password_reset_takes_as_long_for_an_unknown_address(scrypt_app):
    known_address = _known(scrypt_app, "known.reset@example.org")
    post = _form_poster(scrypt_app.test_client(), "/en/account/password/forgotten")
    known, unknown = _medians(
        lambda _: post({"email": known_address}, 200),
        lambda i: post({"email": f"ghost{i}@example.org"}, 200), samples=CHEAP_SAMPLES)
    _assert_alike("reset", known, unknown)
