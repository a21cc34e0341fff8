"""Texts and addresses a long page needs for each of its items, made once per page rather
than once per item (the consultation's contributions, the moderation queue, the outcome
report's arguments): our catalog's texts trusted as the templates' `_` trusts them, patterns
formatted with their values escaped and French elision ("d’Alice"), each text made once, and
the common part of the items' addresses.
"""

from typing import Any

from flask import url_for
from markupsafe import Markup

from engage.core.i18n import current_translations
from engage.core.typography import elide_before_values


def catalog_text(text: str) -> Markup:
    """A text of our catalog, trusted as the templates' `_` trusts it (its quotes stay)."""
    return Markup(text)  # noqa: S704


def url_prefix(endpoint: str, key: str, external: bool = False, **values: Any) -> str:
    """The address of `endpoint` up to its last part, the id `key`, which follows."""
    values[key] = 0
    prefix, _slash, last = url_for(endpoint, _external=external, **values).rpartition("/")
    if last != "0":
        raise RuntimeError(f"{endpoint}: the id is not the last part of its address")
    return prefix + "/"


class PageTexts:
    """The page's translations, and the texts it formatted (a page names the same people and
    numbers several times: each text is made once)."""

    def __init__(self, language: str):
        self.language = language
        self.french = language == "fr"
        self.catalog = current_translations()
        self._formatted: dict[tuple, Markup] = {}

    def format(self, pattern: str, **values) -> Markup:
        """`pattern` (of our catalog) with `values` escaped, and French elision."""
        key = (pattern, *values.items())
        text = self._formatted.get(key)
        if text is None:
            if self.french:
                pattern = elide_before_values(pattern, values)
            text = self._formatted[key] = Markup(pattern) % values  # noqa: S704 - our catalog
        return text

    def supports(self, number: int) -> Markup:
        return self.format(self.catalog.ungettext(
            "%(num)d support", "%(num)d supports", number), num=number)
