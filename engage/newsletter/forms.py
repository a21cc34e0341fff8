"""The newsletter's form: an address and the language of the issues."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField
from wtforms.validators import DataRequired

from engage.accounts.forms import EMAIL_VALIDATORS
from engage.core.i18n import language_name


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class SubscribeForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=EMAIL_VALIDATORS, filters=[_stripped],
                       description=_l("We send it a link first: the newsletter starts once "
                                      "you have followed it."))
    language = RadioField(_l("Language of the newsletter"), choices=[],
                          validators=[DataRequired(message=_l("Please choose a language."))],
                          description=_l("Each issue also holds the other language, after "
                                         "yours."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [(code, language_name(code))
                                 for code in current_app.config["LANGUAGES"]]
