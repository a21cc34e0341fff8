"""`flask engage send-newsletter`: the network's newsletter, sent by a scheduled command.

Run it once a week (cron or systemd timer, say on Monday morning). It lists what was
published since the previous issue (new summaries, research priorities' results, the
network's commitments and their updates, funded projects and their news), skips a period
where nothing was, and queues one email per confirmed subscriber. At most one issue a day:
running it again, or twice at once, sends nothing more (engage/newsletter/services.py). It
also forgets the subscriptions never confirmed.
"""

import click
from flask.cli import with_appcontext

from engage.extensions import db


@click.command("send-newsletter")
@click.option("--date", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this day (YYYY-MM-DD); default: today in Paris.")
@with_appcontext
def send_newsletter_command(on_date):
    """Send the newsletter's issue of the period since the previous one, if it lists
    anything."""
    from engage.core.outbox import deliver_pending
    from engage.newsletter.services import forget_unconfirmed, send_issue

    forgotten = forget_unconfirmed()
    issue = send_issue(on_date.date() if on_date else None)
    db.session.commit()
    if forgotten:
        click.echo(f"{forgotten} unconfirmed subscription(s) forgotten.")
    if issue is None:
        click.echo("No issue sent: nothing new was published, or today's issue was sent.")
        return
    delivered = deliver_pending(limit=max(1000, issue.recipients))
    click.echo(f"Issue {issue.number} sent to {issue.recipients} subscriber(s) "
               f"({delivered} email(s) delivered now, the rest by send-mail).")
