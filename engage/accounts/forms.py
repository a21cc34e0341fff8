"""Account forms: validation only."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    ValidationError,
)

from engage.accounts import passwords
from engage.accounts.models import (
    DECLINE_NEEDS_A_MESSAGE,
    Accreditation,
    Departement,
    ParticipantType,
    Role,
    accreditation_problems,
)
from engage.core.clock import local_today
from engage.core.i18n import language_name, page_language
from engage.core.text_length import TextLength

EMAIL_VALIDATORS = [
    DataRequired(message=_l("Please enter your email address.")),
    Email(message=_l("Please enter a valid email address, such as name@example.org."),
          check_deliverability=False),
    Length(max=254),
]


def _hard_to_guess(form, field) -> None:
    """Refuses the demo password, common ones and what zxcvbn finds easy to guess, knowing
    the person's address and names (`form.personal_words()`)."""
    if field.errors:  # too short or too long: already said
        return
    problem = passwords.problem(field.data, form.personal_words())
    if problem is not None:
        raise ValidationError(problem)


def _new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            Length(min=passwords.MIN_PASSWORD_LENGTH, message=passwords.TOO_SHORT),
            Length(max=passwords.MAX_PASSWORD_LENGTH, message=passwords.TOO_LONG),
            _hard_to_guess,
        ],
        description=_l("At least %(min)d characters. A phrase of several unrelated words is "
                       "easy to remember and hard to guess.",
                       min=passwords.MIN_PASSWORD_LENGTH),
    )


class NewPasswordMixin:
    """A form that sets the password of `account` (a User), whose address and names the
    new password must not be built on."""

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def personal_words(self) -> list[str]:
        if self.account is None:
            return []
        return passwords.personal_words(self.account.email, self.account.display_name,
                                        self.account.pseudonym)


def _confirm_password_field():
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Please repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


def _profile_choices(enum_cls):
    return [("", _l("I prefer not to say")), *enum_cls.choices()]


def _language_choices():
    return [(code, language_name(code)) for code in current_app.config["LANGUAGES"]]


class ProfileFieldsMixin:
    participant_type = SelectField(
        _l("I take part as"), choices=[], validators=[Optional()],
        description=_l("Optional. Helps us show who took part, in anonymous figures."),
    )
    departement = SelectField(
        _l("Département"), choices=[], validators=[Optional()],
        description=_l("Optional. Where you live."),
    )
    pseudonym = StringField(
        _l("Pseudonym"), validators=[Optional(), Length(max=80)],
        description=_l("Optional. A name to show instead of your display name."),
    )
    use_pseudonym = BooleanField(_l("Publish my contributions under my pseudonym"))
    lay_reviewer = BooleanField(_l("I volunteer to review funding applications as a lay reviewer"))

    def fill_profile_choices(self):
        self.participant_type.choices = _profile_choices(ParticipantType)
        self.departement.choices = _profile_choices(Departement)

    def validate_use_pseudonym(self, field):
        if field.data and not (self.pseudonym.data or "").strip():
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Please enter a pseudonym to publish under it."))


class RegistrationForm(ProfileFieldsMixin, FlaskForm):
    email = EmailField(_l("Email address"), validators=EMAIL_VALIDATORS)
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(message=_l("Please enter a name.")), Length(max=80)],
        description=_l("Shown next to what you write, unless you choose a pseudonym."),
    )
    password = _new_password_field(_l("Password"))
    confirm_password = _confirm_password_field()
    consent = BooleanField(
        _l("I have read the privacy notice and I agree that what I write is processed, "
           "knowing that it may reveal information about my health."),
        validators=[DataRequired(message=_l("Please give your consent to create an account."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fill_profile_choices()

    def personal_words(self) -> list[str]:
        return passwords.personal_words(self.email.data, self.display_name.data,
                                        self.pseudonym.data)


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=EMAIL_VALIDATORS)
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Please enter your password."))]
    )
    remember_me = BooleanField(_l("Keep me signed in on this device"))


class RequestPasswordResetForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=EMAIL_VALIDATORS)


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm_password = _confirm_password_field()


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Please enter your current password."))],
    )
    password = _new_password_field(_l("New password"))
    confirm_password = _confirm_password_field()


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New email address"), validators=EMAIL_VALIDATORS)
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Please enter your current password."))],
    )


class ProfileForm(ProfileFieldsMixin, FlaskForm):
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(message=_l("Please enter a name.")), Length(max=80)],
    )
    language = RadioField(_l("Language of the site and of our emails"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fill_profile_choices()
        self.language.choices = _language_choices()


class RepresentationRequestForm(FlaskForm):
    association_id = SelectField(
        _l("Association"), coerce=int,
        validators=[DataRequired(message=_l("Please choose an association."))],
    )
    message = TextAreaField(
        _l("Your role in the association"),
        validators=[Optional(), TextLength(1000)],
        description=_l("Optional. For example: member of the board, volunteer, mandated "
                       "patient representative."),
    )


class DecisionForm(FlaskForm):
    """Approve or decline: the button pressed carries the decision."""


REPRESENTATION_DECISIONS = ("approve", "decline")


class RepresentationDecisionForm(FlaskForm):
    """Approve or decline a representation request (the button pressed carries the
    decision), with a message to the person: optional to approve, required to decline."""

    decision = HiddenField()
    message = TextAreaField(
        _l("Message to the person"),
        validators=[TextLength(1000)],
        description=_l("Sent with the decision and shown in their account. Optional when you "
                       "approve; when you decline, say why."),
    )

    def validate_message(self, field):
        if self.decision.data == "decline" and not (field.data or "").strip():
            raise ValidationError(DECLINE_NEEDS_A_MESSAGE)


# A new association is not accredited until an approval is recorded: that level comes first,
# checked by default.
ACCREDITATION_ORDER = (Accreditation.NONE, Accreditation.REGIONAL, Accreditation.NATIONAL)


class AssociationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Please enter a name.")), Length(max=200)],
    )
    accreditation = RadioField(_l("Accreditation"), choices=[], default=Accreditation.NONE)
    accreditation_number = StringField(
        _l("Accreditation number"),
        description=_l("As written on the order granting it: ministerial (national) or of the "
                       "regional health agency (regional). Required for an accredited "
                       "association."),
    )
    accredited_on = DateField(
        _l("Date of the accreditation"), validators=[Optional()],
        invalid_value_message=_l("Please enter the date as year-month-day, for example "
                                 "2021-03-15."),
        description=_l("The date of that order. Required for an accredited association."),
    )
    description_fr = TextAreaField(_l("Description in French"), validators=[TextLength(5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[TextLength(5000)])
    website = StringField(
        _l("Website"),
        validators=[Optional(), URL(message=_l("Please enter a full web address, "
                                               "starting with https://.")), Length(max=300)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = Accreditation.labels()
        self.accreditation.choices = [(level.value, labels[level])
                                      for level in ACCREDITATION_ORDER]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.accreditation.errors:
            return False
        if self.accreditation.data == Accreditation.NONE:
            # Not accredited: the number and the date are cleared, nothing to correct there.
            self.accreditation_number.errors = []
            self.accredited_on.errors = []
            return not self.errors
        problems = accreditation_problems(self.accreditation.data,
                                          self.accreditation_number.data,
                                          self.accredited_on.data, local_today())
        if self.accredited_on.errors:  # not a date: said already
            problems.pop("accredited_on", None)
        for name, message in problems.items():
            self[name].errors.append(message)
        return valid and not problems


class ConfirmActionForm(FlaskForm):
    """A button that changes something: only the CSRF token to check."""


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Please enter your password to confirm."))],
    )
    delete_content = BooleanField(
        _l("Also delete what I wrote in consultations and discussions that are still open"),
        description=_l("Otherwise it stays, shown as written by a “former participant”, "
                       "without your name."),
    )
    confirm = BooleanField(
        _l("I understand that my account will be deleted and cannot be recovered"),
        validators=[DataRequired(message=_l("Please tick this box to confirm."))],
    )


# People management (administrators) and the invitation page


class InviteForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Please enter a name.")), Length(max=80)],
        description=_l("The person can change it in their account."),
    )
    email = EmailField(_l("Email address"), validators=[
        DataRequired(message=_l("Please enter an email address.")),
        Email(message=_l("Please enter a valid email address, such as name@example.org."),
              check_deliverability=False),
        Length(max=254),
    ])
    role = SelectField(_l("Role"), choices=[])
    language = RadioField(_l("Language of the invitation and of our emails"), choices=[])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("role", Role.PARTICIPANT.value)
        kwargs.setdefault("language", page_language())
        super().__init__(*args, **kwargs)
        self.role.choices = Role.choices()
        self.language.choices = _language_choices()


def _reason_field(label, missing, description):
    return TextAreaField(label, validators=[DataRequired(message=missing), TextLength(1000)],
                         description=description)


class ChangeRoleForm(FlaskForm):
    role = SelectField(_l("New role"), choices=[])
    reason = _reason_field(_l("Reason for the change"), _l("Please say why the role changes."),
                           _l("Kept in the audit log of accounts, with your name; the "
                              "person finds it in the download of their data."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = Role.choices()


class DeactivateForm(FlaskForm):
    reason = _reason_field(
        _l("Reason for the deactivation"), _l("Please say why this account is deactivated."),
        _l("Kept in the audit log of accounts, with your name; the person finds it in the "
           "download of their data."))


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    password = _new_password_field(_l("Password"))
    confirm_password = _confirm_password_field()
    consent = BooleanField(
        _l("I have read the privacy notice and I agree that what I write is processed, "
           "knowing that it may reveal information about my health."),
        validators=[DataRequired(message=_l("Please give your consent to use your account."))],
    )
