"""What browsers and shared caches may keep: nothing of a signed-in reader's pages, of a
page holding a form's CSRF token, or of an answer that sets a cookie; public pages for
visitors keep their caching (engage.core.security)."""

import re

import pytest

from engage.core import page_cache
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import sign_in_new, token

PRIVATE = "private, no-store"


@pytest.fixture
def consultation_id(app):
    with stored(app):
        consultation = builders.consultation("open", with_questions=True)
        builders.contribution(consultation, builders.user())
        return consultation.id


def test_every_page_of_a_signed_in_participant_is_private(app, client, auth, consultation_id):
    sign_in_new(app, auth)
    for url in ("/en/", "/en/account/", "/en/account/my-data",
                f"/en/consultations/{consultation_id}",
                f"/en/consultations/{consultation_id}/questionnaire",
                "/en/no-such-page"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert response.headers.get("Cache-Control") == PRIVATE, url
    # A view's own stricter header stays.
    assert client.get("/en/account/my-data.json").headers["Cache-Control"] == "no-store"


def test_the_moderators_pages_are_private(app, client, auth):
    sign_in_new(app, auth, "moderator")
    for url in ("/en/moderation/", "/en/consultations/new", "/en/summaries/manage"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("Cache-Control") == PRIVATE, url


def test_signed_in_pages_served_from_the_page_cache_are_private(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    sign_in_new(app, auth)
    try:
        client.get("/en/about")  # shows the flash message of signing in
        first = client.get("/en/consultations/")
        hits = page_cache.statistics["hits"]
        again = client.get("/en/consultations/")
        assert page_cache.statistics["hits"] == hits + 1  # served from the cache
        assert [first.headers.get("Cache-Control"), again.headers.get("Cache-Control")] == \
            [PRIVATE, PRIVATE]
    finally:
        with app.app_context():
            page_cache.clear()


def test_public_pages_for_visitors_keep_their_caching(app, client, consultation_id):
    contribution_id = 1  # the consultation's only contribution
    for url in ("/en/", "/en/consultations/", f"/en/consultations/{consultation_id}",
                f"/en/consultations/{consultation_id}/contributions/{contribution_id}",
                "/en/privacy"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
        assert not response.headers.getlist("Set-Cookie"), url
    api = client.get("/api/v1/consultations")
    assert api.headers["Cache-Control"] == "public, max-age=60"


def test_a_visitor_s_form_or_new_session_cookie_is_private(app, client):
    sign_in = client.get("/en/account/sign-in")  # a form: its token, and the session cookie
    assert sign_in.headers.getlist("Set-Cookie")
    assert sign_in.headers["Cache-Control"] == PRIVATE
    register = client.get("/en/account/register")
    assert 'name="csrf_token"' in register.text
    assert register.headers["Cache-Control"] == PRIVATE


def test_signing_out_is_private_and_shared_files_stay_public(app, client, auth):
    sign_in_new(app, auth)
    stylesheet = re.search(r'href="(/static/[^"]+\?v=[^"]+)"', client.get("/en/").text)
    with client.get(stylesheet.group(1)) as static:
        assert static.status_code == 200 and "public" in static.headers["Cache-Control"]
    signed_out = client.post("/en/account/sign-out", data={"csrf_token": token(client)})
    assert signed_out.status_code == 302 and signed_out.headers.getlist("Set-Cookie")
    assert signed_out.headers["Cache-Control"] == PRIVATE
