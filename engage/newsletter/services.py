"""Write operations of the newsletter: subscribing (double opt-in), confirming,
unsubscribing, forgetting an address, and sending an issue. They flush and never commit.

Subscribing is open to anyone, signed in or not, and says nothing of the address: the
address typed is all that counts (no actor is recorded, and the answer is the same whether
the address is unknown, waiting for its confirmation, subscribed, or an account's). The
links sent are signed (the SECRET_KEY) and carry the subscriber's `secret`: they start with
the site's configured address (BASE_URL, engage/core/urls.py), never with the request's Host.
"""

import secrets
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from engage.core.clock import local_today
from engage.core.db import rows_changed, utcnow
from engage.core.outbox import queue_email
from engage.extensions import db
from engage.newsletter import queries
from engage.newsletter.models import SECTIONS, Issue, Subscriber

CONFIRM = "newsletter-confirm"
UNSUBSCRIBE = "newsletter-unsubscribe"
# The first issue lists what was published in the days before it.
FIRST_PERIOD = timedelta(days=7)
# A subscription never confirmed is forgotten once its link has expired and this long after.
UNCONFIRMED_KEPT = timedelta(days=7)
BATCH = 500  # subscribers read per query when an issue is sent


class InvalidLink(Exception):
    """A confirmation or unsubscription link that names no subscription (any more)."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


# Signed links


def _payload(subscriber: Subscriber) -> dict:
    return {"id": subscriber.id, "s": subscriber.secret}


def _salt(purpose: str) -> str:
    return f"engage-{purpose}"


def confirmation_token(subscriber: Subscriber) -> str:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                  salt=_salt(CONFIRM)).dumps(_payload(subscriber))


def unsubscribe_token(subscriber: Subscriber) -> str:
    """The address's unsubscription link never expires (it is in every issue sent)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"],
                             salt=_salt(UNSUBSCRIBE)).dumps(_payload(subscriber))


def _subscriber_of(data) -> Subscriber:
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise InvalidLink()
    subscriber = db.session.get(Subscriber, data["id"])
    if subscriber is None or not secrets.compare_digest(str(data.get("s", "")),
                                                        subscriber.secret):
        raise InvalidLink()
    return subscriber


def subscriber_to_confirm(token: str) -> Subscriber:
    try:
        data = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_salt(CONFIRM)) \
            .loads(token, max_age=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    except SignatureExpired as error:
        raise InvalidLink(expired=True) from error
    except BadSignature as error:
        raise InvalidLink() from error
    return _subscriber_of(data)


def subscriber_to_unsubscribe(token: str) -> Subscriber:
    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"],
                                 salt=_salt(UNSUBSCRIBE)).loads(token)
    except BadSignature as error:
        raise InvalidLink() from error
    return _subscriber_of(data)


def confirmation_url(subscriber: Subscriber) -> str:
    return url_for("newsletter.confirm", token=confirmation_token(subscriber),
                   lang_code=subscriber.language, _external=True)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return url_for("newsletter.unsubscribe", token=unsubscribe_token(subscriber),
                   lang_code=subscriber.language, _external=True)


# Subscribing


def _subscriber_for(address: str, language: str) -> Subscriber:
    """The address's row, created if it has none (two requests at once: one row)."""
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == address))
    if subscriber is not None:
        return subscriber
    subscriber = Subscriber(email=address, language=language, secret=secrets.token_hex(16))
    try:
        with db.session.begin_nested():
            db.session.add(subscriber)
    except IntegrityError:  # another request added it in the meantime
        found = db.session.scalar(select(Subscriber).where(Subscriber.email == address))
        assert found is not None
        return found
    return subscriber


def subscribe(*, email: str, language: str) -> None:
    """Ask for the newsletter at `email`, in `language`. One email leaves whatever the
    address: the confirmation link, or, to an address already confirmed, a note that it is
    subscribed (with its unsubscription link). Nothing is returned: the page says the same
    thing in every case."""
    subscriber = _subscriber_for(normalize_email(email), language)
    if subscriber.is_confirmed:
        queue_email(subscriber.email, subscriber.language, "newsletter/already_subscribed",
                    archive_url=url_for("newsletter.archive", lang_code=subscriber.language,
                                        _external=True),
                    unsubscribe_url=unsubscribe_url(subscriber))
        return
    subscriber.language = language
    db.session.flush()
    queue_email(subscriber.email, language, "newsletter/confirm",
                confirm_url=confirmation_url(subscriber))


def confirm(token: str) -> Subscriber:
    """Follow a confirmation link (again: nothing changes). InvalidLink otherwise."""
    subscriber = subscriber_to_confirm(token)
    subscriber.confirm()
    db.session.flush()
    return subscriber


def unsubscribe(subscriber: Subscriber) -> None:
    """The address is removed at once: nothing of it is kept."""
    db.session.delete(subscriber)
    db.session.flush()


def forget_unconfirmed(now: datetime | None = None) -> int:
    """Delete the subscriptions whose confirmation link expired a while ago."""
    now = now or utcnow()
    link_life = timedelta(seconds=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    return rows_changed(db.session.execute(
        delete(Subscriber).where(Subscriber.confirmed_at.is_(None),
                                 Subscriber.created_at < now - link_life - UNCONFIRMED_KEPT)))


def erase_account(user, delete_content: bool) -> None:
    """Account deletion: the account's address is unsubscribed (registered as an eraser)."""
    db.session.execute(delete(Subscriber).where(
        Subscriber.email == normalize_email(user.email)))
    db.session.flush()


# Sending an issue


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def _parts(issue: Issue) -> dict[str, dict]:
    """The issue's contents in each language, written once for every subscriber."""
    parts = {}
    for language in _languages():
        with force_locale(language):
            parts[language] = queries.email_part(issue, language)
    return parts


def _record(number: int, today: date, start: datetime, now: datetime,
            content: dict) -> Issue | None:
    issue = Issue(number=number, issued_on=today, period_start=start, period_end=now,
                  content=content, recipients=0, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(issue)
    except IntegrityError:  # another run recorded this issue, or today's, in the meantime
        return None
    return issue


def send_issue(today: date | None = None, now: datetime | None = None) -> Issue | None:
    """Build the issue of the period since the previous one and queue it to every confirmed
    subscriber, in their language then the other. Returns the issue, or None when there is
    nothing to send: nothing was published since the previous issue, or today's issue exists
    (the command run again, or twice at once: the unique day and number refuse a second).
    Flushes; the command commits."""
    now = now or utcnow()
    today = today or local_today()
    last = queries.latest_issue()
    if last is not None and last.issued_on >= today:
        return None
    start = last.period_end if last is not None else now - FIRST_PERIOD
    content = queries.published_between(start, now)
    if not any(content[section] for section in SECTIONS):
        return None
    issue = _record((last.number if last is not None else 0) + 1, today, start, now, content)
    if issue is None:
        return None
    parts = _parts(issue)
    count = 0
    for subscriber in queries.confirmed_subscribers(BATCH):
        language = subscriber.language if subscriber.language in parts else _languages()[0]
        link = unsubscribe_url(subscriber)
        queue_email(subscriber.email, language, "newsletter/issue",
                    headers={"List-Unsubscribe": f"<{link}>",
                             "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
                    issue=issue, parts=[parts[language], *(part for code, part in parts.items()
                                                          if code != language)],
                    unsubscribe_url=link)
        count += 1
    issue.recipients = count
    db.session.flush()
    return issue
