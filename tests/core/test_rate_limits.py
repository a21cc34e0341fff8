"""Sign-in and registration are rate limited, with a translated 429 page."""


from tests.conftest import build_app, missing, redis_url, reset_database
from tests.helpers import csrf_token


def limited_app(tmp_path, storage="memory://"):
    app = build_app(f"sqlite:///{tmp_path / 'rl.sqlite3'}", RATELIMIT_ENABLED=True,
                    RATELIMIT_STORAGE_URI=storage, RATELIMIT_SIGN_IN="3 per minute",
                    RATELIMIT_REGISTER="2 per minute")
    reset_database(app)
    return app


def attempt_sign_in(client, lang="en"):
    page = client.get(f"/{lang}/account/sign-in")
    return client.post(f"/{lang}/account/sign-in", data={
        "email": "a@example.org", "password": "whatever whatever", "csrf_token": csrf_token(page)})


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
