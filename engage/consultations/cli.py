"""`flask engage notify-closing`: remind followers of consultations that close within 3 days.

Run it once a day (cron, systemd timer). Each consultation is reminded once: the
date of the reminder is recorded, so running the command again sends nothing new.
"""

from datetime import date

import click
from flask.cli import with_appcontext

from engage.extensions import db


@click.command("notify-closing")
@click.option("--date", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this day (YYYY-MM-DD); default: today in Paris.")
@with_appcontext
def notify_closing_command(on_date):
    """Email the followers of consultations closing in 3 days or less (once each)."""
    from engage.consultations.notifications import send_closing_reminders
    from engage.core.outbox import deliver_pending

    today: date | None = on_date.date() if on_date else None
    reminded = send_closing_reminders(today)
    db.session.commit()
    deliver_pending(limit=1000)
    click.echo(f"{reminded} consultation(s) reminded.")
