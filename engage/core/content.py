"""Content written in several languages is data: one translation row per language.

A model with translations defines a `translations` relationship to rows that
have a `language` column; `pick_translation` chooses the one to show.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


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
