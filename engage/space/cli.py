"""`flask engage send-digests --period daily|weekly`: the digest emails of notifications.

Run it once a day with `--period daily` and once a week (on Monday morning, say) with
`--period weekly` (cron, systemd timer). Each person gets at most one digest per day or
week: running the command again sends nothing new (engage/space/digests.py).
"""

import click
from flask.cli import with_appcontext

from engage.extensions import db


@click.command("send-digests")
@click.option("--period", type=click.Choice(["daily", "weekly"]), required=True,
              help="Which digests: the daily ones or the weekly ones.")
@click.option("--date", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this day (YYYY-MM-DD); default: today in Paris.")
@with_appcontext
def send_digests_command(period, on_date):
    """Email each person who asked for it the notifications they have not read yet."""
    from engage.core.outbox import deliver_pending
    from engage.space.digests import send_digests

    sent = send_digests(period, on_date.date() if on_date else None)
    db.session.commit()
    deliver_pending(limit=1000)
    click.echo(f"{sent} digest(s) sent.")
