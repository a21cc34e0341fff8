"""The network's newsletter (issue 19): a bilingual periodic digest of new summaries,
priority results, the network's commitments and their updates, and funded projects. Anyone
subscribes, with or without an account, by double opt-in; one click unsubscribes
(List-Unsubscribe, RFC 8058). Issues are sent through the outbox by a scheduled command,
kept in a web archive and an Atom feed.

Decisions:

- **An address, not an account.** A subscriber is an address and a language (`Subscriber`),
  whoever asked: a signed-in person gets the form filled in with their account's, and goes
  through the same double opt-in. The subscription page answers the same whatever the
  address (unknown, waiting, subscribed, an account's): an address already confirmed gets
  an email saying so, with its unsubscription link, instead of a confirmation link.
- **Links** are signed with the SECRET_KEY and carry a random secret of the row, and start
  with BASE_URL (never the request's Host): the confirmation link expires like the
  accounts' (EMAIL_CONFIRMATION_MAX_AGE), the unsubscription link never does.
- **Unsubscribing** deletes the row at once (nothing is kept): a POST to the link, without
  CSRF token (RFC 8058's one click, `List-Unsubscribe-Post`; the token in the URL is the
  proof), or the button of the page the link opens (a GET never unsubscribes). Deleting an
  account deletes its address's subscription; "my data" shows it. Subscriptions never
  confirmed are forgotten by the command, a week after their link expired.
- **Issues** (`Issue`): `flask engage send-newsletter` (cli.py) lists what was published
  since the previous issue's end (the first: the last 7 days), skips an empty period, keeps
  the ids listed, and queues one email per confirmed subscriber, in their language then the
  other. The issue's number and day are unique: run again the same day, or twice at once,
  it sends nothing more. Pages read the ids again and show what is still published.
"""


def init_app(app) -> None:
    from engage.newsletter import page_versions

    page_versions.register()  # what its writes change (engage.core.versions): nothing
    from engage.core import registry
    from engage.core.commands import engage_cli
    from engage.extensions import csrf
    from engage.newsletter import models, personal_data  # noqa: F401 - the tables
    from engage.newsletter.cli import send_newsletter_command
    from engage.newsletter.routes import archive, bp, public  # noqa: F401 - the routes

    app.register_blueprint(bp)
    # The one-click unsubscription (RFC 8058) is posted by mail programs, without a token.
    csrf.exempt(public.unsubscribe)
    engage_cli.add_command(send_newsletter_command)
    personal_data.register(registry.of(app), app.config["LANGUAGES"])
