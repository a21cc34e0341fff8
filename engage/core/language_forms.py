"""Forms with one set of fields per configured language (the LANGUAGES setting).

A form class is built for a tuple of language codes, so that adding a language needs
a catalog and a setting, no code: `with_language_fields(CallFormBase, ("fr", "en"),
{"title": make_title_field})` gives a class with `title_fr`, `title_en` and
`languages = ("fr", "en")`.
"""

from collections.abc import Callable

from flask_babel import LazyString
from wtforms.fields.core import UnboundField

from engage.core.i18n import language_label


def in_language(render: Callable[[str], str], code: str) -> LazyString:
    """A lazy label naming a language in the reader's language: "Title in French".

    `render` is a `lambda language: gettext("Title in %(language)s", language=language)`,
    written out so that the message is extracted for translation.
    """
    return LazyString(lambda: render(language_label(code)))


def with_language_fields(base: type, languages: tuple[str, ...],
                         fields: dict[str, Callable[[str, bool], UnboundField]],
                         *, before: str | None = None) -> type:
    """A subclass of `base` with a field `<name>_<code>` for each name and language.

    Each maker gets the language code and whether it is the first language (whose fields
    carry the hints, written once). `before` names a field of `base` that the new fields
    come before, in the form's order (that of its error summary too).
    """
    attributes: dict = {"languages": languages}
    for position, code in enumerate(languages):
        for name, make in fields.items():
            attributes[f"{name}_{code}"] = make(code, position == 0)
    if before is not None:
        # WTForms orders fields by creation; these are created after the base's fields.
        anchor = getattr(base, before).creation_counter
        added = [value for name, value in attributes.items() if name != "languages"]
        for index, field in enumerate(added, start=1):
            field.creation_counter = anchor - 1 + index / (len(added) + 1)
    return type(base.__name__.removesuffix("Base"), (base,), attributes)
