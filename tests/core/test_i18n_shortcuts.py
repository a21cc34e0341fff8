"""engage.core.i18n's shortcuts give what Flask-Babel gives, on every entry of every catalog:
`translated()` reads Flask-Babel's LazyString internals, and `current_translations()` keeps
the catalog for the request until the locale changes."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext, lazy_gettext

from engage.core.i18n import _plain_message, current_translations, translated

CATALOGS = Path(__file__).resolve().parents[2] / "translations"


def messages(language: str) -> list[str]:
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as catalog:
        return [entry.id for entry in read_po(catalog)
                if entry.id and isinstance(entry.id, str)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_shortcuts_match_flask_babel_on_every_entry(app, language):
    ids = messages(language)
    assert len(ids) > 500  # the whole catalog, not a sample
    differences = []
    with app.test_request_context(f"/{language}/"), force_locale(language):
        for message in ids:
            expected = str(lazy_gettext(message))
            assert _plain_message(lazy_gettext(message)) == message
            if translated(lazy_gettext(message)) != expected:
                differences.append(("translated", message))
            if current_translations().ugettext(message) != gettext(message):
                differences.append(("current_translations", message))
    assert not differences, differences[:10]


def test_a_change_of_locale_is_seen_at_once(app):
    with app.test_request_context("/fr/"):
        with force_locale("fr"):
            french = translated(lazy_gettext("Consultations"))
            with force_locale("en"):
                assert translated(lazy_gettext("Sign in")) == "Sign in"
            assert translated(lazy_gettext("Sign in")) == "Se connecter"
        assert french == "Consultations"


def test_messages_with_variables_are_left_to_flask_babel(app):
    lazy = lazy_gettext("Hello %(name)s", name="Ada")
    assert _plain_message(lazy) is None
    with app.test_request_context("/en/"), force_locale("en"):
        assert translated(lazy) == "Hello Ada"
