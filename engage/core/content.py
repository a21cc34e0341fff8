"""What people write: texts that must show something, and content in several languages.

Content written in several languages is data: one translation row per language. A model
with translations defines a `translations` relationship to rows that have a `language`
column; `pick_translation` chooses the one to show.

A text made only of spaces and invisible characters (zero-width spaces and joiners, word
joiners, byte-order marks...) was published as an empty box: `VisibleTextRequired` refuses
it as empty, with the field's usual "required" message.
"""

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wtforms.validators import DataRequired, StopValidation

# Characters that draw nothing although they are neither spaces nor format characters
# (Unicode category Cf, which holds U+200B, U+200C, U+200D, U+2060, U+FEFF...): the Hangul
# fillers and the blank Braille pattern.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _draws_nothing(character: str) -> bool:
    return character.isspace() or character in BLANK_LETTERS \
        or unicodedata.category(character) in ("Cf", "Cc")


def has_visible_text(text: str | None) -> bool:
    """Whether `text` holds at least one character that can be seen."""
    return any(not _draws_nothing(character) for character in text or "")


class VisibleTextRequired(DataRequired):
    """DataRequired that also takes a text of invisible characters for an empty one."""

    def __call__(self, form, field):
        if isinstance(field.data, str) and not has_visible_text(field.data):
            field.errors[:] = []
            raise StopValidation(self.message or field.gettext("This field is required."))
        super().__call__(form, field)


@dataclass(frozen=True)
class Shown:
    """A translation row and whether it is in the language that was asked for."""

    row: Any
    language: str
    is_fallback: bool

    def __getattr__(self, name):
        return getattr(self.row, name)


def pick_translation(translations, language: str, preferred_order=("fr", "en")) -> Shown | None:
    """The translation in `language`, else the first available (French before English)."""
    by_language = {t.language: t for t in translations}
    if language in by_language:
        return Shown(by_language[language], language, False)
    for code in (*preferred_order, *sorted(by_language)):
        if code in by_language:
            return Shown(by_language[code], code, True)
    return None


class TranslatedMixin:
    """For models with a `translations` relationship."""

    if TYPE_CHECKING:  # each model declares its own relationship to its translation rows
        translations: Any

    def translated(self, language: str) -> Shown | None:
        return pick_translation(self.translations, language)

    def available_languages(self) -> list[str]:
        return sorted(t.language for t in self.translations)
