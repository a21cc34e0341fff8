"""Subscribing (double opt-in), confirming and unsubscribing in one click.

The subscription form answers with the same page whatever the address; the links of the
emails carry signed tokens (engage.newsletter.services). The unsubscription link is exempt
from CSRF (engage.newsletter.init_app): a mail program posts it without a token (RFC 8058),
and the token in the URL is what proves the right to it. A GET of it never unsubscribes.
"""

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.i18n import page_language
from engage.core.rate_limits import limited
from engage.core.security import keep_private
from engage.extensions import limiter
from engage.newsletter import permissions, services
from engage.newsletter.forms import SubscribeForm
from engage.newsletter.routes import bp

# Like registration: a public form that sends an email to the address typed.
SUBSCRIBE_LIMIT = "5 per minute;20 per hour"


def _limit() -> str:
    return current_app.config.get("RATELIMIT_REGISTER") or SUBSCRIBE_LIMIT


def _submitted_address() -> str:
    """Rate-limit key of the address typed, whoever sends it: one address cannot be
    flooded with confirmation links from many places."""
    return "newsletter:" + services.normalize_email(request.form.get("email", ""))[:254]


def _private(html: str, status: int = 200):
    """A page reached by a token: for its reader only (it names their address), kept by no
    cache."""
    response = make_response(html, status)
    keep_private(response)
    return response


def _link_problem(error: services.InvalidLink):
    if error.expired:
        message = _("This link has expired. Please subscribe again: we will send you a new one.")
    else:
        message = _("This link is not valid. It may have been copied incompletely, or the "
                    "address it was sent to is no longer subscribed.")
    return _private(render_template("newsletter/link_problem.html", message=message), 404)


@bp.route("/subscribe", methods=["GET", "POST"])
@limited("RATELIMIT_REGISTER", SUBSCRIBE_LIMIT)
@limiter.limit(_limit, methods=["POST"], key_func=_submitted_address)
def subscribe():
    prefilled = permissions.prefilled_address(current_user)
    defaults = {"email": prefilled[0], "language": prefilled[1]} if prefilled \
        else {"language": page_language()}
    form = SubscribeForm(data=defaults if request.method == "GET" else None)
    if form.validate_on_submit():
        services.subscribe(email=form.email.data, language=form.language.data)
        # The same page whatever the address: nothing tells whether it was known.
        return redirect(url_for("newsletter.check_your_email"))
    return render_template("newsletter/subscribe.html", form=form), 422 if form.errors else 200


@bp.get("/check-your-email")
def check_your_email():
    return render_template("newsletter/check_your_email.html")


@bp.get("/confirm/<token>")
def confirm(token):
    try:
        subscriber = services.confirm(token)
    except services.InvalidLink as error:
        return _link_problem(error)
    return _private(render_template(
        "newsletter/confirmed.html", subscriber=subscriber,
        unsubscribe_url=url_for("newsletter.unsubscribe",
                                token=services.unsubscribe_token(subscriber))))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    try:
        subscriber = services.subscriber_to_unsubscribe(token)
    except services.InvalidLink as error:
        return _link_problem(error)
    if request.method == "GET":  # a GET never unsubscribes (link checkers open links)
        return _private(render_template("newsletter/unsubscribe.html", email=subscriber.email))
    services.unsubscribe(subscriber)
    return _private(render_template("newsletter/unsubscribed.html"))
