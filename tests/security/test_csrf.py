"""Every state-changing route refuses a request without a valid CSRF token."""

import pytest
from flask import url_for

from tests.conftest import csrf_token
from tests.security.matrix import OK, all_routes
from tests.security.site import count_check
from tests.security.world import browser_of

PREFERRED_ROLES = ("admin", "moderator", "reviewer", "representative", "participant", "visitor")
SESSIONS = True  # each role signs in once, with the world (tests/security/world.py)


def allowed_role(route, method):
    for role in PREFERRED_ROLES:
        if route.methods[method].get(role) == OK:
            return role
    return None


# RFC 8058's one-click unsubscription is a POST from a mail program, without a session: its
# token URL is the proof (tests/newsletter/test_issues.py).
CSRF_EXEMPT = {("newsletter.unsubscribe", "POST")}

CASES = [
    pytest.param(route, method, id=f"{route.endpoint}-{method}")
    for route in all_routes()
    for method in route.methods
    if method not in {"GET", "HEAD", "OPTIONS"} and allowed_role(route, method)
    and (route.endpoint, method) not in CSRF_EXEMPT
]


@pytest.mark.parametrize(("route", "method"), CASES)
def test_state_changes_need_a_valid_csrf_token(app, world, route, method):
    role = allowed_role(route, method)
    client = browser_of(app, world, role)
    stranger = app.test_client()  # another session, with a token of its own
    foreign_token = csrf_token(stranger.get("/en/account/sign-in"))
    with app.test_request_context():
        args = {name: world[key] for name, key in route.url_args.items()}
        rules = list(app.url_map.iter_rules(route.endpoint))
        if any("lang_code" in rule.arguments for rule in rules):
            args["lang_code"] = "en"
        url = url_for(route.endpoint, **args)
    without = client.open(url, method=method, data=dict(route.data))
    assert without.status_code == 400, f"{method} {url} accepted a request without a token"
    foreign = client.open(url, method=method,
                          data={**route.data, "csrf_token": foreign_token})
    assert foreign.status_code == 400, f"{method} {url} accepted another session's token"
    count_check(app, "state-changing routes refusing a missing or foreign CSRF token")


def test_the_csrf_error_page_is_translated(app, client):
    response = client.post("/fr/account/sign-in", data={"email": "a@example.org"})
    assert response.status_code == 400
    assert "Le formulaire avait expiré" in response.text
