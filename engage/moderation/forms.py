"""Forms of the moderation area: validation only."""

from functools import cache

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from engage.core.i18n import language_label
from engage.core.moderated import ReportReason
from engage.moderation.services import BULK_ACTIONS, NOTE_MAX_LENGTH


def _length(maximum: int):
    return Length(max=maximum, message=_l("At most %(max)d characters.", max=maximum))


def _new_theme_label(code: str) -> LazyString:
    """A lazy label naming a language in the reader's language."""
    return LazyString(lambda: gettext("Or a new theme named (%(language)s)",
                                      language=language_label(code)))


def reason_choices(empty_label=None):
    choices = ReportReason.choices()
    return ([("", empty_label), *choices]) if empty_label is not None else choices


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StateForm(FlaskForm):
    """A button on one item, with the state the moderator saw."""

    expected_state = HiddenField()


class HideForm(StateForm):
    reason = SelectField(_l("Reason"), validators=[DataRequired(
        message=_l("Please choose a reason from the list."))])
    note = TextAreaField(
        _l("Note for the author (optional)"), validators=[Optional(), _length(NOTE_MAX_LENGTH)],
        description=_l("The author receives the reason and this note by email, in their "
                       "language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = reason_choices(_l("Choose a reason"))


class RedactForm(HideForm):
    passages = TextAreaField(
        _l("Passages to remove"),
        validators=[DataRequired(message=_l("Please copy the passage to remove.")),
                    _length(5000)],
        description=_l("Copy each passage exactly as written, one per line. Each is replaced by "
                       "“[passage removed by moderation]”. The original text is kept only in "
                       "the audit log."),
    )


class BlockForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this person blocked?"),
        validators=[DataRequired(message=_l("Please say why this person is blocked.")),
                    _length(NOTE_MAX_LENGTH)],
        description=_l("Sent to the person by email. They can still read, not write."),
    )


class BulkForm(FlaskForm):
    items = MultiCheckboxField(_l("Items"), choices=[], validate_choice=True,
                               validators=[DataRequired(
                                   message=_l("Please select at least one item."))])
    action = SelectField(_l("Action on the selected items"), validators=[DataRequired(
        message=_l("Please choose what to do."))])
    reason = SelectField(_l("Reason (to hide)"), validators=[Optional()])
    note = TextAreaField(_l("Note for the authors (optional)"),
                         validators=[Optional(), _length(NOTE_MAX_LENGTH)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "approve": _l("Approve"),
            "hide": _l("Hide"),
            "restore": _l("Restore"),
            "dismiss": _l("Dismiss the reports"),
        }
        self.action.choices = [("", _l("Choose an action"))] + [
            (action, labels[action]) for action in BULK_ACTIONS]
        self.reason.choices = reason_choices(_l("Choose a reason"))


class ThemesForm(FlaskForm):
    themes = MultiCheckboxField(_l("Themes"), coerce=int, choices=[], validate_choice=True)


class MergeThemesForm(FlaskForm):
    source = SelectField(_l("Theme to merge"), coerce=int, validators=[DataRequired(
        message=_l("Please choose a theme."))])
    target = SelectField(_l("Merge it into"), coerce=int, validators=[DataRequired(
        message=_l("Please choose a theme."))])


class SuggestionForm(FlaskForm):
    key = HiddenField()
    contribution_ids = HiddenField()


class AcceptSuggestionFormBase(SuggestionForm):
    languages: tuple[str, ...] = ()

    theme = SelectField(_l("Theme to give these contributions"), validators=[Optional()])

    def contribution_id_list(self) -> list[int]:
        return [int(part) for part in (self.contribution_ids.data or "").split(",")
                if part.strip().isdigit()]

    def labels(self) -> dict[str, str]:
        return {code: self[f"label_{code}"].data or "" for code in self.languages}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and not self.theme.data and not any(v.strip() for v in self.labels().values()):
            self[f"label_{self.languages[0]}"].errors.append(
                _l("Choose a theme, or name a new one in at least one language."))
            return False
        return valid


@cache
def accept_form_class(languages: tuple[str, ...]):
    fields = {"languages": languages}
    for code in languages:
        fields[f"label_{code}"] = StringField(
            _new_theme_label(code),
            validators=[Optional(), _length(80)],
        )
    return type("AcceptSuggestionForm", (AcceptSuggestionFormBase,), fields)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    target_type = SelectField(_l("Kind of item"), validators=[Optional()])
    actor = SelectField(_l("Moderator"), validators=[Optional()])
