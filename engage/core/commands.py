"""The `flask engage ...` command group: core and every area add their commands to it
(the areas in their `init_app`)."""

from flask.cli import AppGroup

engage_cli = AppGroup("engage", help="Engage administration commands.")

DEMO_PASSWORD = "engage-demo-2026"  # noqa: S105 - documented demo-only password
