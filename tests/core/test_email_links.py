"""Links in emails sent outside a request (scheduled commands) start with the site's address."""

from flask import url_for

from engage.core.outbox import url_context


def test_links_built_outside_a_request_use_the_base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://engage.example.org")
    with app.app_context(), url_context():
        assert url_for("pages.home", lang_code="en", _external=True) == \
            "https://engage.example.org/en/"


def test_links_built_in_a_request_keep_its_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://engage.example.org")
    with app.test_request_context("/en/", base_url="http://localhost"), url_context():
        assert url_for("pages.home", lang_code="en", _external=True) == "http://localhost/en/"
