"""Forms of the priorities area: validation only. Texts written in several languages have
a field `<name>_<code>` per configured language (the classes are built from LANGUAGES);
`texts(form, names)` gathers them per language."""

import itertools
from functools import cache

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from engage.core.content import VisibleTextRequired
from engage.core.i18n import languages
from engage.core.language_forms import in_language, with_language_fields
from engage.core.moderated import ReportReason
from engage.core.text_length import TextLength
from engage.priorities.models import (
    COMMENT_MAX_LENGTH,
    MAX_EVIDENCE,
    SUBMISSION_MAX_LENGTH,
    QuestionStatus,
)


def _id_or_none(value):
    """A choice's id, or None for a missing or malformed value (then: "please choose")."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(label, max_length, *, area=False, description=None):
    field = TextAreaField if area else StringField
    return field(label, validators=[Optional(), TextLength(max_length)],
                 description=description)


def texts(form, names) -> dict[str, dict[str, str]]:
    """{"fr": {"title": …}, "en": {…}} from the form's `<name>_<language>` fields."""
    return {lang: {name: form[f"{name}_{lang}"].data or "" for name in names}
            for lang in form.languages}


def fill(form, translations, names) -> None:
    """Put existing translation rows into the form's bilingual fields (GET only)."""
    for row in translations:
        if row.language in form.languages:
            for name in names:
                form[f"{name}_{row.language}"].data = getattr(row, name)


class ExerciseFormBase(FlaskForm):
    languages: tuple[str, ...] = ()

    gathering_ends_on = DateField(_l("Gathering planned to close on"), validators=[Optional()])
    ranking_ends_on = DateField(_l("Interim ranking planned to close on"),
                                validators=[Optional()])
    workshop_on = DateField(_l("Final workshop planned on"), validators=[Optional()])
    workshop_size = IntegerField(
        _l("Questions taken to the final workshop"), default=25,
        validators=[InputRequired(message=_l("Please give a number.")),
                    NumberRange(min=10, max=100, message=_l("Between 10 and 100."))],
        description=_l("The best-ranked questions of the interim ranking go to the final "
                       "workshop. Usually about 25."),
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not any((self[f"title_{lang}"].data or "").strip() for lang in self.languages):
            self[f"title_{self.languages[0]}"].errors.append(
                _l("Please give a title in at least one language."))
            valid = False
        for lang in self.languages:
            filled = any((self[f"{n}_{lang}"].data or "").strip() for n in ("description", "scope"))
            if filled and not (self[f"title_{lang}"].data or "").strip():
                self[f"title_{lang}"].errors.append(_l("Please give the title in this "
                                                       "language too."))
                valid = False
        dates = [self.gathering_ends_on, self.ranking_ends_on, self.workshop_on]
        for earlier, later in itertools.pairwise(dates):
            if earlier.data and later.data and later.data < earlier.data:
                later.errors.append(_l("This date comes before the previous stage's date."))
                valid = False
        return valid


@cache
def exercise_form_class(languages: tuple[str, ...]) -> type[ExerciseFormBase]:
    return with_language_fields(ExerciseFormBase, languages, {
        "title": lambda code, first: _text(in_language(
            lambda language: gettext("Title in %(language)s", language=language), code), 200),
        "description": lambda code, first: _text(
            in_language(lambda language: gettext("Description in %(language)s",
                                                  language=language), code),
            10000, area=True,
            description=_l("What the exercise is about and who can take part. You can use "
                           "Markdown: **bold**, lists, links.") if first else None),
        "scope": lambda code, first: _text(
            in_language(lambda language: gettext("Scope in %(language)s", language=language),
                        code),
            5000, area=True,
            description=_l("Which questions are in scope, and which are not.") if first
            else None),
    }, before="gathering_ends_on")


def exercise_form(**kwargs) -> ExerciseFormBase:
    """The exercise form for the configured languages."""
    return exercise_form_class(tuple(languages()))(**kwargs)


class GroupFormBase(FlaskForm):
    languages: tuple[str, ...] = ()

    def labels(self) -> dict[str, str]:
        return {code: self[f"label_{code}"].data or "" for code in self.languages}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not any(label.strip() for label in self.labels().values()):
            self[f"label_{self.languages[0]}"].errors.append(
                _l("Please give the group's name in at least one language."))
            valid = False
        return valid


@cache
def group_form_class(languages: tuple[str, ...]) -> type[GroupFormBase]:
    return with_language_fields(GroupFormBase, languages, {
        "label": lambda code, first: _text(in_language(
            lambda language: gettext("Group name in %(language)s", language=language), code),
            120),
    })


def stakeholder_group_form(**kwargs) -> GroupFormBase:
    """The form adding a stakeholder group, for the configured languages."""
    return group_form_class(tuple(languages()))(**kwargs)


class StageForm(FlaskForm):
    stage = HiddenField()


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""


class SubmissionForm(FlaskForm):
    group = RadioField(_l("I take part as"), coerce=_id_or_none, choices=[],
                       invalid_choice_message=_l("Please choose your group."))
    text = TextAreaField(
        _l("Your question"),
        validators=[VisibleTextRequired(message=_l("Please write your question.")),
                    TextLength(SUBMISSION_MAX_LENGTH)],
        description=_l("In your own words: what would you like research to find out? Please "
                       "give no detail that could identify you or someone else."),
    )


class QuestionFormBase(FlaskForm):
    languages: tuple[str, ...] = ()

    status = RadioField(_l("Status"), choices=[], default="kept",
                        invalid_choice_message=_l("Please choose a status from the list."))
    answered_reference = _text(
        _l("Research that already answers it"), 1000, area=True,
        description=_l("Required when the question is already answered: a reference or a "
                       "link."))
    evidence_1 = _text(_l("Evidence reference 1"), 500,
                       description=_l("Optional. A systematic review, a guideline or a "
                                      "trial register entry: a citation or a link."))
    evidence_2 = _text(_l("Evidence reference 2"), 500)
    evidence_3 = _text(_l("Evidence reference 3"), 500)
    submissions = SelectMultipleField(_l("Submissions grouped in this question"), coerce=int,
                                      choices=[], validate_choice=False)

    TEXT_FIELDS = ("text", "explanation", "population", "intervention", "comparison", "outcome",
                   "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = QuestionStatus.choices()

    @property
    def evidence(self) -> list[str]:
        fields = [self[f"evidence_{i}"] for i in range(1, MAX_EVIDENCE + 1)]
        return [f.data.strip() for f in fields if f.data and f.data.strip()]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not any((self[f"text_{lang}"].data or "").strip() for lang in self.languages):
            self[f"text_{self.languages[0]}"].errors.append(
                _l("Please write the question in at least one language."))
            valid = False
        for lang in self.languages:
            others = any((self[f"{n}_{lang}"].data or "").strip() for n in self.TEXT_FIELDS[1:])
            if others and not (self[f"text_{lang}"].data or "").strip():
                self[f"text_{lang}"].errors.append(_l("Please write the question itself in "
                                                      "this language too."))
                valid = False
        if self.status.data == QuestionStatus.OUT_OF_SCOPE and not any(
                (self[f"reason_{lang}"].data or "").strip() for lang in self.languages):
            self[f"reason_{self.languages[0]}"].errors.append(
                _l("Please say why this question is out of scope."))
            valid = False
        if self.status.data == QuestionStatus.ALREADY_ANSWERED and not (
                self.answered_reference.data or "").strip():
            self.answered_reference.errors.append(_l("Please give the reference of the "
                                                     "research that answers it."))
            valid = False
        return valid



def _question_text(render, max_length, *, area=False, description=None):
    """A maker of the question's text field `render` names, for `with_language_fields`."""
    return lambda code, first: _text(in_language(render, code), max_length, area=area,
                                     description=description if first else None)


@cache
def question_form_class(languages: tuple[str, ...]) -> type[QuestionFormBase]:
    # The reason comes after the status; the question's texts, before it.
    with_reason = with_language_fields(QuestionFormBase, languages, {
        "reason": _question_text(
            lambda language: gettext("Why it is set aside, in %(language)s",
                                     language=language),
            2000, area=True,
            description=_l("Required when the question is out of scope. Shown to everyone.")),
    }, before="answered_reference")
    return with_language_fields(with_reason, languages, {
        "text": _question_text(
            lambda language: gettext("Question in %(language)s", language=language), 500,
            area=True, description=_l("A question, in plain language.")),
        "explanation": _question_text(
            lambda language: gettext("Plain-language explanation in %(language)s",
                                     language=language),
            2000, area=True,
            description=_l("Optional. Why this question matters, in words everyone "
                           "understands.")),
        "population": _question_text(
            lambda language: gettext("Population in %(language)s", language=language), 300),
        "intervention": _question_text(
            lambda language: gettext("Intervention in %(language)s", language=language), 300),
        "comparison": _question_text(
            lambda language: gettext("Comparison in %(language)s", language=language), 300),
        "outcome": _question_text(
            lambda language: gettext("Outcome in %(language)s", language=language), 300),
    }, before="status")


def question_form(**kwargs) -> QuestionFormBase:
    """The indicative question form for the configured languages."""
    return question_form_class(tuple(languages()))(**kwargs)


class GroupSubmissionsForm(FlaskForm):
    """On the submissions list: group the ticked submissions into a question."""

    submissions = SelectMultipleField(_l("Submissions"), coerce=int, choices=[],
                                      validate_choice=False)
    question = SelectField(_l("Group the selected submissions into"), choices=[],
                           invalid_choice_message=_l("Please choose a question from the list."))

    def validate_submissions(self, field):
        if not field.data:
            raise ValidationError(_l("Please select at least one submission."))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[VisibleTextRequired(message=_l("Please write your comment.")),
                    TextLength(COMMENT_MAX_LENGTH)],
        description=_l("Be respectful. Please give no detail that could identify you or "
                       "someone else."),
    )


class ReportForm(FlaskForm):
    reason = RadioField(_l("Why are you reporting this?"), choices=[],
                        invalid_choice_message=_l("Please choose a reason from the list."))
    details = _text(_l("Details"), 1000, area=True,
                    description=_l("Optional, unless you chose “Other reason”."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = ReportReason.choices()


class ModerateForm(FlaskForm):
    decision = HiddenField()
    reason = SelectField(_l("Reason"), choices=[],
                         invalid_choice_message=_l("Please choose a reason from the list."))
    note = _text(_l("Note for the moderators"), 1000, area=True,
                 description=_l("Optional. Not shown to the public."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = ReportReason.choices()


class RankingForm(FlaskForm):
    """The group; the ranked questions and the buttons are read by `ranking.read_request`."""

    group = SelectField(_l("I rank as"), choices=[],
                        invalid_choice_message=_l("Please choose your group from the list."))

    def validate_group(self, field):
        if not field.data:
            raise ValidationError(_l("Please choose your group."))


class WorkshopForm(FlaskForm):
    """The places are read from `place-<question id>` selects by the view."""
