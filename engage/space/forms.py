"""Forms of "My space": validation only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from engage.core.notifications import Delivery, NotificationKind


class ConfirmActionForm(FlaskForm):
    """A button that changes something (mark as read): only the CSRF token to check."""


class PreferencesForm(FlaskForm):
    """How to hear of each kind of notification: one question per kind (added below)."""

    def chosen(self) -> dict[str, str]:
        return {kind.value: self[kind.value].data for kind in NotificationKind}


for _kind, _label in NotificationKind.labels().items():
    setattr(PreferencesForm, _kind.value, RadioField(
        _label, choices=[SelectChoice(value, label) for value, label in Delivery.choices()],
        validators=[InputRequired(message=_l("Please choose how you want to hear of it."))]))
