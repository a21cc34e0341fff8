"""Forms of the summaries area: validation only. Text fields exist once per configured
language (`summary_form_class(languages)`), so that adding a language needs no code."""

from functools import cache

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Optional

from engage.core.i18n import language_label
from engage.core.text_length import TextLength
from engage.summaries.services import BODY_MAX_LENGTH


def _length(maximum: int):
    return TextLength(maximum)


def _summary_label(code: str) -> LazyString:
    return LazyString(lambda: gettext("Summary (%(language)s)", language=language_label(code)))


def _response_label(code: str) -> LazyString:
    return LazyString(lambda: gettext("The network’s response (%(language)s)",
                                      language=language_label(code)))


class VersionForm(FlaskForm):
    """A step in the workflow, with the version of the summary the moderator saw."""

    version = HiddenField()


class ReturnForm(VersionForm):
    note = TextAreaField(
        _l("What needs changing?"),
        validators=[DataRequired(message=_l("Please say what needs changing.")), _length(2000)],
    )


class SummaryFormBase(VersionForm):
    languages: tuple[str, ...] = ()

    def texts(self) -> dict[str, str]:
        return {code: self[f"body_{code}"].data or "" for code in self.languages}


@cache
def summary_form_class(languages: tuple[str, ...]):
    fields = {"languages": languages}
    for code in languages:
        fields[f"body_{code}"] = TextAreaField(
            _summary_label(code), validators=[Optional(), _length(BODY_MAX_LENGTH)],
            description=_l("Markdown. Cite a contribution with its number in brackets, "
                           "e.g. [#123]. Aim for short sentences and everyday words."),
        )
    return type("SummaryForm", (SummaryFormBase,), fields)


class ResponseFormBase(VersionForm):
    languages: tuple[str, ...] = ()

    response_on = DateField(_l("Date of the response"), validators=[DataRequired(
        message=_l("Please give the date of the response."))])

    def texts(self) -> dict[str, str]:
        return {code: self[f"response_{code}"].data or "" for code in self.languages}


@cache
def response_form_class(languages: tuple[str, ...]):
    fields = {"languages": languages}
    for code in languages:
        fields[f"response_{code}"] = TextAreaField(
            _response_label(code),
            validators=[DataRequired(message=_l("Please write the response in every "
                                                "language.")), _length(BODY_MAX_LENGTH)],
            description=_l("What the network will do with what was said (Markdown)."),
        )
    return type("ResponseForm", (ResponseFormBase,), fields)
