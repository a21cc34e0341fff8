"""Public pages, error pages and the security headers."""

import pytest

PUBLIC_PAGES = ["/", "/about", "/privacy", "/accessibility", "/legal", "/account/sign-in",
                "/account/register", "/account/password/forgotten", "/account/associations",
                "/account/check-your-email"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_render_with_one_h1_and_landmarks(client, lang, path):
    response = client.get(f"/{lang}{path}")
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert "https://cdn" not in html and "//cdn." not in html


def test_privacy_notice_speaks_of_health_data(client):
    assert "health" in client.get("/en/privacy").text
    assert "santé" in client.get("/fr/privacy").text


def test_security_headers(client):
    response = client.get("/en/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_or_style(client):
    html = client.get("/en/account/register").text
    assert "<script>" not in html and "style=" not in html


@pytest.mark.parametrize(("lang", "text"), [("en", "Page not found"), ("fr", "Page introuvable")])
def test_translated_404(client, lang, text):
    response = client.get(f"/{lang}/no-such-page")
    assert response.status_code == 404
    assert text in response.text


def test_translated_500(app, client):
    from engage.core.errors import render_error

    with app.test_request_context("/fr/"):
        from flask import g

        g.lang_code = "fr"
        response = render_error(500)
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in response.get_data(as_text=True)
    # Set on the page itself: an answer made while handling an error may skip after_request.
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_an_unexpected_error_gives_the_500_page(tmp_path):
    from tests.conftest import build_app, reset_database

    app = build_app(f"sqlite:///{tmp_path / 'e.sqlite3'}")
    reset_database(app)

    @app.get("/<lang_code>/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/en/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_error_page_has_the_security_headers_when_after_request_fails(tmp_path):
    """A failing after-request function: Flask answers with the error page and skips the
    after-request functions left, the security headers' among them."""
    from engage.core.security import CONTENT_SECURITY_POLICY
    from tests.conftest import build_app, reset_database

    app = build_app(f"sqlite:///{tmp_path / 'e.sqlite3'}", PROPAGATE_EXCEPTIONS=False)
    reset_database(app)

    @app.after_request
    def fail_after_the_view(response):
        raise RuntimeError("after the view")

    response = app.test_client().get("/en/about")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"


def test_static_assets_are_local(client):
    response = client.get("/static/css/engage.css")
    assert response.status_code == 200
    response.close()
