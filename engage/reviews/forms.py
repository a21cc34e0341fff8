"""Lay review forms: validation only."""

from functools import cache

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from engage.core.i18n import language_name, languages
from engage.core.language_forms import in_language, with_language_fields
from engage.core.text_length import TextLength
from engage.reviews.models import SCORES, ConflictLink, Decision

SCORE_LABELS = {
    1: _l("1 – very weak"),
    2: _l("2 – weak"),
    3: _l("3 – fair"),
    4: _l("4 – good"),
    5: _l("5 – excellent"),
}
SCORE_MESSAGE = _l("Please choose a score from 1 to 5.")


def _language_choices():
    return [(code, language_name(code)) for code in current_app.config["LANGUAGES"]]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CallFormBase(FlaskForm):
    languages: tuple[str, ...] = ()

    review_opens_on = DateField(
        _l("Review opens on"),
        validators=[InputRequired(message=_l("Please enter a date, such as 2026-03-01."))],
    )
    review_deadline = DateField(
        _l("Review deadline"),
        validators=[InputRequired(message=_l("Please enter a date, such as 2026-03-31."))],
        description=_l("Reviews can be submitted until the end of this day."),
    )
    reviews_per_application = IntegerField(
        _l("Lay reviews per application"), default=3,
        validators=[InputRequired(message=_l("Please enter a number from 1 to 10.")),
                    NumberRange(min=1, max=10, message=_l("Please enter a number from 1 to 10."))],
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not any((self[f"title_{code}"].data or "").strip() for code in self.languages):
            first = self[f"title_{self.languages[0]}"]
            first.errors = [*first.errors, _l("Please give a title in at least one language.")]
            valid = False
        return valid

    def validate_review_deadline(self, field):
        if field.data and self.review_opens_on.data and field.data < self.review_opens_on.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("The deadline must come after the opening date."))

    def texts(self) -> dict[str, tuple[str, str]]:
        return {code: (self[f"title_{code}"].data, self[f"description_{code}"].data)
                for code in self.languages}


@cache
def call_form_class(languages: tuple[str, ...]) -> type[CallFormBase]:
    return with_language_fields(CallFormBase, languages, {
        "title": lambda code, first: StringField(
            in_language(lambda language: gettext("Title in %(language)s", language=language),
                        code),
            validators=[TextLength(200)]),
        "description": lambda code, first: TextAreaField(
            in_language(lambda language: gettext("Description in %(language)s",
                                                 language=language), code),
            validators=[TextLength(20000)],
            description=_l("What the call funds, for whom, and what lay reviewers are asked. "
                           "Markdown is allowed.") if first else ""),
    }, before="review_opens_on")


def call_form(**kwargs) -> CallFormBase:
    """The call form for the configured languages."""
    return call_form_class(tuple(languages()))(**kwargs)


class CriterionFormBase(FlaskForm):
    languages: tuple[str, ...] = ()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not any((self[f"label_{code}"].data or "").strip() for code in self.languages):
            first = self[f"label_{self.languages[0]}"]
            first.errors = [*first.errors,
                            _l("Please name the criterion in at least one language.")]
            valid = False
        return valid

    def texts(self) -> dict[str, tuple[str, str]]:
        return {code: (self[f"label_{code}"].data, self[f"guidance_{code}"].data)
                for code in self.languages}


@cache
def criterion_form_class(languages: tuple[str, ...]) -> type[CriterionFormBase]:
    return with_language_fields(CriterionFormBase, languages, {
        "label": lambda code, first: StringField(
            in_language(lambda language: gettext("Criterion in %(language)s",
                                                 language=language), code),
            validators=[TextLength(200)]),
        "guidance": lambda code, first: TextAreaField(
            in_language(lambda language: gettext("Guidance in %(language)s",
                                                 language=language), code),
            validators=[TextLength(2000)],
            description=_l("A question that helps the reviewer score.") if first else ""),
    })


def criterion_form(**kwargs) -> CriterionFormBase:
    """The criterion form for the configured languages."""
    return criterion_form_class(tuple(languages()))(**kwargs)


class ApplicationForm(FlaskForm):
    acronym = StringField(
        _l("Acronym"),
        validators=[DataRequired(message=_l("Please enter the project’s acronym.")),
                    TextLength(30)],
    )
    title = StringField(
        _l("Project title"),
        validators=[DataRequired(message=_l("Please enter the project’s title.")),
                    TextLength(300)],
    )
    lay_summary = TextAreaField(
        _l("Lay summary"),
        validators=[DataRequired(message=_l("Please paste the lay summary.")),
                    TextLength(20000)],
        description=_l("The summary written by the applicants for patients and the public. "
                       "Markdown is allowed."),
    )
    summary_language = SelectField(_l("Language of the lay summary"), choices=[])
    team = TextAreaField(_l("Team"), validators=[TextLength(5000)],
                         description=_l("The applicants and their roles."))
    institutions = TextAreaField(
        _l("Institutions"), validators=[TextLength(5000)],
        description=_l("One per line. Reviewers from these institutions are not proposed."),
    )
    keywords = StringField(_l("Keywords"), validators=[TextLength(2000)],
                           description=_l("Separated by commas, for example: breast cancer, "
                                          "quality of life."))
    pdf = FileField(_l("Full project (PDF)"),
                    description=_l("Optional. A PDF file of at most 10 MB."))
    remove_pdf = BooleanField(_l("Remove the current PDF"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.summary_language.choices = _language_choices()

    def values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in (
            "acronym", "title", "lay_summary", "summary_language", "team", "institutions",
            "keywords")}


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"))


class ReviewerProfileForm(FlaskForm):
    themes = TextAreaField(
        _l("Themes that interest me"), validators=[TextLength(2000)],
        description=_l("Separated by commas, for example: breast cancer, children, "
                       "return to work, palliative care."),
    )
    institutions = TextAreaField(
        _l("Institutions I work or have worked in during the last 12 months"),
        validators=[TextLength(2000)],
        description=_l("One per line, for example a hospital or a research centre. We do not "
                       "propose applications from these institutions to you."),
    )


class AssignForm(FlaskForm):
    reviewer_id = SelectField(
        _l("Lay reviewer"), coerce=int, choices=[],
        validators=[DataRequired(message=_l("Please choose a reviewer."))],
    )


class ConfirmForm(FlaskForm):
    """A button that needs only the CSRF token."""


class DeclarationForm(FlaskForm):
    links = MultiCheckboxField(
        _l("Links of interest with the applicants or the project"), choices=[],
        validators=[Optional()],
    )
    details = TextAreaField(_l("Details"), validators=[TextLength(2000)],
                            description=_l("Needed if you ticked “another link”."))
    no_conflict = BooleanField(_l("I declare that I have none of these links with the "
                                  "applicants or the project."))
    confidentiality = BooleanField(
        _l("I will keep this application confidential: I will not share it, copy it or use "
           "its content for anything but this review, and I will delete any copy once the "
           "review is over."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.links.choices = ConflictLink.choices()

    def validate_links(self, field):
        from wtforms.validators import ValidationError

        if field.data and self.no_conflict.data:
            raise ValidationError(_l("Either tick the links you have, or declare that you "
                                     "have none."))
        if not field.data and not self.no_conflict.data:
            raise ValidationError(_l("Please tick the links you have, or declare that you "
                                     "have none."))

    def validate_details(self, field):
        from wtforms.validators import ValidationError

        if ConflictLink.OTHER in (self.links.data or []) and not (field.data or "").strip():
            raise ValidationError(_l("Please describe the other link."))

    def validate_confidentiality(self, field):
        from wtforms.validators import ValidationError

        if self.no_conflict.data and not self.links.data and not field.data:
            raise ValidationError(_l("Please accept the confidentiality agreement to read the "
                                     "application."))


def _score_field(label, description=""):
    return RadioField(
        label, description=description, choices=[], coerce=int, validators=[Optional()],
        invalid_choice_message=SCORE_MESSAGE, invalid_value_message=SCORE_MESSAGE,
    )


def _comment_field(label, description=""):
    return TextAreaField(label, description=description, validators=[TextLength(5000)])


class ReviewFormBase(FlaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, RadioField):
                field.choices = [(s, SCORE_LABELS[s]) for s in SCORES]

    overall_score = _score_field(_l("Overall opinion"))
    overall_applicant = _comment_field(
        _l("Overall comment for the applicants"),
        _l("Shared with the applicants, without your name."))
    overall_committee = _comment_field(
        _l("Overall comment for the committee only"),
        _l("Optional. Read by the scientific committee, never by the applicants."))


def review_form_class(criteria, language: str):
    """A review form with a score and two comments for each criterion of the rubric."""

    class ReviewForm(ReviewFormBase):
        pass

    for criterion in criteria:
        shown = criterion.translated(language)
        label = shown.label if shown else ""
        # gettext, not _l: a lazy string's parameters would not be escaped in the page.
        setattr(ReviewForm, f"score_{criterion.id}",
                _score_field(gettext("Score for “%(criterion)s”", criterion=label),
                             shown.guidance if shown else ""))
        setattr(ReviewForm, f"applicant_{criterion.id}", _comment_field(
            gettext("Comment for the applicants on “%(criterion)s”", criterion=label),
            _l("Shared with the applicants, without your name.")))
        setattr(ReviewForm, f"committee_{criterion.id}", _comment_field(
            gettext("Comment for the committee only on “%(criterion)s”", criterion=label),
            _l("Optional. Read by the scientific committee, never by the applicants.")))
    return ReviewForm


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"), choices=[],
        validators=[DataRequired(message=_l("Please choose a decision."))],
    )
    decision_note = TextAreaField(
        _l("Note on the decision"), validators=[TextLength(2000)],
        description=_l("Optional. Shown to the lay reviewers of this application."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [("", _l("Choose…")), *Decision.choices()]
