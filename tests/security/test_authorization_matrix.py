"""Walks app.url_map: every route, method and role gets the expected outcome."""

from urllib.parse import urlsplit

import pytest
from flask import url_for

from tests.security.matrix import (
    FORBIDDEN,
    HOME,
    NOT_FOUND,
    OK,
    ROLES,
    SIGN_IN,
    all_routes,
)
from tests.security.site import count_check
from tests.security.world import browser_of, form_browser_of

IGNORED_METHODS = {"HEAD", "OPTIONS"}
SESSIONS = True  # each role signs in once, with the world (tests/security/world.py)


def test_every_route_is_in_the_matrix(app):
    described = {(route.endpoint, method) for route in all_routes() for method in route.methods}
    missing = sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
        if (rule.endpoint, method) not in described
    )
    assert not missing, f"routes without an entry in tests/security/matrix.py: {missing}"


def test_every_matrix_entry_is_a_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unknown = [route.endpoint for route in all_routes() if route.endpoint not in endpoints]
    assert not unknown


CASES = [
    pytest.param(route, method, role, id=f"{route.endpoint}-{method}-{role}")
    for route in all_routes()
    for method in route.methods
    for role in ROLES
]


def outcome_of(response, endpoint: str, expected: str) -> str:
    response.close()
    status, location = response.status_code, response.headers.get("Location", "")
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status in (301, 302, 303) and "/account/sign-in" in location:
        return SIGN_IN
    if status in (301, 302, 303) and urlsplit(location).path in ("/", "/en/"):
        # Where a page sends people home, that is what it must do; elsewhere (after signing
        # out, say) going home is a use of the route like any other.
        return HOME if expected == HOME else OK
    # /readyz alone may say 503: the test database was built without the migrations.
    allowed = (503,) if endpoint == "health.readyz" else ()
    assert status < 500 or status in allowed, f"{status}: {response.text[:2000]}"
    return OK


@pytest.mark.parametrize(("route", "method", "role"), CASES)
def test_authorization(app, world, route, method, role):
    with app.test_request_context():
        args = {name: world[key] for name, key in route.url_args.items()}
        if "lang_code" in {a for rule in app.url_map.iter_rules(route.endpoint)
                           for a in rule.arguments}:
            args["lang_code"] = "en"
        url = url_for(route.endpoint, **args)
    if method == "GET":
        response = browser_of(app, world, role).get(url)
    else:
        client, token = form_browser_of(app, world, role)
        response = client.open(url, method=method, data={**route.data, "csrf_token": token})
    expected = route.methods[method][role]
    count_check(app, "route × method × role cases")
    assert outcome_of(response, route.endpoint, expected) == expected, (
        f"{method} {url} as {role}: {response.status_code} "
        f"{response.headers.get('Location', '')}"
    )
