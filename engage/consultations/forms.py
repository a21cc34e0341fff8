"""Forms of the consultations area: validation only.

Forms with one set of fields per configured language are built by a function
(`consultation_form_class(languages)`), so that adding a language needs no code.
The questionnaire is read by `questionnaire.py`: its fields depend on the questions.
"""

from functools import cache

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from engage.consultations.models import Audience, ModerationPolicy, QuestionKind
from engage.consultations.models.contribution import CONTRIBUTION_MAX_LENGTH, REPLY_MAX_LENGTH
from engage.consultations.models.questionnaire import MAX_OPTIONS
from engage.core import page_cache
from engage.core.content import VisibleTextRequired, has_visible_text
from engage.core.i18n import language_label
from engage.core.moderated import ReportReason
from engage.core.text_length import TextLength

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 20000
REPORT_DETAILS_MAX = 1000


def new_submission_key() -> str:
    return page_cache.one_time_value()  # a kept page gets a fresh one on each answer


# Field labels naming a language, written out so that they are extracted for translation.
LANGUAGE_LABELS = {
    "name": lambda language: gettext("Name (%(language)s)", language=language),
    "title": lambda language: gettext("Title (%(language)s)", language=language),
    "summary": lambda language: gettext("Summary (%(language)s)", language=language),
    "body": lambda language: gettext("Text of the consultation (%(language)s)",
                                     language=language),
    "question": lambda language: gettext("Question (%(language)s)", language=language),
    "help_text": lambda language: gettext("Help text (%(language)s)", language=language),
    "options": lambda language: gettext("Options (%(language)s)", language=language),
    "meaning_of_1": lambda language: gettext("Meaning of 1 (%(language)s)", language=language),
    "meaning_of_5": lambda language: gettext("Meaning of 5 (%(language)s)", language=language),
}


def _in_language(render, code: str) -> LazyString:
    """A lazy label naming a language in the reader's language: "Title (French)".

    `render` is a `lambda language: gettext("... %(language)s ...", language=language)`,
    written out so that the message is extracted for translation.
    """
    return LazyString(lambda: render(language_label(code)))


class SubmissionKeyMixin:
    """A random key that a replayed form sends again: the service then creates nothing new."""

    submission_key = HiddenField()

    def fill_submission_key(self):
        if not self.submission_key.data:
            self.submission_key.data = new_submission_key()

    def validate_submission_key(self, field):
        if field.data and (len(field.data) > 64 or not field.data.isalnum()):
            raise ValidationError(_l("The form is not valid. Please reload the page."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


def _length(maximum: int):
    return TextLength(maximum)


# Themes


class ThemeFormBase(FlaskForm):
    languages: tuple[str, ...] = ()

    def labels(self) -> dict[str, str]:
        return {code: self[f"label_{code}"].data or "" for code in self.languages}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and not any(value.strip() for value in self.labels().values()):
            self[f"label_{self.languages[0]}"].errors.append(
                _l("Please give the theme a name in at least one language."))
            return False
        return valid


@cache
def theme_form_class(languages: tuple[str, ...]):
    fields = {"languages": languages}
    for code in languages:
        fields[f"label_{code}"] = StringField(
            _in_language(LANGUAGE_LABELS["name"], code), validators=[Optional(), _length(80)]
        )
    return type("ThemeForm", (ThemeFormBase,), fields)


# Consultations


class ConsultationFormBase(SubmissionKeyMixin, FlaskForm):
    languages: tuple[str, ...] = ()

    themes = MultiCheckboxField(_l("Themes"), coerce=int, choices=[], validate_choice=True)
    opens_on = DateField(_l("Opening date"), validators=[Optional()],
                         description=_l("Set to today when the consultation is opened, if later."))
    closes_on = DateField(
        _l("Closing date"), validators=[Optional()],
        description=_l("The last day on which people can answer and contribute. Needed to open."),
    )
    audience = RadioField(_l("Who can take part"), choices=[], default=Audience.EVERYONE)
    moderation_policy = RadioField(_l("Moderation"), choices=[], default=ModerationPolicy.POST)
    announced = BooleanField(
        _l("Announce it before it opens"),
        description=_l("The draft is shown as upcoming, so that people can follow it and be "
                       "told when it opens."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are set here: WTForms 3.3 warns about tuples given to the field class.
        self.audience.choices = Audience.choices()
        self.moderation_policy.choices = ModerationPolicy.choices()

    def text_fields(self, code: str):
        return (self[f"title_{code}"], self[f"summary_{code}"], self[f"body_{code}"])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        used = []
        for code in self.languages:
            title, summary, body = self.text_fields(code)
            filled = any((f.data or "").strip() for f in (title, summary, body))
            if filled:
                used.append(code)
                if not (title.data or "").strip():
                    title.errors.append(_l("Please give a title in this language, or leave "
                                           "the three fields empty."))
                    valid = False
        if not used:
            self[f"title_{self.languages[0]}"].errors.append(
                _l("Please write the consultation in at least one language."))
            valid = False
        if self.opens_on.data and self.closes_on.data and self.closes_on.data < self.opens_on.data:
            self.closes_on.errors.append(_l("The closing date must come after the opening date."))
            valid = False
        return valid


@cache
def consultation_form_class(languages: tuple[str, ...]):
    fields = {"languages": languages}
    for code in languages:
        fields[f"title_{code}"] = StringField(
            _in_language(LANGUAGE_LABELS["title"], code),
            validators=[Optional(), _length(TITLE_MAX)],
        )
        fields[f"summary_{code}"] = TextAreaField(
            _in_language(LANGUAGE_LABELS["summary"], code),
            validators=[Optional(), _length(SUMMARY_MAX)],
            description=_l("Two or three sentences shown in the lists."),
        )
        fields[f"body_{code}"] = TextAreaField(
            _in_language(LANGUAGE_LABELS["body"], code),
            validators=[Optional(), _length(BODY_MAX)],
            description=_l("Markdown: **bold**, *italics*, lists, links, ## headings."),
        )
    return type("ConsultationForm", (ConsultationFormBase,), fields)


class StatusForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])


# Questions


class QuestionFormBase(SubmissionKeyMixin, FlaskForm):
    languages: tuple[str, ...] = ()

    kind = RadioField(_l("Type of question"), choices=[], default=QuestionKind.SINGLE_CHOICE)
    required = BooleanField(_l("An answer is required"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = QuestionKind.choices()

    def option_lines(self, code: str) -> list[str]:
        return [line.strip() for line in (self[f"options_{code}"].data or "").splitlines()
                if line.strip()]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not valid:
            return False
        used = [code for code in self.languages if (self[f"text_{code}"].data or "").strip()]
        if not used:
            self[f"text_{self.languages[0]}"].errors.append(
                _l("Please write the question in at least one language."))
            return False
        if QuestionKind(self.kind.data).has_options:
            counts = {code: len(self.option_lines(code)) for code in used}
            for code, count in counts.items():
                field = self[f"options_{code}"]
                if count < 2:
                    field.errors.append(_l("Give at least two options, one per line."))
                    valid = False
                elif count > MAX_OPTIONS:
                    field.errors.append(_l("Give at most %(max)d options.", max=MAX_OPTIONS))
                    valid = False
            if valid and len(set(counts.values())) > 1:
                for code in used[1:]:
                    self[f"options_{code}"].errors.append(
                        _l("Give the same number of options in every language."))
                valid = False
        return valid


@cache
def question_form_class(languages: tuple[str, ...]):
    fields = {"languages": languages}
    for code in languages:
        fields[f"text_{code}"] = StringField(
            _in_language(LANGUAGE_LABELS["question"], code), validators=[Optional(), _length(500)]
        )
        fields[f"hint_{code}"] = StringField(
            _in_language(LANGUAGE_LABELS["help_text"], code), validators=[Optional(), _length(500)]
        )
        fields[f"options_{code}"] = TextAreaField(
            _in_language(LANGUAGE_LABELS["options"], code),
            validators=[Optional(), _length(MAX_OPTIONS * 210)],
            description=_l("Choices and rankings: one option per line, in the same order in "
                           "every language."),
        )
        fields[f"scale_min_{code}"] = StringField(
            _in_language(LANGUAGE_LABELS["meaning_of_1"], code),
            validators=[Optional(), _length(80)],
            description=_l("Scales only, for example “Not at all important”."),
        )
        fields[f"scale_max_{code}"] = StringField(
            _in_language(LANGUAGE_LABELS["meaning_of_5"], code),
            validators=[Optional(), _length(80)],
            description=_l("Scales only, for example “Very important”."),
        )
    return type("QuestionForm", (QuestionFormBase,), fields)


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])


# Documents


class DocumentForm(SubmissionKeyMixin, FlaskForm):
    title = StringField(
        _l("Title of the document"),
        validators=[DataRequired(message=_l("Please give the document a title.")),
                    _length(200)],
    )
    language = SelectField(_l("Language of the document"), choices=[], default="",
                           validate_choice=True)
    file = FileField(_l("PDF file"), description=_l("PDF only, at most 10 MB."))


# Taking part


class PostAsField(SelectField):
    """Yourself, or an association you may still speak for here (the route offers only
    those): a form sent from an older page may name one that spoke in the meantime."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(gettext(
                "You can no longer post on behalf of this association here: it has already "
                "given its position, or you no longer represent it.")) from error


class ContributionForm(SubmissionKeyMixin, FlaskForm):
    body = TextAreaField(
        _l("Your contribution"),
        validators=[VisibleTextRequired(message=_l("Please write your contribution.")),
                    _length(CONTRIBUTION_MAX_LENGTH)],
        description=_l("At most 5,000 characters. You can use **bold**, *italics*, lists and "
                       "links. Please do not give details about your own health or anyone "
                       "else’s that could identify a person."),
    )
    theme = SelectField(_l("Theme"), choices=[], default="", validate_choice=True)
    post_as = PostAsField(
        _l("Post as"), choices=[], default="", validate_choice=True,
        description=_l("An association position is listed separately, under the name of the "
                       "association."),
    )


class ReplyForm(SubmissionKeyMixin, FlaskForm):
    body = TextAreaField(
        _l("Your reply"),
        validators=[VisibleTextRequired(message=_l("Please write your reply.")),
                    _length(REPLY_MAX_LENGTH)],
        description=_l("At most 2,000 characters."),
    )


class EditContributionForm(FlaskForm):
    body = TextAreaField(
        _l("Your text"),
        validators=[VisibleTextRequired(message=_l("Please write your contribution.")),
                    _length(CONTRIBUTION_MAX_LENGTH)],
        description=_l("The previous version is kept for the moderators."),
    )
    theme = SelectField(_l("Theme"), choices=[], default="", validate_choice=True)


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Why are you reporting this contribution?"), choices=[],
        validators=[DataRequired(message=_l("Please choose a reason from the list."))],
        validate_choice=True,
    )
    details = TextAreaField(
        _l("Explanation"),
        validators=[Optional(), _length(REPORT_DETAILS_MAX)],
        description=_l("Required for “Other reason”. Only the moderators read it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = ReportReason.choices()

    def validate_details(self, field):
        if self.reason.data == ReportReason.OTHER and not has_visible_text(field.data):
            raise ValidationError(_l("Please say why you are reporting this."))
