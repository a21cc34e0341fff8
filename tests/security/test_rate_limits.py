"""Writing and searching are rate limited per account, and per IP address for visitors, with
the translated 429 page (engage/core/rate_limits.py); behind the trusted proxy, a visitor's
address is the one the proxy saw (engage/core/proxy.py).

The module builds one application with the limiter on and small limits, in a SQLite file of
its own, with the authorization matrix's world (tests/security/world.py); each test starts
from that world and from empty counters.
"""

import itertools

import pytest

from engage.extensions import limiter
from tests.conftest import Auth, SharedWorld, build_app, csrf_token, reset_database
from tests.security.matrix import all_routes
from tests.security.world import build_world

LIMIT = "2 per minute"
PROXY = "10.9.0.1"
SETTINGS = {"RATELIMIT_CONTRIBUTE": LIMIT, "RATELIMIT_REPORT": LIMIT, "RATELIMIT_SEARCH": LIMIT,
            "RATELIMIT_SIGN_IN": "1000 per minute"}


@pytest.fixture(scope="module")
def limited_world(tmp_path_factory):
    all_routes()  # the areas' world builders
    folder = tmp_path_factory.mktemp("limits")
    app = build_app(f"sqlite:///{folder / 'limits.sqlite3'}", RATELIMIT_ENABLED=True,
                    RATELIMIT_STORAGE_URI="memory://", UPLOAD_FOLDER=str(folder / "up"),
                    REVIEWS_UPLOAD_DIR=str(folder / "reviews"), TRUSTED_PROXIES=[PROXY],
                    **SETTINGS)
    reset_database(app)
    world = SharedWorld(app, build_world)
    yield world
    world.close()


@pytest.fixture
def limited(limited_world):
    """The application with the limiter on, and its world; the limiter is put back off after
    (it is one object shared by every application of the test run)."""
    limiter.enabled = True
    limiter.reset()
    with limited_world.case() as world:
        yield limited_world.app, world
    limiter.enabled = False


def person(app, world, role: str, address: str):
    """A browser of `role` (an account of the matrix's world) at IP `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if role != "visitor":
        assert Auth(app, client).sign_in(world["emails"][role]).status_code == 302
    return client


def _contribution(world):
    return (f"/en/consultations/{world['consultation_open_id']}/contributions",
            {"body": "A contribution"})


def _reply(world):
    return (f"/en/consultations/{world['consultation_open_id']}/contributions/"
            f"{world['consultation_others_contribution_id']}/replies", {"body": "A reply"})


def _report(world):
    return (f"/en/consultations/{world['consultation_open_id']}/contributions/"
            f"{world['consultation_others_contribution_id']}/report",
            {"reason": "spam"})


def _priority_question(world):
    return (f"/en/priorities/{world['priorities_gathering_id']}/submissions",
            {"text": "What helps children sleep after treatment?",
             "group": str(world["priorities_gathering_group_id"])})


def _priority_comment(world):
    return (f"/en/priorities/{world['priorities_ranking_id']}/questions/"
            f"{world['priorities_question_id']}/comments", {"body": "A comment"})


def _priority_report(world):
    return (f"/en/priorities/{world['priorities_ranking_id']}/report/comment/"
            f"{world['priorities_comment_id']}", {"reason": "spam"})


ACCEPTED = 302  # each form, when accepted, sends people on to the page that shows the result
# A second report of the same text by the same person is refused, and counts all the same.
ALREADY_REPORTED = 422
FORMS = {
    "contribution": _contribution,
    "reply": _reply,
    "report": _report,
    "priority question": _priority_question,
    "priority comment": _priority_comment,
    "priority report": _priority_report,
}


SENT = itertools.count(1)


def send(client, url, data, lang="en"):
    """Post the form; texts get a number of their own, so none is refused as a repeat."""
    token = csrf_token(client.get(f"/{lang}/account/"), "profile")
    texts = {name: f"{value} ({next(SENT)})" for name, value in data.items()
             if name in ("body", "text")}
    return client.post(url.replace("/en/", f"/{lang}/", 1),
                       data={**data, **texts, "csrf_token": token})


def accepted_twice(form) -> list[int]:
    return [ACCEPTED, ALREADY_REPORTED if "report" in form else ACCEPTED]


@pytest.mark.parametrize("form", list(FORMS))
def test_one_account_is_limited_whatever_its_address(limited, form):
    app, world = limited
    url, data = FORMS[form](world)
    first = person(app, world, "participant", "10.0.0.1")
    second = person(app, world, "participant", "10.0.0.2")
    statuses = [send(first, url, data).status_code for _ in range(2)]
    assert statuses == accepted_twice(form)
    assert send(second, url, data).status_code == 429
    # Someone else, elsewhere, is not held back.
    other = person(app, world, "representative", "10.0.0.3")
    assert send(other, url, data).status_code == ACCEPTED


@pytest.mark.parametrize("form", list(FORMS))
def test_people_sharing_an_address_are_limited_each_on_their_account(limited, form):
    """One hospital network, one address: a person's limit is theirs, not the network's."""
    app, world = limited
    url, data = FORMS[form](world)
    participant = person(app, world, "participant", "10.0.0.7")
    representative = person(app, world, "representative", "10.0.0.7")
    assert [send(participant, url, data).status_code for _ in range(2)] == accepted_twice(form)
    assert send(participant, url, data).status_code == 429
    assert [send(representative, url, data).status_code
            for _ in range(2)] == accepted_twice(form)
    assert send(representative, url, data).status_code == 429


def search(client, headers=None) -> int:
    return client.get("/en/consultations/search?q=cancer", headers=headers).status_code


def test_search_is_limited_by_address_for_visitors_and_by_account_when_signed_in(limited):
    app, world = limited
    visitor = person(app, world, "visitor", "10.0.1.1")
    assert [search(visitor) for _ in range(3)] == [200, 200, 429]
    assert search(person(app, world, "visitor", "10.0.1.2")) == 200
    # Signed in at the address the visitor used up: counted on the account only.
    assert search(person(app, world, "representative", "10.0.1.1")) == 200
    first = person(app, world, "participant", "10.0.1.3")
    second = person(app, world, "participant", "10.0.1.4")
    assert [search(first) for _ in range(2)] == [200, 200]
    assert search(second) == 429


def test_visitors_behind_the_trusted_proxy_have_their_own_counters(limited):
    app, world = limited
    proxy = person(app, world, "visitor", PROXY)
    first, second = ({"X-Forwarded-For": address} for address in ("203.0.113.1", "203.0.113.2"))
    assert [search(proxy, first) for _ in range(3)] == [200, 200, 429]
    assert [search(proxy, second) for _ in range(2)] == [200, 200]


def test_a_forged_forwarded_address_does_not_reset_an_untrusted_peers_counter(limited):
    app, world = limited
    script = person(app, world, "visitor", "10.9.0.2")
    forged = [{"X-Forwarded-For": f"203.0.113.{n}"} for n in range(3)]
    assert [search(script, headers) for headers in forged] == [200, 200, 429]


def test_reading_is_not_limited(limited):
    app, world = limited
    client = person(app, world, "participant", "10.0.2.1")
    url = f"/en/consultations/{world['consultation_open_id']}"
    assert {client.get(url).status_code for _ in range(5)} == {200}


def test_the_429_page_is_translated(limited):
    app, world = limited
    url, data = _contribution(world)
    client = person(app, world, "participant", "10.0.3.1")
    for _ in range(2):
        send(client, url, data)
    response = send(client, url, data, lang="fr")
    assert response.status_code == 429
    assert '<html lang="fr"' in response.text
    assert "Trop de tentatives" in response.text
    english = send(client, url, data)
    assert english.status_code == 429 and "Too many attempts" in english.text
