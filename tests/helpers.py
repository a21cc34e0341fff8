"""Request helpers shared by every area: reading a page's CSRF token and hidden fields,
posting a form with its token, signing in, counting rows, seeing which cache versions a
write moves."""

import re

from flask import current_app
from sqlalchemy import select

from engage.accounts.models import Role, User
from engage.core.versions import CacheVersion
from engage.extensions import db
from tests.factories import stored
from tests.factories import users as user_factory
from tests.factories.users import PASSWORD, Factory

# Reading pages


def csrf_token(response, prefix: str = "") -> str:
    """The CSRF token of a form in the page (`prefix` for prefixed forms)."""
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    for pattern in (rf'name="{name}" type="hidden" value="([^"]+)"',
                    rf'name="{name}" value="([^"]+)"'):
        match = re.search(pattern, response.text)
        if match:
            return match.group(1)
    raise AssertionError(f"no {name} in the page")


def hidden_value(page, name: str) -> str:
    """The value of a hidden field, in a response or in its HTML."""
    html = page if isinstance(page, str) else page.text
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', html) \
        or re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def main_part(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


# Sending forms


def token(client, lang: str = "en") -> str:
    """A CSRF token of the client's session (from the sign-out form, or the sign-in form)."""
    page = client.get(f"/{lang}/")
    if 'name="csrf_token"' not in page.text:
        page = client.get(f"/{lang}/account/sign-in")
    return csrf_token(page)


def post(client, url: str, data=None, **kwargs):
    """Posts a form with the session's CSRF token (unless `data` brings its own)."""
    payload = {"csrf_token": token(client)}
    payload.update(data or {})
    return client.post(url, data=payload, **kwargs)


# Signing in


class Auth:
    """Signs in through the real form, CSRF token included."""

    def __init__(self, app, client, factory=None):
        self.app = app
        self.client = client
        self.factory = factory or Factory(app)

    def sign_in(self, email, password=PASSWORD, lang="en"):
        page = self.client.get(f"/{lang}/account/sign-in")
        return self.client.post(
            f"/{lang}/account/sign-in",
            data={"email": email, "password": password, "csrf_token": csrf_token(page)},
        )

    def sign_in_as(self, role=Role.PARTICIPANT, **fields):
        user_id = self.factory.user(role=role, **fields)
        with self.app.app_context():
            email = db.session.get(User, user_id).email
        response = self.sign_in(email)
        assert response.status_code == 302, response.text
        return user_id

    def sign_out(self, lang="en"):
        page = self.client.get(f"/{lang}/")
        return self.client.post(f"/{lang}/account/sign-out", data={"csrf_token": csrf_token(page)})


def sign_in(auth, user_id: int) -> int:
    """Signs an existing user in; the form must accept it."""
    response = auth.sign_in(user_factory.email_of(auth.app, user_id), PASSWORD)
    assert response.status_code == 302, response.text
    return user_id


def sign_in_new(app, auth, role: str = "participant", **fields) -> int:
    """Stores a user of a role name (tests.factories.users.user) and signs it in."""
    with stored(app):
        person = user_factory.user(role, **fields)
        email, user_id = person.email, person.id
    assert auth.sign_in(email).status_code == 302
    return user_id


# Counting rows


def count(model, *where) -> int:
    """The rows of `model` (matching `where`), inside an application context."""
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def count_in(app, model, *where) -> int:
    """`count` in an application context of its own."""
    with app.app_context():
        return count(model, *where)


# Cache versions


def cache_versions() -> dict[str, int]:
    return dict(db.session.execute(select(CacheVersion.scope, CacheVersion.version)).all())


def bumped_scopes(change) -> set[str]:
    """The scopes whose version `change()` then a commit moved, in the current application
    context. The figures' cache is on meanwhile: an application that keeps nothing bumps
    nothing (`versions._kept_anywhere`)."""
    config = current_app.config
    kept = config.get("AGGREGATE_CACHE_SECONDS")
    config["AGGREGATE_CACHE_SECONDS"] = 30
    try:
        before = cache_versions()
        change()
        db.session.commit()
        after = cache_versions()
    finally:
        config["AGGREGATE_CACHE_SECONDS"] = kept
    return {scope for scope, version in after.items() if version != before.get(scope, 0)}
