"""Every email, in every language and in each branch of its conditions, starts with a one-line
subject, then the greeting on a line of its own and a paragraph break (Jinja's trim_blocks once
glued them)."""

import re
from datetime import date

import pytest
from flask import render_template
from flask_babel import force_locale
from jinja2 import meta

from engage.config import PROJECT_ROOT

EMAILS = sorted(path.relative_to(PROJECT_ROOT / "templates" / "emails").with_suffix("")
                for path in (PROJECT_ROOT / "templates" / "emails").rglob("*.txt"))
GREETINGS = {"en": "Hello", "fr": "Bonjour"}


class Sample(date):
    """Any value an email may be given: a name, a date, an object, a list, a true condition."""

    def __new__(cls):
        return super().__new__(cls, 2026, 12, 5)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Sample()

    def __iter__(self):
        return iter([Sample()])

    def __len__(self):
        return 1

    def __str__(self):
        return "Camille Martin"

    def __int__(self):
        return 3


class FalseSample(Sample):
    """The same, for the other branch of every condition."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return FalseSample()

    def __bool__(self):
        return False

    def __iter__(self):
        return iter([])

    def __len__(self):
        return 0


def _contexts(app, template: str):
    source = (PROJECT_ROOT / "templates" / "emails" / f"{template}.txt").read_text()
    names = meta.find_undeclared_variables(app.jinja_env.parse(source)) - set(
        app.jinja_env.globals)
    counts = set(re.findall(r"ngettext\((?:\s*\"[^\"]*\",){2}\s*(\w+)", source))
    # Every condition true, then every condition false; counts of several, then of one.
    return [{name: 3 if name in counts else Sample() for name in names},
            {name: 1 if name in counts else FalseSample() for name in names}]


def test_there_are_emails_to_check():
    assert len(EMAILS) >= 20


@pytest.mark.parametrize("template", EMAILS, ids=str)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_subject_on_one_line_then_the_greeting(app, template, lang):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        for context in _contexts(app, str(template)):
            rendered = render_template(f"emails/{template}.txt", language=lang, **context)
            subject, _, body = rendered.strip().partition("\n")
            assert subject.strip(), (template, context.keys())
            assert GREETINGS[lang] not in subject, subject
            greeting, *after = body.strip().split("\n")
            assert greeting.startswith(GREETINGS[lang]), (template, rendered[:200])
            assert after[0] == "", (template, rendered[:200])  # then a paragraph break
