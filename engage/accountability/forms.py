"""Forms of the officers' pages (routes/manage.py): validation only. Texts exist once per
configured language (engage.core.language_forms), so that adding a language needs no code.

The forms check the rules the models enforce (a title, a reason for "not retained", a date
for "done", dates in order, links and PDF files) so that a refusal names its field; the
services check them again.
"""

from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Optional

from engage.accountability.models import (
    CommitmentStatus,
    ProjectUpdateKind,
)
from engage.core import uploads
from engage.core.language_forms import in_language, with_language_fields
from engage.core.text_length import TextLength

TITLE_MAX = 300
TEXT_MAX = 5000
REASON_MAX = 2000
OWNER_MAX = 200
INSTITUTION_MAX = 300
LAY_SUMMARY_MAX = 20000
LINKS = 5  # link rows of an update form (the model takes up to 10)
DOCUMENTS = 3  # document rows of an update form (the services take up to 5)
LINK_URL_MAX = 500
LINK_LABEL_MAX = 200
DOCUMENT_TITLE_MAX = 200

DATE_FORMAT_MESSAGE = _l("Please give a date as year-month-day, for example 2025-03-31.")
NOT_RETAINED_REASON = _l("Please say why this commitment is not retained.")
LINK_ADDRESS = _l("A link must be a web address starting with https://.")


def _date(label, description="", required_message=None) -> DateField:
    validators = [InputRequired(message=required_message)] if required_message \
        else [Optional()]
    return DateField(label, validators=validators, description=description,
                     invalid_value_message=DATE_FORMAT_MESSAGE)


def _text(form, name: str) -> str:
    return (form[name].data or "").replace("\r\n", "\n").strip()


def _add_error(field, message) -> None:
    field.errors = [*field.errors, message]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _status_choices() -> list[SelectChoice]:
    return [SelectChoice(status.value, status.label) for status in CommitmentStatus]


def _reason_field(code: str, first: bool) -> TextAreaField:
    return TextAreaField(
        in_language(lambda language: gettext("Why it is not retained, in %(language)s",
                                             language=language), code),
        validators=[TextLength(REASON_MAX)],
        description=_l("Required for the status “Not retained”, in one language at least.")
        if first else "")


class _Named:
    """The mixins read the form's fields by name, as the form does."""

    if TYPE_CHECKING:
        def __getitem__(self, name: str) -> Any: ...


class ReasonsMixin(_Named):
    """The reason a commitment is not retained, per language, required for that status."""

    languages: tuple[str, ...] = ()

    def reasons(self) -> dict[str, str]:
        return {code: _text(self, f"reason_{code}") for code in self.languages}

    def check_reason(self, status: str | None) -> bool:
        if status == CommitmentStatus.NOT_RETAINED and not any(self.reasons().values()):
            _add_error(self[f"reason_{self.languages[0]}"], NOT_RETAINED_REASON)
            return False
        return True


# Commitments of a draft response


class CommitmentFormBase(ReasonsMixin, FlaskForm):
    owner = StringField(
        _l("Who carries it"), validators=[TextLength(OWNER_MAX)],
        description=_l("A team or an institution of the network, as people will know it."))
    status = RadioField(_l("Status"), choices=_status_choices,
                        default=CommitmentStatus.PLANNED.value,
                        invalid_choice_message=_l("Please choose a status from the list."))
    starts_on = _date(_l("Start date"))
    due_on = _date(_l("Due date"))
    done_on = _date(_l("Date it was done"),
                    description=_l("Required for the status “Done”."))
    question_ids = MultiCheckboxField(
        _l("Research priorities it answers"), choices=[], coerce=int,
        invalid_value_message=_l("Please choose research priorities from the list."),
        invalid_choice_message=_l("Please choose research priorities from the list."))

    def texts(self) -> dict[str, tuple[str, str]]:
        return {code: (" ".join((self[f"title_{code}"].data or "").split()),
                       _text(self, f"text_{code}")) for code in self.languages}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        texts = self.texts()
        if not any(title for title, _text in texts.values()):
            _add_error(self[f"title_{self.languages[0]}"],
                       _l("Please give the commitment a title."))
            valid = False
        for code, (title, text) in texts.items():
            if text and not title:
                _add_error(self[f"title_{code}"],
                           _l("Please give a title in each language you write in."))
                valid = False
        valid = self.check_reason(self.status.data) and valid
        starts_on, due_on, done_on = self.starts_on.data, self.due_on.data, self.done_on.data
        if self.status.data == CommitmentStatus.DONE and done_on is None \
                and not self.done_on.errors:
            _add_error(self.done_on, _l("Please give the date on which it was done."))
            valid = False
        if starts_on and due_on and due_on < starts_on:
            _add_error(self.due_on, _l("The due date cannot come before the start date."))
            valid = False
        if self.status.data == CommitmentStatus.DONE and starts_on and done_on \
                and done_on < starts_on:
            _add_error(self.done_on, _l("It cannot have been done before it started."))
            valid = False
        return valid


@cache
def commitment_form_class(languages: tuple[str, ...]) -> type[CommitmentFormBase]:
    with_texts = with_language_fields(CommitmentFormBase, languages, {
        "title": lambda code, first: StringField(
            in_language(lambda language: gettext("Title in %(language)s", language=language),
                        code), validators=[TextLength(TITLE_MAX)]),
        "text": lambda code, first: TextAreaField(
            in_language(lambda language: gettext("Text in %(language)s", language=language),
                        code), validators=[TextLength(TEXT_MAX)],
            description=_l("What the network will do. Cite the contributions it answers by "
                           "their number in brackets, e.g. [#123]. Markdown is allowed.")
            if first else ""),
    }, before="owner")
    return with_language_fields(with_texts, languages, {"reason": _reason_field},
                                before="starts_on")


# Updates (of a commitment or a project): text, date, links and PDF documents


class AttachmentsMixin(_Named):
    """The link and document rows of an update form (`link_url_1`, `document_file_1`...)."""

    def links(self) -> list[tuple[str, str]]:
        return [((self[f"link_url_{n}"].data or "").strip(),
                 " ".join((self[f"link_label_{n}"].data or "").split()))
                for n in range(1, LINKS + 1)]

    def documents(self) -> list[tuple[str, object]]:
        return [(" ".join((self[f"document_title_{n}"].data or "").split()),
                 self[f"document_file_{n}"].data) for n in range(1, DOCUMENTS + 1)
                if _chosen(self[f"document_file_{n}"].data)]

    @property
    def has_attachments(self) -> bool:
        """Something was written in a link or document row (its part of the form opens)."""
        return any(url or label for url, label in self.links()) or any(
            self[f"document_title_{n}"].data or self[f"document_file_{n}"].errors
            or _chosen(self[f"document_file_{n}"].data) for n in range(1, DOCUMENTS + 1)) \
            or any(self[f"link_url_{n}"].errors or self[f"link_label_{n}"].errors
                   for n in range(1, LINKS + 1))

    @property
    def files_were_chosen(self) -> bool:
        return any(_chosen(self[f"document_file_{n}"].data) for n in range(1, DOCUMENTS + 1))

    def check_attachments(self) -> bool:
        valid = True
        for number in range(1, LINKS + 1):
            url_field = self[f"link_url_{number}"]
            url = (url_field.data or "").strip()
            label = (self[f"link_label_{number}"].data or "").strip()
            if url and (not url.startswith(("https://", "http://"))
                        or any(c.isspace() for c in url) or url in ("https://", "http://")):
                _add_error(url_field, LINK_ADDRESS)
                valid = False
            elif label and not url:
                _add_error(url_field, _l("Please give the link’s web address, or clear its "
                                         "label."))
                valid = False
        for number in range(1, DOCUMENTS + 1):
            file_field = self[f"document_file_{number}"]
            upload = file_field.data
            if not _chosen(upload):
                if (self[f"document_title_{number}"].data or "").strip():
                    _add_error(file_field, _l("Please choose the PDF file, or clear its title."))
                    valid = False
                continue
            try:
                uploads.DOCUMENTS.read(upload.stream)
            except uploads.UploadError as error:
                _add_error(file_field, error.message)
                valid = False
            finally:
                upload.stream.seek(0)
        return valid


def _chosen(upload) -> bool:
    return upload is not None and bool(getattr(upload, "filename", None))


def _attachment_fields() -> dict:
    fields: dict = {}
    for number in range(1, LINKS + 1):
        fields[f"link_url_{number}"] = StringField(
            LazyString(lambda n=number: gettext("Web address of link %(number)s", number=n)),
            validators=[TextLength(LINK_URL_MAX)],
            description=_l("Starting with https://") if number == 1 else "")
        fields[f"link_label_{number}"] = StringField(
            LazyString(lambda n=number: gettext("Label of link %(number)s", number=n)),
            validators=[TextLength(LINK_LABEL_MAX)])
    for number in range(1, DOCUMENTS + 1):
        fields[f"document_title_{number}"] = StringField(
            LazyString(lambda n=number: gettext("Title of document %(number)s", number=n)),
            validators=[TextLength(DOCUMENT_TITLE_MAX)])
        fields[f"document_file_{number}"] = FileField(
            LazyString(lambda n=number: gettext("PDF file of document %(number)s", number=n)),
            description=_l("PDF only, at most 10 MB.") if number == 1 else "")
    return fields


def _update_text_field(code: str, first: bool) -> TextAreaField:
    return TextAreaField(
        in_language(lambda language: gettext("What happened, in %(language)s",
                                             language=language), code),
        validators=[TextLength(TEXT_MAX)],
        description=_l("In one language at least. Markdown is allowed.") if first else "")


class UpdateTextsMixin(_Named):
    languages: tuple[str, ...] = ()

    def texts(self) -> dict[str, str]:
        return {code: _text(self, f"text_{code}") for code in self.languages}

    def check_texts(self) -> bool:
        if any(self.texts().values()):
            return True
        _add_error(self[f"text_{self.languages[0]}"],
                   _l("Please write what happened, in one language at least."))
        return False


def _new_status_choices() -> list[SelectChoice]:
    return [SelectChoice("", gettext("No change")), *_status_choices()]


class CommitmentUpdateFormBase(UpdateTextsMixin, ReasonsMixin, AttachmentsMixin, FlaskForm):
    """An update of a published commitment, or a correction (the same fields)."""

    happened_on = _date(_l("Date"), required_message=_l("Please give the date of the update."))
    status = SelectField(_l("New status"), choices=_new_status_choices,
                         invalid_choice_message=_l("Please choose a status from the list."),
                         description=_l("Leave “No change” unless the status changes."))
    due_on = _date(_l("New due date"), description=_l("Only if the due date changes."))
    starts_on: date | None = None  # the commitment's, set by the route (dates in order)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self.check_texts() and valid
        valid = self.check_reason(self.status.data or None) and valid
        if self.starts_on and self.due_on.data and self.due_on.data < self.starts_on:
            _add_error(self.due_on, _l("The due date cannot come before the start date."))
            valid = False
        if self.status.data == CommitmentStatus.DONE and self.starts_on \
                and self.happened_on.data and self.happened_on.data < self.starts_on:
            _add_error(self.happened_on, _l("It cannot have been done before it started."))
            valid = False
        return self.check_attachments() and valid

    def new_status(self) -> str | None:
        return self.status.data or None


@cache
def commitment_update_form_class(languages: tuple[str, ...]) -> type:
    with_texts = with_language_fields(CommitmentUpdateFormBase, languages,
                                      {"text": _update_text_field}, before="happened_on")
    with_reasons = with_language_fields(with_texts, languages, {"reason": _reason_field},
                                        before="due_on")
    return type("CommitmentUpdateForm", (with_reasons,), _attachment_fields())


def _project_kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, kind.label) for kind in ProjectUpdateKind]


class ProjectUpdateFormBase(UpdateTextsMixin, AttachmentsMixin, FlaskForm):
    kind = SelectField(_l("What it is about"), choices=_project_kind_choices,
                       default=ProjectUpdateKind.PROGRESS.value,
                       invalid_choice_message=_l("Please choose what the update is about."))
    happened_on = _date(_l("Date"), required_message=_l("Please give the date of the update."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self.check_texts() and valid
        return self.check_attachments() and valid


@cache
def project_update_form_class(languages: tuple[str, ...]) -> type:
    with_texts = with_language_fields(ProjectUpdateFormBase, languages,
                                      {"text": _update_text_field}, before="happened_on")
    return type("ProjectUpdateForm", (with_texts,), _attachment_fields())


# Funded projects


class ProjectFormBase(FlaskForm):
    languages: tuple[str, ...] = ()

    institution = StringField(
        _l("Institution"), validators=[TextLength(INSTITUTION_MAX)],
        description=_l("The team’s institution, as the public may know it."))

    def texts(self) -> dict[str, tuple[str, str]]:
        return {code: (" ".join((self[f"title_{code}"].data or "").split()),
                       _text(self, f"lay_summary_{code}")) for code in self.languages}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        texts = self.texts()
        if not any(title for title, _summary in texts.values()):
            _add_error(self[f"title_{self.languages[0]}"], _l("Please give the project a title."))
            valid = False
        for code, (title, summary) in texts.items():
            if summary and not title:
                _add_error(self[f"title_{code}"],
                           _l("Please give a title in each language you write in."))
                valid = False
        return valid


@cache
def project_form_class(languages: tuple[str, ...]) -> type[ProjectFormBase]:
    return with_language_fields(ProjectFormBase, languages, {
        "title": lambda code, first: StringField(
            in_language(lambda language: gettext("Public title in %(language)s",
                                                 language=language), code),
            validators=[TextLength(TITLE_MAX)]),
        "lay_summary": lambda code, first: TextAreaField(
            in_language(lambda language: gettext("Lay summary in %(language)s",
                                                 language=language), code),
            validators=[TextLength(LAY_SUMMARY_MAX)],
            description=_l("What the project does, in words everyone can follow. Nothing of "
                           "the lay reviews is published.") if first else ""),
    }, before="institution")


# What a call answers


_LINK_MESSAGES = {
    "question_id": _l("Please choose a research priority from the list."),
    "commitment_id": _l("Please choose a commitment from the list."),
}


class CallLinkForm(FlaskForm):
    """A priority or a commitment the call answers: the page offers one form for each list
    (the route sets the `choices`)."""

    question_id = SelectField(_l("Research priority"), choices=[], validate_choice=False)
    commitment_id = SelectField(_l("Commitment"), choices=[], validate_choice=False)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        sent = [name for name in ("question_id", "commitment_id") if self[name].raw_data]
        for name in sent or ["question_id"]:
            field = self[name]
            offered = {choice.value for choice in field.choices if choice.value}
            if (field.data or "") not in offered:
                _add_error(field, _LINK_MESSAGES[name])
                valid = False
        if valid and len(sent) > 1:
            _add_error(self.question_id, _l("Please choose one priority or one commitment."))
            valid = False
        return valid

    def chosen(self) -> tuple[str, int]:
        """("question" | "commitment", id) of a valid form."""
        if self.question_id.data:
            return "question", int(self.question_id.data)
        return "commitment", int(self.commitment_id.data)
