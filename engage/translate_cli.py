"""`flask --app engage translate ...`: keep the catalogs in step with the code."""

import subprocess
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

from engage.config import PROJECT_ROOT

translate_cli = AppGroup("translate", help="Translation catalogs.")
TRANSLATIONS = PROJECT_ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
# The language the interface strings are written in: its catalog copies them.
SOURCE_LANGUAGE = "en"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True,  # noqa: S603
                   cwd=PROJECT_ROOT)


def extract(output: Path = POT) -> None:
    """Collect the strings of the code and templates (templates/_macros included:
    babel skips folders starting with _ unless told otherwise)."""
    _pybabel("extract", "-F", "babel.cfg", "--ignore-dirs", ".*", "-k", "_l", "-k", "lazy_gettext",
             "--no-location", "--sort-output", "--omit-header", "-o", str(output), ".")


def fill_source_catalog(path: Path) -> None:
    """In the source language's catalog a message translates to itself."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id[min(i, 1)] for i in range(catalog.num_plurals))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False)


@translate_cli.command("update")
def update_command():
    """Extract the strings, update every catalog, fill the source-language one."""
    extract()
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
             "--ignore-obsolete", "-w", "100")
    fill_source_catalog(TRANSLATIONS / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po")
    click.echo("Catalogs updated: translate the empty entries, then `make translations`.")


@translate_cli.command("init")
@click.argument("language")
def init_command(language):
    """Start the catalog of a new language (then add it to LANGUAGES)."""
    extract()
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language, "-w", "100")
    click.echo(f"Translate translations/{language}/LC_MESSAGES/messages.po, then add "
               f"{language} to the LANGUAGES setting.")
