"""Sign-in and registration are rate limited by address, with a translated 429 page; behind a
trusted reverse proxy the address is the visitor's (engage/core/proxy.py)."""

import itertools

import pytest

from engage.extensions import limiter
from tests.conftest import build_app, missing, redis_url, reset_database
from tests.helpers import csrf_token

PROXY = "10.0.0.1"
EMAILS = (f"person{n}@example.org" for n in itertools.count())


@pytest.fixture(autouse=True)
def _limiter_off_after():
    """The limiter is one object shared by every application of the run: the next tests'
    application (limits off) must not find it on."""
    yield
    limiter.enabled = False


def limited_app(tmp_path, storage="memory://", **settings):
    app = build_app(f"sqlite:///{tmp_path / 'rl.sqlite3'}", RATELIMIT_ENABLED=True,
                    RATELIMIT_STORAGE_URI=storage, RATELIMIT_SIGN_IN="3 per minute",
                    RATELIMIT_REGISTER="2 per minute", **settings)
    reset_database(app)
    return app


def attempt_sign_in(client, lang="en", email="a@example.org", forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    page = client.get(f"/{lang}/account/sign-in")
    return client.post(f"/{lang}/account/sign-in", headers=headers, data={
        "email": email, "password": "whatever whatever", "csrf_token": csrf_token(page)})


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempts_as(client, forwarded_for: list[str]) -> list[int]:
    """Failed sign-ins, each for another account (so that only the address counter fills),
    each with its X-Forwarded-For."""
    return [attempt_sign_in(client, email=next(EMAILS), forwarded_for=value).status_code
            for value in forwarded_for]


def test_sign_in_is_limited(tmp_path):
    client = limited_app(tmp_path).test_client()
    statuses = [attempt_sign_in(client).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = attempt_sign_in(client, lang="fr")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_registration_is_limited(tmp_path):
    client = limited_app(tmp_path).test_client()
    statuses = []
    for _ in range(3):
        page = client.get("/en/account/register")
        statuses.append(client.post("/en/account/register", data={
            "email": "bad", "csrf_token": csrf_token(page)}).status_code)
    assert statuses == [422, 422, 429]


def test_limits_are_shared_through_redis(tmp_path):
    url = redis_url()
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        missing("Redis is not reachable: shared rate limits not tested")
    first = limited_app(tmp_path, storage=url).test_client()
    second_dir = tmp_path / "second"
    second_dir.mkdir()
    second = limited_app(second_dir, storage=url).test_client()
    assert [attempt_sign_in(first).status_code for _ in range(3)] == [401, 401, 401]
    assert attempt_sign_in(second).status_code == 429
    redis.Redis.from_url(url).flushdb()


def test_visitors_behind_a_trusted_proxy_are_counted_apart(tmp_path):
    """Everyone arrives from the proxy's address: one person using up the sign-in limit
    does not lock out the next."""
    app = limited_app(tmp_path, TRUSTED_PROXIES=[f"{PROXY}/32"])
    proxy = from_address(app, PROXY)
    assert attempts_as(proxy, ["203.0.113.1"] * 4) == [401, 401, 401, 429]
    assert attempts_as(proxy, ["203.0.113.2"]) == [401]
    # A proxy appends the peer it saw: what the visitor wrote before it does not count.
    assert attempts_as(proxy, [f"198.51.100.{n}, 203.0.113.1" for n in range(2)]) == [429, 429]


def test_a_forged_forwarded_address_from_an_untrusted_peer_is_ignored(tmp_path):
    app = limited_app(tmp_path, TRUSTED_PROXIES=[PROXY])
    script = from_address(app, "192.0.2.50")
    assert attempts_as(script, [f"203.0.113.{n}" for n in range(4)]) == [401, 401, 401, 429]


def test_behind_two_proxies_the_address_the_first_one_saw_counts(tmp_path):
    """A load balancer, then Caddy (which trusts it and appends its address): PROXY_HOPS=2
    takes the second address from the right, whatever the visitor put before it."""
    app = limited_app(tmp_path, TRUSTED_PROXIES=[PROXY], PROXY_HOPS=2)
    caddy = from_address(app, PROXY)
    visitor = [f"198.51.100.{n}, 203.0.113.9, 10.0.0.2" for n in range(4)]
    assert attempts_as(caddy, visitor) == [401, 401, 401, 429]
    assert attempts_as(caddy, ["203.0.113.10, 10.0.0.2"]) == [401]
