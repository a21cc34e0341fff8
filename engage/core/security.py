"""HTTP security headers sent with every response, and what browsers and proxies may keep.

A page for a signed-in reader, a page holding a form's CSRF token and an answer that sets a
cookie are `Cache-Control: private, no-store`: a shared cache would hand them (or the
session cookie) to the next reader, and the browser's own copy of "my data" would outlive
signing out on a shared computer. A view that chose already keeps its header when it is as
strict (`no-store`), or when it declared its answer `public`, the same for everyone and
setting no cookie (fingerprinted static files, the open-data API, public documents). Pages
for visitors keep their caching.
"""

from flask import Flask, abort, g, request, session
from flask.sessions import SecureCookieSessionInterface

from engage.core.page_cache import CSRF_KEY

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PRIVATE = "private, no-store"
SIGNED_IN = "_user_id"  # the session key Flask-Login sets at sign-in


def keep_private(response) -> None:
    """Nobody stores this answer: neither a shared cache nor the browser."""
    response.headers["Cache-Control"] = PRIVATE
    response.headers.pop("Expires", None)


def _holds_a_form_token(response) -> bool:
    token = g.get(CSRF_KEY)  # the signed token of this request's forms
    if not token:
        return False
    if response.direct_passthrough or response.is_streamed:
        return True  # unread: assume it shows the token it made
    return token.encode() in response.get_data()


def _for_one_reader(response) -> bool:
    """The answer belongs to the person reading it. The session says who is signed in
    without a database query: this runs on every answer, error pages included."""
    return SIGNED_IN in session or _holds_a_form_token(response)


class PrivateCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, which also marks every answer that sets a cookie as
    private. It runs after every `after_request` function (Flask-Login sets its remember
    cookie in one), so that it sees every cookie of the answer."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if response.headers.getlist("Set-Cookie") and not response.cache_control.no_store:
            keep_private(response)


def init_app(app: Flask) -> None:
    app.session_interface = PrivateCookieSessionInterface()

    @app.before_request
    def refuse_null_bytes():
        # No one types a NUL character; PostgreSQL cannot store one in text.
        for values in (request.args, request.form):
            for value in values.values():
                if "\x00" in value:
                    abort(400)
        return None

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    @app.after_request
    def set_cache_control(response):
        if request.endpoint == "static":
            return response  # the same files for everyone; reading the session would vary them
        chosen = response.cache_control
        if not (chosen.no_store or chosen.public) and _for_one_reader(response):
            keep_private(response)
        return response
