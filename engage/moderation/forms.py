"""Forms of the moderation area: validation only."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from engage.core.bounds import within_range
from engage.core.moderated import ReportReason
from engage.moderation.services import BULK_ACTIONS, NOTE_MAX_LENGTH


def _length(maximum: int):
    return Length(max=maximum, message=_l("At most %(max)d characters.", max=maximum))


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


class MergeThemesForm(FlaskForm):
    source = SelectField(_l("Theme to merge"), coerce=int, validators=[DataRequired(
        message=_l("Please choose a theme."))])
    target = SelectField(_l("Merge it into"), coerce=int, validators=[DataRequired(
        message=_l("Please choose a theme."))])


class SuggestionForm(FlaskForm):
    key = HiddenField()
    contribution_ids = HiddenField()


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    target_type = SelectField(_l("Kind of item"), validators=[Optional()])
    actor = SelectField(_l("Moderator"), validators=[Optional()])


class RedactionForm(HideForm):
    """Remove passages in two steps (`step`, the button pressed): "preview" shows what will
    be replaced, "confirm" replaces it; `previewed` is the fingerprint of that preview."""

    passages = TextAreaField(
        _l("Passages to remove"),
        validators=[DataRequired(message=_l("Please select or type the passage to remove.")),
                    _length(5000)],
        description=_l("Select the passage in the text, or type it; one passage per line. Quotes, "
                       "apostrophes, dashes, spaces and capital letters may differ from the "
                       "text, accents may not. Every occurrence is replaced by “[passage removed "
                       "by moderation]”; the original text is kept only in the audit log."),
    )
    previewed = HiddenField()
    step = HiddenField()  # given by the button pressed, never rendered as a field


# Themes in bulk: filtering a consultation's contributions, one action on many of them, and
# applying a suggested phrase. (Imported here: this part was added to a shared file.)




def optional_int(value) -> int | None:
    """A choice's number; None for the empty choice (and for anything else than a number)."""
    return int(value) if isinstance(value, int) or str(value or "").isdigit() else None


def row_id(value) -> int:
    """A row's id, that the database can compare (ValueError otherwise)."""
    number = int(value)
    if within_range(number) is None:
        raise ValueError(value)
    return number


class ChoiceField(SelectField):
    """A list whose value must be one of its choices, with a message of our own; the empty
    choice is left to DataRequired or Optional."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(self.invalid_message or gettext("Please choose from the list."))


def _date_field(label):
    return DateField(label, validators=[Optional()], invalid_value_message=_l(
        "Please give a date as year-month-day, for example 2025-03-31."))


class ContributionFilterForm(FlaskForm):
    """The filters of the themes page (GET: no CSRF token). The field names are those of
    ContributionFilters.as_args."""

    class Meta:
        csrf = False

    q = StringField(_l("Words in the text"), validators=[Optional(), _length(200)])
    theme = ChoiceField(_l("Theme"), invalid_message=_l("Please choose a theme from the list."))
    status = ChoiceField(_l("Status"), invalid_message=_l("Please choose a status from the list."))
    date_from = _date_field(_l("Written from"))
    date_to = _date_field(_l("Written until"))
    association = ChoiceField(_l("Association"), invalid_message=_l(
        "Please choose an association from the list."))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))


class BulkThemesForm(FlaskForm):
    """One action on the themes of the ticked contributions, or of all those matching the
    filters. Choices are set by the route."""

    contributions = MultiCheckboxField(_l("Contributions"), coerce=row_id, choices=[],
                                       validate_choice=False)
    scope = RadioField(_l("Apply to"), choices=[], default="selected",
                       validators=[DataRequired(message=_l("Please choose which contributions."))])
    action = RadioField(_l("Action"), choices=[], default="add", validators=[DataRequired(
        message=_l("Please choose what to do."))])
    theme = ChoiceField(_l("Theme"), coerce=optional_int, validators=[DataRequired(
        message=_l("Please choose a theme."))], invalid_message=_l(
        "Please choose a theme from the list."))
    replacement = ChoiceField(_l("Replace it by (to replace a theme)"), coerce=optional_int,
                              invalid_message=_l(
                                  "Please choose a theme from the list."))
    expected_total = HiddenField()

    def validate_contributions(self, field):
        if self.scope.data == "selected" and not field.data:
            raise ValidationError(_l("Please tick at least one contribution, or choose all "
                                     "the contributions matching the filters."))

    def validate_replacement(self, field):
        if self.action.data != "replace":
            return
        if not field.data:
            raise ValidationError(_l("Please choose the theme that replaces it."))
        if field.data == self.theme.data:
            raise ValidationError(_l("Please choose two different themes."))


class ApplySuggestionForm(FlaskForm):
    """Apply a suggested phrase: the server finds its contributions again."""

    key = HiddenField()
    expected = HiddenField()
    theme = ChoiceField(_l("Theme to give them"), coerce=optional_int,
                        validators=[Optional()], invalid_message=_l(
                            "Please choose a theme from the list."))
