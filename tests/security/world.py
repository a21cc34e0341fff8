"""The objects the authorization matrix needs: one account per role and what they own.

Areas add builders to WORLD_BUILDERS: builder(app, world) adds keys to `world`.

`build_world_with_sessions`: in the modules of many cases (`SESSIONS = True`, read by
tests/security/conftest.py), each role also signs in once, through the real form, when the
world is built, and reads a page (a visitor too: a session of their own), which gives the
session its CSRF secret. A case then opens a browser with that session's cookie
(`browser_of`, `form_browser_of` with a token of its forms) instead of signing in and reading
a page for a token again, which was most of a case's time over thousands of cases. What a
case does to its session (signing out, a new password, a deleted account) is undone with the
rest of the world: the session is a row of the world's database.
"""

from engage.accounts.models import Association, Membership, Role, User
from engage.core.db import utcnow
from engage.extensions import db
from tests.conftest import PASSWORD, Auth, csrf_token

ROLE_ACCOUNTS = {
    "participant": {"role": Role.PARTICIPANT},
    "representative": {"role": Role.REPRESENTATIVE},
    "reviewer": {"role": Role.PARTICIPANT, "lay_reviewer": True},
    "moderator": {"role": Role.MODERATOR},
    "officer": {"role": Role.OFFICER},
    "admin": {"role": Role.ADMIN},
    "blocked": {"role": Role.PARTICIPANT, "blocked_at": "now"},
}
WORLD_BUILDERS: list = []


def build_world(app) -> dict:
    world = {"static_file": "css/engage.css", "bad_token": "not-a-valid-token", "emails": {},
             "missing_job": "no-such-job"}
    with app.app_context():
        users = {}
        for name, fields in ROLE_ACCOUNTS.items():
            fields = dict(fields)
            if fields.get("blocked_at") == "now":
                fields["blocked_at"] = utcnow()
            user = User(email=f"{name}@matrix.example", display_name=name.title(),
                        language="en", email_confirmed_at=utcnow(),
                        privacy_consent_at=utcnow(), **fields)
            user.set_password(PASSWORD)
            db.session.add(user)
            users[name] = user
        association = Association(name="Matrix association")
        db.session.add(association)
        db.session.flush()
        db.session.add(Membership(user=users["representative"], association=association,
                                  status="approved"))
        applicant = User(email="applicant@matrix.example", display_name="Applicant",
                         language="en", email_confirmed_at=utcnow(),
                         privacy_consent_at=utcnow())
        applicant.set_password(PASSWORD)
        db.session.add(applicant)
        db.session.flush()
        membership = Membership(user=applicant, association=association)
        db.session.add(membership)
        db.session.commit()
        world.update(
            participant_id=users["participant"].id,
            association_id=association.id,
            membership_id=membership.id,
            user_ids={name: user.id for name, user in users.items()},
        )
        world["emails"] = {name: user.email for name, user in users.items()}
        for builder in WORLD_BUILDERS:
            builder(app, world)
    return world


def build_world_with_sessions(app) -> dict:
    world = build_world(app)
    world["sessions"] = {role: _session(app, role, email)
                         for role, email in {**world["emails"], "visitor": None}.items()}
    return world


def _session(app, role: str, email: str | None) -> dict:
    """The cookie of a browser that signed in as `role` (a visitor: did not) then read a
    page, and the CSRF token of that page's forms."""
    client = app.test_client()
    if email is not None:
        assert Auth(app, client).sign_in(email).status_code == 302, f"{role} could not sign in"
    page = client.get("/en/account/sign-in" if email is None else "/en/")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return {"cookie": (cookie.key, cookie.value, cookie.domain, cookie.path),
            "token": csrf_token(page)}


def _with_cookie(app, world: dict, role: str):
    client = app.test_client()
    key, value, domain, path = world["sessions"][role]["cookie"]
    client.set_cookie(key, value, domain=domain, path=path)
    return client


def browser_of(app, world: dict, role: str):
    """A new test client: signed in as `role` (the session the world keeps for it), or a
    visitor who has not opened a page yet."""
    return app.test_client() if role == "visitor" else _with_cookie(app, world, role)


def form_browser_of(app, world: dict, role: str):
    """A test client of `role` (a visitor: with a session of their own) that has read a page
    with forms, and the CSRF token of those forms."""
    return _with_cookie(app, world, role), world["sessions"][role]["token"]
