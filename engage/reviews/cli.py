"""`flask engage send-review-reminders`: run it once a day (cron, systemd timer).

The integrator adds it to the `engage` group:
    from engage.reviews.cli import send_review_reminders_command
    engage_cli.add_command(send_review_reminders_command)
"""

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("send-review-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (YYYY-MM-DD); for checks.")
@click.option("--base-url", default=None,
              help="Address of the site used in the emails' links "
                   "(default: the ENGAGE_BASE_URL setting).")
@with_appcontext
def send_review_reminders_command(today, base_url):
    """Remind lay reviewers 7 and 2 days before a deadline (each reminder is sent once)."""
    from engage.core.outbox import deliver_pending
    from engage.extensions import db
    from engage.reviews.services import send_reminders

    # Every link is built from BASE_URL (engage.core.urls): this run's address, if given.
    configured = current_app.config["BASE_URL"]
    current_app.config["BASE_URL"] = (base_url or configured).rstrip("/")
    try:
        day: date | None = today.date() if today else None
        sent = send_reminders(day)
        db.session.commit()
    finally:
        current_app.config["BASE_URL"] = configured
    delivered = deliver_pending(limit=1000) if sent else 0
    click.echo(f"{sent} reminder(s) queued, {delivered} message(s) delivered.")
