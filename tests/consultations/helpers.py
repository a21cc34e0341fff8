"""Helpers for the page tests: build data in one transaction, send forms with their token."""

import re
from contextlib import contextmanager

from engage.extensions import db
from tests.conftest import csrf_token


@contextmanager
def stored(app):
    """Build objects in an application context and commit them."""
    with app.app_context():
        yield
        db.session.commit()


def token(client, lang: str = "en") -> str:
    """A CSRF token of the client's session (from the sign-out or the sign-in form)."""
    page = client.get(f"/{lang}/consultations/")
    try:
        return csrf_token(page)
    except AssertionError:
        return csrf_token(client.get(f"/{lang}/account/sign-in"))


def post(client, url: str, data=None, **kwargs):
    payload = dict(data or {})
    payload.setdefault("csrf_token", token(client))
    return client.post(url, data=payload, **kwargs)


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or \
        re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def main_part(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]
