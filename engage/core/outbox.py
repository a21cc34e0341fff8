"""Email: every message is written to the outbox, then sent or logged.

Services call `queue_email` (inside their transaction); once the request has
committed (engage.core.unit_of_work), `deliver_pending` sends what is queued by SMTP
when MAIL_SERVER is set, or writes it to the log in development. Links in emails are built
with `url_for(..., _external=True)`, in a request or in a command: they start with the
BASE_URL setting (engage/core/urls.py). A message may carry extra headers (`headers=`: the
newsletter's `List-Unsubscribe` and `List-Unsubscribe-Post`, RFC 8058), sent as they are.
"""

import logging
import smtplib
from datetime import datetime
from email import policy
from email.message import EmailMessage

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db import AwareDateTime, LabelledEnum, TimestampMixin, enum_check, utcnow
from engage.extensions import Model, db

log = logging.getLogger(__name__)

# A message with extra headers is written with lines up to RFC 5322's limit: a long value
# (a List-Unsubscribe link) folded to 78 characters would be cut into encoded words, which
# mail programs do not read as a link.
LONG_LINES = policy.default.clone(max_line_length=998)


class OutboxStatus(LabelledEnum):
    QUEUED = "queued"
    SENT = "sent"
    LOGGED = "logged"
    FAILED = "failed"

    @classmethod
    def labels(cls):
        return {member: member.value for member in cls}


class OutboxMessage(TimestampMixin, Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (enum_check(OutboxStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        String(10), default=OutboxStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Headers sent besides From, To, Subject and Content-Language: {name: value}, or None.
    headers: Mapped[dict | None] = mapped_column(JSON)


def queue_email(recipient: str, language: str, template: str, *,
                headers: dict[str, str] | None = None, **context) -> OutboxMessage:
    """Render `templates/emails/<template>.txt` in the recipient's language and queue it.

    The template's first line is the subject. `headers`: extra headers of the message
    ({name: value}, one line each).
    """
    with force_locale(language):
        rendered = render_template(f"emails/{template}.txt", language=language, **context)
    subject, _, body = rendered.strip().partition("\n")
    message = OutboxMessage(
        recipient=recipient, language=language, subject=subject.strip(), body=body.strip() + "\n",
        headers=dict(headers) if headers else None,
    )
    db.session.add(message)
    if has_request_context():
        g.outbox_pending = True
    return message


def _send_smtp(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage(policy=LONG_LINES if message.headers else policy.default)
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Content-Language"] = message.language
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def deliver_pending(limit: int = 100) -> int:
    """Send or log queued messages; returns how many left the queue."""
    pending = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    delivered = 0
    for message in pending:
        message.attempts += 1
        if not current_app.config["MAIL_SERVER"]:
            log.info("Email to %s: %s\n%s", message.recipient, message.subject, message.body)
            message.status = OutboxStatus.LOGGED
            delivered += 1
            continue
        try:
            _send_smtp(message)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:1000]
            if message.attempts >= 5:
                message.status = OutboxStatus.FAILED
            log.warning("Email %s not sent (attempt %s): %s", message.id, message.attempts, error)
            continue
        message.status = OutboxStatus.SENT
        message.sent_at = utcnow()
        delivered += 1
    db.session.commit()
    return delivered
