"""Long texts: refused with their count, never cut.

A browser's `maxlength` silently cuts a pasted text, which was then published mid-sentence. So
text fields carry no `maxlength`: the server refuses a text that is too long and says by how
much, the text stays in the form, and a live counter (static/js/text-count.js, progressive
enhancement) shows the count while typing. The template macro `render_field` reads the limit
from the field's `text_limit` flag.
"""

from flask_babel import format_decimal, ngettext
from wtforms.validators import ValidationError


def count_characters(text: str | None) -> int:
    """Characters as the person sees them: a line break is one (browsers send two, CR LF)."""
    return len((text or "").replace("\r\n", "\n"))


class TextLength:
    """At most `maximum` characters."""

    def __init__(self, maximum: int):
        self.maximum = maximum
        self.field_flags = {"text_limit": maximum}

    def __call__(self, form, field) -> None:
        length = count_characters(field.data)
        if length <= self.maximum:
            return
        excess = length - self.maximum
        raise ValidationError(ngettext(
            "This text has %(length)s characters; the limit is %(max)s. Please shorten it by "
            "%(excess)s character.",
            "This text has %(length)s characters; the limit is %(max)s. Please shorten it by "
            "%(excess)s characters.",
            excess, length=format_decimal(length), max=format_decimal(self.maximum),
            excess=format_decimal(excess)))
