"""Walks app.url_map: every route, method and role gets the expected outcome."""

import pytest
from flask import url_for

from tests.conftest import Auth, csrf_token
from tests.security.matrix import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    ROLES,
    SIGN_IN,
    all_routes,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}


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


def outcome_of(response) -> str:
    response.close()
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code in (301, 302, 303) and "/account/sign-in" in response.headers.get(
        "Location", ""
    ):
        return SIGN_IN
    # 503 is /readyz saying the test database was not built by migrations.
    assert response.status_code < 500 or response.status_code == 503, response.text[:2000]
    return OK


@pytest.mark.parametrize(("route", "method", "role"), CASES)
def test_authorization(app, world, route, method, role):
    client = app.test_client()
    if role != "visitor":
        response = Auth(app, client).sign_in(world["emails"][role])
        assert response.status_code == 302, f"{role} could not sign in"
    with app.test_request_context():
        args = {name: world[key] for name, key in route.url_args.items()}
        if "lang_code" in {a for rule in app.url_map.iter_rules(route.endpoint)
                           for a in rule.arguments}:
            args["lang_code"] = "en"
        url = url_for(route.endpoint, **args)
    if method == "GET":
        response = client.get(url)
    else:
        page = client.get("/en/account/sign-in" if role == "visitor" else "/en/")
        data = {**route.data, "csrf_token": csrf_token(page)}
        response = client.open(url, method=method, data=data)
    expected = route.methods[method][role]
    assert outcome_of(response) == expected, (
        f"{method} {url} as {role}: {response.status_code} "
        f"{response.headers.get('Location', '')}"
    )
