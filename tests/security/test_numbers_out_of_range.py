"""Ids and page numbers too large for the database answer 404, never 500
(engage/core/bounds.py): PostgreSQL's integer columns stop at 2**31 - 1.

Every route of the authorization matrix with a number in its path is called with numbers
just and far out of range, by the role that may use it.
"""

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from tests.conftest import Auth, csrf_token
from tests.security.matrix import OK, all_routes

TOO_LARGE = (2**31, 10**20)
ROLE_ORDER = ("admin", "moderator", "reviewer", "participant", "visitor")


def _numbered(app, route) -> list[str]:
    return [name for rule in app.url_map.iter_rules(route.endpoint)
            for name, converter in rule._converters.items()
            if isinstance(converter, IntegerConverter)]


def test_ids_too_large_are_not_found(app, world):
    routes = all_routes()
    clients = {}
    checked = 0
    for route in routes:
        numbered = _numbered(app, route)
        if not numbered:
            continue
        for method, outcomes in route.methods.items():
            role = next((r for r in ROLE_ORDER if outcomes.get(r) == OK), None)
            if role is None:
                continue
            if role not in clients:
                client = app.test_client()
                if role != "visitor":
                    Auth(app, client).sign_in(world["emails"][role])
                token = csrf_token(client.get("/en/account/sign-in" if role == "visitor"
                                              else "/en/account/"),
                                   "" if role == "visitor" else "profile")
                clients[role] = (client, token)
            client, token = clients[role]
            for number in TOO_LARGE:
                args = {name: world[key] for name, key in route.url_args.items()}
                args.update(dict.fromkeys(numbered, number))
                with app.test_request_context():
                    url = url_for(route.endpoint, lang_code="en", **args)
                response = client.open(url, method=method,
                                       data={**route.data, "csrf_token": token})
                assert response.status_code == 404, (method, url, response.status_code)
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("query", [
    "/en/consultations/?page={n}", "/en/consultations/?theme={n}",
    "/en/consultations/search?q=cancer&page={n}", "/en/priorities/?page={n}",
    "/en/summaries/?page={n}", "/en/account/associations?page={n}",
])
def test_page_numbers_and_filters_too_large(app, client, query):
    for number in (*TOO_LARGE, "²", "١٢", "-99999999999", "+3"):
        assert client.get(query.format(n=number)).status_code in (200, 404), number


def test_staff_filters_too_large(app, client, auth):
    from engage.accounts.models import Role

    auth.sign_in_as(role=Role.ADMIN, language="en")
    for url in ("/en/moderation/audit?target_id={n}", "/en/moderation/audit?page={n}",
                "/en/moderation/?page={n}", "/en/admin/users?page={n}",
                "/en/reviews/pool?page={n}", "/en/reviews/calls?page={n}"):
        for number in TOO_LARGE:
            assert client.get(url.format(n=number)).status_code in (200, 404), url
