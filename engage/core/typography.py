"""French elision where a value is inserted into a translated sentence.

The catalog says "Contribution de %(name)s"; with "Alice" French writes "Contribution d’Alice".
Only the inserted value tells which form applies, so elision happens when the sentence is
formatted: the templates' `_`, `gettext` and `ngettext` (and `{% trans %}`) are Jinja's
new-style callables with this one step added before the values are put in.
"""

import re
from collections.abc import Mapping

from flask import Flask
from flask_babel import get_locale
from jinja2 import pass_context
from markupsafe import Markup

# The words that lose their vowel before a vowel or a mute h, and what they become.
ELIDED = {"de": "d’", "le": "l’", "la": "l’", "que": "qu’", "je": "j’", "ne": "n’", "se": "s’"}
# A word of the list, alone, just before a placeholder.
_BEFORE_PLACEHOLDER = re.compile(
    r"(?<![\w’'-])(" + "|".join(ELIDED) + r") %\((\w+)\)s", re.IGNORECASE
)
# Opening quotes and spaces are skipped; "h" counts as mute (most names and nouns in use here).
_ELIDING_START = re.compile(r"[«“\"‹\s\u00a0\u202f]*[aeiouyhàâäæéèêëîïôöœùûüÿ]", re.IGNORECASE)


def elide_before_values(sentence: str, values: Mapping) -> str:
    """`sentence` (a French pattern with %(name)s placeholders) with "de %(name)s" written
    "d’%(name)s" where the value starts with a vowel or an h, and so on for ELIDED."""

    def elide(match: re.Match) -> str:
        word, name = match.group(1), match.group(2)
        value = values.get(name)
        if value is None or not _ELIDING_START.match(str(value)):
            return match.group(0)
        elided = ELIDED[word.lower()]
        if word[0].isupper():
            elided = elided[0].upper() + elided[1:]
        return f"{elided}%({name})s"

    return _BEFORE_PLACEHOLDER.sub(elide, sentence)


def _is_french() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "fr"


def _formatted(context, sentence: str, values: dict):
    if values and _is_french():
        sentence = elide_before_values(sentence, values)
    if context.eval_ctx.autoescape:
        # The catalog is ours and trusted; the values are escaped by the % below.
        sentence = Markup(sentence)  # noqa: S704
    # Like Jinja's new-style gettext: always a format string, values escaped by Markup.
    return sentence % values


def init_app(app: Flask) -> None:
    """Replace the template callables that Flask-Babel installed (same lookups, same
    formatting as Jinja's new style, plus elision). The catalog is the request's, found
    once (`current_translations`): a page has dozens of texts."""
    from engage.core.i18n import current_translations as get_translations

    # Positional names that no template value can clash with, as in Jinja's own.
    @pass_context
    def gettext(__context, __string, **values):
        return _formatted(__context, get_translations().ugettext(__string), values)

    @pass_context
    def ngettext(__context, __singular, __plural, __num, **values):
        values.setdefault("num", __num)
        return _formatted(__context,
                          get_translations().ungettext(__singular, __plural, __num), values)

    app.jinja_env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)

