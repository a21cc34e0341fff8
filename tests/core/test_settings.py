"""Every setting is declared once, in engage/config.py, and documented in the README: the
code reads no key that config.py does not declare (or that Flask or an extension does not
set), only config.py reads the environment, and every variable it reads is in the README's
configuration table."""

import re
from pathlib import Path

from flask import Flask

from engage.config import config_class

PROJECT = Path(__file__).resolve().parents[2]
READS = re.compile(r"""config(?:\.get\(|\.setdefault\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
ENVIRONMENT = re.compile(r"""os\.environ(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")


def _code():
    for path in sorted((PROJECT / "engage").rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def _declared() -> set[str]:
    names = set(Flask.default_config)
    for environment in ("development", "testing", "production"):
        names |= {name for name in dir(config_class(environment)) if name.isupper()}
    return names


def test_every_setting_read_by_the_code_is_declared(app):
    set_by_extensions = set(app.config)  # what Flask-Babel, Flask-Limiter, ... set up
    declared = _declared() | set_by_extensions
    undeclared = sorted({f"{path.relative_to(PROJECT)}: {name}"
                         for path, text in _code() for name in READS.findall(text)
                         if name not in declared})
    assert not undeclared, undeclared


def test_only_config_reads_the_environment():
    readers = sorted(str(path.relative_to(PROJECT)) for path, text in _code()
                     if ENVIRONMENT.search(text) and path.name != "config.py")
    assert readers == [], readers


def test_every_variable_is_in_the_readme():
    config = (PROJECT / "engage" / "config.py").read_text(encoding="utf-8")
    table = (PROJECT / "README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1]
    table = table.split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    missing = sorted(set(ENVIRONMENT.findall(config)) - documented)
    assert not missing, f"add them to the README's configuration table: {missing}"
