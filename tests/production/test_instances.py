"""Two app processes behind no proxy at all: shared sessions, limits, jobs; recovery."""

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.production.conftest import (
    PASSWORD,
    SIGN_IN_LIMIT,
    TRUSTED_PROXY,
    UNTRUSTED_PEER,
    psycopg_url,
)
from tests.production.http import Browser, Response


def sign_in(browser, base):
    page = browser.get(f"{base}/en/account/sign-in")
    return browser.post(f"{base}/en/account/sign-in", {
        "email": "shared@example.org", "password": PASSWORD, "csrf_token": page.csrf_token()})


def test_a_session_signed_in_on_one_instance_works_on_the_other(instances):
    first, second = instances
    browser = Browser()
    assert sign_in(browser, first).status == 302
    assert browser.get(f"{second}/en/account/").status == 200
    # Signing out on the second ends the session for both.
    page = browser.get(f"{second}/en/")
    browser.post(f"{second}/en/account/sign-out", {"csrf_token": page.csrf_token()})
    assert browser.get(f"{first}/en/account/").status == 302


def _failed_sign_in(base) -> int:
    browser = Browser()
    page = browser.get(f"{base}/en/account/sign-in")
    return browser.post(f"{base}/en/account/sign-in", {
        "email": "nobody@example.org", "password": "wrong password here",
        "csrf_token": page.csrf_token()}).status


def test_rate_limits_are_shared(instances):
    """As many failed sign-ins as the limit on the first instance: the second, which saw
    none of them, refuses the next, so the count is shared, not kept per process."""
    first, second = instances
    assert [_failed_sign_in(first) for _ in range(SIGN_IN_LIMIT)] == [401] * SIGN_IN_LIMIT
    assert _failed_sign_in(second) == 429


def _failed_sign_ins(instances, browser, forwarded_for: list[str]) -> list[int]:
    """Failed sign-ins, alternately on each instance, each for another account (only the
    address counter fills), each with its X-Forwarded-For."""
    token = browser.get(f"{instances[0]}/en/account/sign-in").csrf_token()
    return [browser.post(f"{instances[n % 2]}/en/account/sign-in", {
        "email": f"nobody{n}.{value}@example.org", "password": "wrong password here",
        "csrf_token": token}, headers={"X-Forwarded-For": value}).status
        for n, value in enumerate(forwarded_for)]


def test_sign_in_limits_count_the_visitors_behind_a_trusted_proxy(instances):
    """The instances trust 127.0.0.1 as their proxy (ENGAGE_TRUSTED_PROXIES): each visitor it
    forwards has a counter of their own, shared by both instances. From 127.0.0.2, which
    they do not trust, a forged X-Forwarded-For changes nothing."""
    limited = [401] * SIGN_IN_LIMIT + [429]
    proxy = Browser(source=TRUSTED_PROXY)
    assert _failed_sign_ins(instances, proxy, ["203.0.113.1"] * (SIGN_IN_LIMIT + 1)) == limited
    assert _failed_sign_ins(instances, proxy, ["203.0.113.2"]) == [401]
    untrusted = Browser(source=UNTRUSTED_PEER)
    forged = [f"198.51.100.{n}" for n in range(SIGN_IN_LIMIT + 1)]
    assert _failed_sign_ins(instances, untrusted, forged) == limited


def test_a_job_queued_by_an_instance_runs_once(instances, instance_env, run_flask):
    first, _ = instances
    browser = Browser()
    page = browser.get(f"{first}/en/account/password/forgotten")
    for _ in range(2):  # asked twice: two emails, one delivery job while it waits
        browser.post(f"{first}/en/account/password/forgotten", {
            "email": "shared@example.org", "csrf_token": page.csrf_token()})
    url = psycopg_url(make_url(instance_env["DATABASE_URL"]))
    with psycopg.connect(url) as conn:
        queued = conn.execute("SELECT count(*) FROM outbox_messages WHERE status = 'queued'")
        assert queued.fetchone()[0] == 2
    result = run_flask("engage", "worker", "--burst")
    assert result.returncode == 0, result.stderr
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT status, attempts FROM outbox_messages").fetchall()
    assert rows == [("logged", 1), ("logged", 1)]


def test_instances_recover_when_database_connections_drop(instances, instance_env):
    """Every server connection is killed (as in a PostgreSQL restart): pool pre-ping
    replaces them and the next requests are served correctly."""
    first, second = instances
    browser = Browser()
    assert sign_in(browser, first).status == 302
    target = make_url(instance_env["DATABASE_URL"])
    admin = psycopg_url(target.set(database="postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        killed = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", (target.database,)
        ).fetchone()[0]
    assert killed >= 1
    for base in (first, second, first, second):
        response = browser.get(f"{base}/en/account/")
        assert response.status == 200
        assert "shared@example.org" in response.text
        assert browser.get(f"{base}/readyz").status == 200


@pytest.fixture(autouse=True)
def _flush_limits():
    import redis

    from tests.production.conftest import REDIS_URL

    yield
    redis.Redis.from_url(REDIS_URL).flushdb()


# Concurrent writes from both instances: no duplicate, nothing lost.

DEMO_PASSWORD = "engage-demo-2026"
DEMO_EMAILS = ("admin@example.org", "moderator@example.org", "representative@example.org",
               "reviewer@example.org", "participant@example.org", "reviewer2@example.org",
               "reviewer3@example.org", "reviewer4@example.org")
ATTEMPTS = 3  # each person sends the same action this many times at once, to both instances


def _sql(instance_env, query, *params):
    url = psycopg_url(make_url(instance_env["DATABASE_URL"]))
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def demo(instances, instance_env):
    """The demo data, loaded by the app's own command into the instances' database, whose
    schema the migrations alone built (instance_env). Emails the demo queued are removed so
    that the job test counts only its own.
    """
    import subprocess

    from tests.production.conftest import BIN, PROJECT

    before = _sql(instance_env, "SELECT coalesce(max(id), 0) FROM outbox_messages")[0][0]
    subprocess.run([str(BIN / "flask"), "--app", "engage", "engage", "demo"], env=instance_env,
                   cwd=PROJECT, check=True, capture_output=True)
    _sql(instance_env, "DELETE FROM outbox_messages WHERE id > %s", before)
    users = dict(_sql(instance_env, "SELECT email, id FROM users WHERE email = ANY(%s)",
                      list(DEMO_EMAILS)))
    assert set(users) == set(DEMO_EMAILS)
    return users


def _forget_sign_in_limits():
    import redis

    from tests.production.conftest import REDIS_URL

    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter("*LIMITER*"):
        store.delete(key)


def _signed_in(instances, emails) -> dict:
    """A browser per person, signed in on one instance or the other (sessions are shared)."""
    browsers = {}
    for index, email in enumerate(emails):
        if index % SIGN_IN_LIMIT == 0:
            _forget_sign_in_limits()  # one address signs everyone in
        base = instances[index % 2]
        browser = Browser()
        page = browser.get(f"{base}/en/account/sign-in")
        response = browser.post(f"{base}/en/account/sign-in", {
            "email": email, "password": DEMO_PASSWORD, "csrf_token": page.csrf_token()})
        assert response.status == 302, (email, response.status)
        browsers[email] = browser
    _forget_sign_in_limits()
    return browsers


def _clone(browser: Browser) -> Browser:
    copy = Browser()
    copy.cookies = dict(browser.cookies)
    return copy


def _all_at_once(calls) -> list:
    """Run every call in its own thread, released together; their results in order."""
    import threading

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _post_everywhere(instances, browser, path, data):
    """ATTEMPTS calls sending the same form, alternately to each instance."""
    return [
        (lambda base=instances[n % 2], b=_clone(browser): b.post(f"{base}{path}", data))
        for n in range(ATTEMPTS)
    ]


def _statuses(results) -> list:
    return [r.status if isinstance(r, Response) else repr(r) for r in results]


def test_concurrent_supports_from_both_instances_count_each_person_once(instances, demo,
                                                                       instance_env):
    """Everyone supports at once (each clicking on both instances), then withdraws at
    once, then supports again: after each round one row per person, and the count kept on
    the contribution equals the rows."""
    (contribution_id, consultation_id, author_id), = _sql(instance_env, """
        SELECT c.id, c.consultation_id, c.author_id FROM consultation_contributions c
        JOIN consultations k ON k.id = c.consultation_id
        WHERE k.status = 'open' AND c.moderation_status = 'published'
          AND c.deleted_at IS NULL AND c.parent_id IS NULL
        ORDER BY c.id LIMIT 1""")
    already = {row[0] for row in _sql(
        instance_env, "SELECT user_id FROM consultation_supports WHERE contribution_id = %s",
        contribution_id)}
    supporters = [e for e, uid in demo.items() if uid != author_id and uid not in already]
    assert len(supporters) >= 5
    browsers = _signed_in(instances, supporters)
    base_path = f"/en/consultations/{consultation_id}/contributions/{contribution_id}"
    tokens = {email: browser.get(f"{instances[0]}/en/consultations/{consultation_id}")
              .csrf_token() for email, browser in browsers.items()}
    for action, expected in (("support", already | {demo[e] for e in supporters}),
                             ("withdraw-support", already),
                             ("support", already | {demo[e] for e in supporters})):
        calls = []
        for email, browser in browsers.items():
            calls += _post_everywhere(instances, browser, f"{base_path}/{action}",
                                      {"csrf_token": tokens[email]})
        results = _all_at_once(calls)
        assert _statuses(results) == [302] * len(calls), action
        user_ids = [row[0] for row in _sql(
            instance_env, "SELECT user_id FROM consultation_supports "
                          "WHERE contribution_id = %s", contribution_id)]
        assert len(user_ids) == len(set(user_ids)), f"{action}: a person supports twice"
        assert set(user_ids) == expected, f"{action}: a support was lost or kept"
        (count,), = _sql(instance_env, "SELECT support_count FROM consultation_contributions "
                                       "WHERE id = %s", contribution_id)
        assert count == len(user_ids), f"{action}: the support count lost an update"


def test_concurrent_rankings_from_both_instances_keep_one_whole_ranking_each(instances, demo,
                                                                            instance_env):
    (exercise_id,), = _sql(instance_env, "SELECT id FROM priority_exercises "
                                         "WHERE stage = 'interim_ranking' ORDER BY id LIMIT 1")
    kept = [row[0] for row in _sql(instance_env, """
        SELECT id FROM priority_questions WHERE exercise_id = %s AND status = 'kept'
        ORDER BY number""", exercise_id)]
    (group_id,), = _sql(instance_env, "SELECT id FROM priority_groups WHERE exercise_id = %s "
                                      "ORDER BY position LIMIT 1", exercise_id)
    assert len(kept) >= 4
    rankers = list(demo)
    browsers = _signed_in(instances, rankers)
    path = f"/en/priorities/{exercise_id}/ranking"
    calls, sent = [], {}
    for index, (email, browser) in enumerate(browsers.items()):
        token = browser.get(f"{instances[1]}{path}").csrf_token()
        orders = [kept[index % len(kept):] + kept[:index % len(kept)],
                  list(reversed(kept)), kept[:3]]
        sent[demo[email]] = orders
        for n, order in enumerate(orders):
            data = [("csrf_token", token), ("group", str(group_id)), ("action", "save"),
                    *[("ranked", str(q)) for q in order]]
            calls.append(lambda base=instances[n % 2], b=_clone(browser), d=data:
                         b.post(f"{base}{path}", d))
    results = _all_at_once(calls)
    # Saved twice at once, a ranking is replaced one save after the other: no error.
    assert _statuses(results) == [302] * len(calls)
    for user_id, orders in sent.items():
        rankings = _sql(instance_env, "SELECT id FROM priority_rankings "
                                      "WHERE exercise_id = %s AND user_id = %s",
                        exercise_id, user_id)
        assert len(rankings) == 1, f"user {user_id} has {len(rankings)} rankings"
        entries = _sql(instance_env, "SELECT question_id, position FROM "
                                     "priority_ranking_entries WHERE ranking_id = %s "
                                     "ORDER BY position", rankings[0][0])
        assert [p for _q, p in entries] == list(range(1, len(entries) + 1))
        assert [q for q, _p in entries] in orders, "a ranking was mixed or lost"


def test_concurrent_review_submissions_from_both_instances_store_one_review(instances, demo,
                                                                           instance_env):
    pending = _sql(instance_env, """
        SELECT DISTINCT ON (u.email) u.email, a.id, a.application_id, p.call_id
        FROM review_assignments a JOIN users u ON u.id = a.reviewer_id
        JOIN review_applications p ON p.id = a.application_id
        JOIN funding_calls f ON f.id = p.call_id
        LEFT JOIN reviews r ON r.assignment_id = a.id
        WHERE a.status = 'active' AND f.status = 'open' AND r.id IS NULL
          AND a.no_conflict_declared_at IS NULL
        ORDER BY u.email, a.id""")
    assert pending, "the demo has no assignment waiting for a review"
    browsers = _signed_in(instances, [email for email, *_ in pending])
    calls, expected = [], {}
    for index, (email, assignment_id, application_id, call_id) in enumerate(pending):
        browser = browsers[email]
        base = instances[index % 2]
        declaration = f"{base}/en/reviews/applications/{application_id}/declaration"
        page = browser.get(declaration)
        assert browser.post(declaration, {
            "csrf_token": page.csrf_token(), "no_conflict": "y", "confidentiality": "y",
        }).status == 302
        criteria = [row[0] for row in _sql(
            instance_env, "SELECT id FROM review_criteria WHERE call_id = %s", call_id)]
        path = f"/en/reviews/applications/{application_id}/review"
        token = browser.get(f"{base}{path}").csrf_token()
        data = {"csrf_token": token, "action": "submit", "confirmed": "1", "overall_score": "4",
                "overall_applicant": f"Overall from {email}", "overall_committee": ""}
        for criterion in criteria:
            data.update({f"score_{criterion}": "3", f"applicant_{criterion}": f"On {criterion}",
                         f"committee_{criterion}": ""})
        expected[assignment_id] = (len(criteria), f"Overall from {email}")
        calls += _post_everywhere(instances, browser, path, data)
    results = _all_at_once(calls)
    statuses = _statuses(results)
    assert 500 not in statuses, statuses
    assert all(s in (302, 409) for s in statuses), statuses
    for assignment_id, (criteria_count, comment) in expected.items():
        reviews = _sql(instance_env, "SELECT id, status, overall_applicant_comment FROM "
                                     "reviews WHERE assignment_id = %s", assignment_id)
        assert len(reviews) == 1
        review_id, status, stored = reviews[0]
        assert (status, stored) == ("submitted", comment), "a submission was lost"
        scores = _sql(instance_env, "SELECT criterion_id, score FROM review_scores "
                                    "WHERE review_id = %s", review_id)
        assert len(scores) == criteria_count, "scores duplicated or lost"
        assert {score for _c, score in scores} == {3}
