"""The newsletter's rows of the authorization matrix (tests/security/matrix.py) and its world.

Everything is open to everyone, signed in or not (a blocked account too: subscribing needs
no account). The links of the emails are reached by their token, not by a role: the world
holds a subscriber waiting for confirmation and a confirmed one, whose links every role
opens. The one-click unsubscription (POST) is exempt from CSRF (RFC 8058: a mail program
posts it without a token; engage.newsletter.init_app): the CSRF walk
(tests/security/test_csrf.py) must leave it out, tests/newsletter/test_issues.py checks it.
"""

from engage.extensions import db
from engage.newsletter import services
from tests.factories.newsletter import subscriber
from tests.security.matrix import Route, everyone, routes
from tests.security.world import WORLD_BUILDERS

NEWSLETTER_ROUTES = [
    Route("newsletter.subscribe", {"GET": everyone(), "POST": everyone()},
          data={"email": "matrix-reader@example.org", "language": "en"}),
    Route("newsletter.check_your_email", {"GET": everyone()}),
    Route("newsletter.confirm", {"GET": everyone()},
          url_args={"token": "newsletter_confirm_token"}),
    Route("newsletter.unsubscribe", {"GET": everyone(), "POST": everyone()},
          url_args={"token": "newsletter_unsubscribe_token"}),
    Route("newsletter.archive", {"GET": everyone()}),
    Route("newsletter.issue", {"GET": everyone()}, url_args={"number": "newsletter_issue"}),
    Route("newsletter.feed", {"GET": everyone()}),
]


def build_newsletter_world(app, world) -> None:
    from engage.core.clock import local_today
    from engage.core.db import utcnow
    from engage.newsletter.models import Issue

    with app.test_request_context("/en/"):
        waiting = subscriber("matrix-waiting@example.org", "en", confirmed=False)
        confirmed = subscriber("matrix-subscribed@example.org", "en")
        now = utcnow()
        db.session.add(Issue(number=1, issued_on=local_today(), period_start=now,
                             period_end=now, content={}, recipients=1))
        db.session.commit()
        world["newsletter_confirm_token"] = services.confirmation_token(waiting)
        world["newsletter_unsubscribe_token"] = services.unsubscribe_token(confirmed)
        world["newsletter_issue"] = 1


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*NEWSLETTER_ROUTES)
    WORLD_BUILDERS.append(build_newsletter_world)
