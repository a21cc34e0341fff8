"""`flask --app engage engage ...`: demo data, users, mail."""

import click
from flask import Flask
from sqlalchemy import select

from engage.core.commands import DEMO_PASSWORD, engage_cli
from engage.extensions import db


@engage_cli.command("demo")
def demo_command():
    """Load the bilingual demo data (running it twice changes nothing)."""
    from engage import demo
    from engage.core import registry

    created = demo.load_accounts(DEMO_PASSWORD)
    for loader in registry.of().demo_loaders:
        loader()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data already present.")
    click.echo(f"Demo accounts (password: {DEMO_PASSWORD}, demo only):")
    for email in demo.DEMO_EMAILS:
        click.echo(f"  {email}")


@engage_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["participant", "representative", "moderator",
                                           "officer", "admin"]),
              default="participant", show_default=True)
@click.option("--name", default=None, help="Display name (defaults to the part before @).")
@click.option("--language", default="fr", show_default=True)
@click.password_option()
def create_user_command(email, role, name, language, password):
    """Create a confirmed account (for the first administrator)."""
    from engage.accounts import passwords
    from engage.accounts.models import Role, User
    from engage.accounts.services import find_user_by_email, normalize_email
    from engage.core.db import utcnow

    # The same rules as the forms: the first administrator's password matters most.
    refusal = passwords.problem(password, passwords.personal_words(email, name))
    if refusal:
        raise click.BadParameter(refusal, param_hint="password")
    if find_user_by_email(email):
        raise click.ClickException(f"{email} already has an account.")
    user = User(
        email=normalize_email(email),
        display_name=name or email.split("@")[0],
        role=Role(role),
        language=language,
        email_confirmed_at=utcnow(),
        privacy_consent_at=utcnow(),
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {user.email} ({role}).")


@engage_cli.command("send-mail")
def send_mail_command():
    """Send (or log) the emails waiting in the outbox."""
    from engage.core.outbox import deliver_pending

    click.echo(f"{deliver_pending(limit=1000)} message(s) delivered.")


@engage_cli.command("purge")
def purge_command():
    """Delete what the retention rules say is due (run it daily)."""
    from engage.accounts.retention import purge
    from engage.core.db import utcnow

    report = purge(utcnow())
    db.session.commit()
    click.echo(
        f"Unconfirmed accounts deleted: {report.unconfirmed_deleted}; "
        f"old emails deleted: {report.outbox_deleted}; "
        f"inactive accounts warned: {report.inactive_warned}; "
        f"inactive accounts deleted: {report.inactive_deleted}."
    )


@engage_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst):
    """Run background jobs from Redis (REDIS_URL must be set)."""
    from flask import current_app

    from engage.core.jobs import work

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs already run in the web process.")
    work(burst=burst)


def _sqlite_path() -> str:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "backup and restore are for SQLite installs; on PostgreSQL use pg_dump and "
            "pg_restore (docs/deployment.md)."
        )
    return url.database


@engage_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup_command(target):
    """Copy the SQLite database to TARGET, consistently, while the app runs."""
    import sqlite3

    source = sqlite3.connect(_sqlite_path())
    destination = sqlite3.connect(target)
    with destination:
        source.backup(destination)
    source.close()
    destination.close()
    click.echo(f"Backed up to {target}.")


@engage_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="This replaces the current database. Continue?")
def restore_command(source):
    """Replace the SQLite database with SOURCE (stop the app first)."""
    import sqlite3

    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        healthy = backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        healthy = False
    if not healthy:
        raise click.ClickException(f"{source} is damaged or not a database: nothing changed.")
    db.session.remove()
    db.engine.dispose()
    target = sqlite3.connect(_sqlite_path())
    with target:
        backup.backup(target)
    backup.close()
    target.close()
    click.echo(f"Restored from {source}.")


@engage_cli.command("synth")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True, help="1 ≈ a network at full size (5,000 people, "
              "100,000 contributions); 0.01 for a quick try.")
@click.option("--seed", type=int, default=2026, show_default=True,
              help="The same seed gives the same data.")
def synth_command(scale, seed):
    """Fill an EMPTY database with synthetic bilingual data (load tests, benchmarks)."""
    from engage import synth

    try:
        synth.run(scale, seed, click.echo)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None


@engage_cli.command("is-empty", hidden=True)
def is_empty_command():
    """Exit 0 when the database has no user (used by `make run`)."""
    from engage.accounts.models import User

    raise SystemExit(0 if db.session.scalar(select(User.id).limit(1)) is None else 1)


def init_app(app: Flask) -> None:
    from engage.translate_cli import translate_cli

    # The areas add their own commands to `engage_cli` in their `init_app`.
    app.cli.add_command(engage_cli)
    app.cli.add_command(translate_cli)
