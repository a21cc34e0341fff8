"""Account operations. They take an explicit actor, flush, and never commit."""

import secrets
from datetime import date

from flask import current_app, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from engage.accounts import passwords, tokens
from engage.accounts.models import (
    AccountAction,
    AccountAuditEntry,
    Association,
    Departement,
    Membership,
    ParticipantType,
    Role,
    User,
)
from engage.core.db import utcnow
from engage.core.errors import DomainError
from engage.core.outbox import queue_email
from engage.core.sessions import end_all_sessions
from engage.extensions import db

# engage.cli's create-user checks the length against this name.


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def _confirmation_link(user: User, email: str) -> str:
    token = tokens.make_token(user, tokens.CONFIRM_EMAIL, email=email)
    return url_for("accounts.confirm_email", token=token, lang_code=user.language, _external=True)


def register(
    *,
    email: str,
    display_name: str,
    password: str,
    language: str,
    participant_type: str | None = None,
    departement: str | None = None,
    pseudonym: str | None = None,
    use_pseudonym: bool = False,
    lay_reviewer: bool = False,
) -> User | None:
    """Create an account and send the confirmation link.

    An address that already has an account gets a warning email instead, and
    nothing is returned, so the page cannot tell whether the address is known: both ways
    hash the password and queue one email, so they take the same time too.
    """
    password_hash = passwords.hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        queue_email(
            existing.email,
            existing.language,
            "accounts/already_registered",
            user=existing,
            reset_url=url_for(
                "accounts.request_password_reset", lang_code=existing.language, _external=True
            ),
        )
        return None
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        language=language,
        participant_type=participant_type or None,
        departement=departement or None,
        pseudonym=(pseudonym or "").strip() or None,
        use_pseudonym=bool(use_pseudonym and (pseudonym or "").strip()),
        lay_reviewer=lay_reviewer,
        privacy_consent_at=utcnow(),
        role=Role.PARTICIPANT,
        password_hash=password_hash,
    )
    db.session.add(user)
    db.session.flush()
    queue_email(
        user.email,
        user.language,
        "accounts/confirm_email",
        user=user,
        confirm_url=_confirmation_link(user, user.email),
    )
    return user


def confirm_email(token: str) -> User:
    """Follow a confirmation link: confirm the address, or switch to a new one."""
    user, email = tokens.read_token(
        token, tokens.CONFIRM_EMAIL, current_app.config["EMAIL_CONFIRMATION_MAX_AGE"]
    )
    if email == user.email:
        if user.email_confirmed_at is None:
            user.email_confirmed_at = utcnow()
        return user
    if email and email == user.pending_email:
        if find_user_by_email(email) is not None:
            raise DomainError(_l("This email address is already used by another account."))
        previous = user.email
        user.email = email
        user.pending_email = None
        user.email_confirmed_at = utcnow()
        queue_email(previous, user.language, "accounts/email_changed", user=user, new_email=email)
        return user
    raise tokens.InvalidToken(expired=False)


def resend_confirmation(user: User) -> None:
    if not user.is_confirmed:
        queue_email(
            user.email,
            user.language,
            "accounts/confirm_email",
            user=user,
            confirm_url=_confirmation_link(user, user.email),
        )


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        # As long as a wrong password: the answer must not tell that the address is unknown.
        passwords.check_without_account(password)
        return None
    if not user.check_password(password) or user.is_invited:
        return None
    if user.is_deactivated:
        # Said only to whoever knows the password: nobody else learns about the account.
        raise AccountDeactivated()
    user.last_sign_in_at = utcnow()
    return user


def request_password_reset(email: str, language: str) -> None:
    """Send a reset link if the address has an account, else an email saying that it has
    none: the page says the same either way, and both ways queue one email, so that they
    take the same time. `language`: the page's, for an address without an account."""
    user = find_user_by_email(email)
    if user is None:
        queue_email(
            normalize_email(email),
            language,
            "accounts/reset_without_account",
            register_url=url_for("accounts.register", lang_code=language, _external=True),
        )
        return
    if user.is_deactivated:
        return  # deactivation ends every email; the page says the same as for anyone
    if user.is_invited:
        # The invitation again (its link sets the first password, with the consent): one
        # email, no more work than a reset link, so the answer tells nothing either.
        _send_invitation(user)
        return
    token = tokens.make_token(user, tokens.RESET_PASSWORD)
    queue_email(
        user.email,
        user.language,
        "accounts/reset_password",
        user=user,
        reset_url=url_for(
            "accounts.reset_password", token=token, lang_code=user.language, _external=True
        ),
    )


def user_for_reset_token(token: str) -> User:
    user, _ = tokens.read_token(
        token, tokens.RESET_PASSWORD, current_app.config["PASSWORD_RESET_MAX_AGE"]
    )
    if user.is_deactivated:  # a link sent before the deactivation
        raise tokens.InvalidToken(expired=False)
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    user.set_password(new_password)
    sign_out_everywhere(user)
    # Receiving the link proves the address.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def change_password(actor: User, current_password: str, new_password: str) -> None:
    if not actor.check_password(current_password):
        raise DomainError(_l("Your current password is not correct."))
    actor.set_password(new_password)
    sign_out_everywhere(actor)
    queue_email(actor.email, actor.language, "accounts/password_changed", user=actor)


def request_email_change(actor: User, current_password: str, new_email: str) -> None:
    if not actor.check_password(current_password):
        raise DomainError(_l("Your current password is not correct."))
    new_email = normalize_email(new_email)
    if new_email == actor.email:
        raise DomainError(_l("This is already your email address."))
    actor.pending_email = new_email
    if find_user_by_email(new_email) is not None:
        # Say nothing to the requester; the owner of the address is not disturbed either.
        return
    queue_email(
        new_email,
        actor.language,
        "accounts/confirm_new_email",
        user=actor,
        confirm_url=_confirmation_link(actor, new_email),
    )


def update_profile(
    actor: User,
    *,
    display_name: str,
    participant_type: str | None,
    departement: str | None,
    pseudonym: str | None,
    use_pseudonym: bool,
    lay_reviewer: bool,
    language: str,
) -> None:
    actor.display_name = display_name.strip()
    actor.participant_type = ParticipantType(participant_type) if participant_type else None
    actor.departement = Departement(departement) if departement else None
    actor.pseudonym = (pseudonym or "").strip() or None
    actor.use_pseudonym = bool(use_pseudonym and actor.pseudonym)
    actor.lay_reviewer = lay_reviewer
    actor.language = language


# Associations and representation


def create_association(
    actor: User, *, name: str, accreditation: str, description_fr: str, description_en: str,
    website: str | None = None, accreditation_number: str | None = None,
    accredited_on: date | None = None,
) -> Association:
    """A new association; its accreditation (level, number and date of the approval) is
    recorded as set by `actor`. Raises InvalidAccreditation (a DomainError naming the
    fields) if an accredited association lacks its number or date."""
    if not actor.is_admin:
        raise DomainError(_l("Only administrators can manage associations."))
    name = name.strip()
    if db.session.scalar(select(Association).where(func.lower(Association.name) == name.lower())):
        raise DomainError(_l("An association with this name already exists."))
    association = Association(
        name=name,
        description_fr=description_fr.strip(),
        description_en=description_en.strip(),
        website=(website or "").strip() or None,
    )
    association.record_accreditation(accreditation, accreditation_number, accredited_on,
                                     by=actor)
    db.session.add(association)
    db.session.flush()
    return association


def update_association(actor: User, association: Association, **fields) -> None:
    """Save the association; who set the accreditation and when change only if its level,
    number or date did."""
    if not actor.is_admin:
        raise DomainError(_l("Only administrators can manage associations."))
    name = fields["name"].strip()
    clash = db.session.scalar(
        select(Association).where(
            func.lower(Association.name) == name.lower(), Association.id != association.id
        )
    )
    if clash:
        raise DomainError(_l("An association with this name already exists."))
    association.record_accreditation(fields["accreditation"],
                                     fields.get("accreditation_number"),
                                     fields.get("accredited_on"), by=actor)
    association.name = name
    association.description_fr = fields["description_fr"].strip()
    association.description_en = fields["description_en"].strip()
    association.website = (fields.get("website") or "").strip() or None


def request_representation(actor: User, association: Association, message: str) -> Membership:
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == actor.id, Membership.association_id == association.id
        )
    )
    if existing is not None:
        existing.reopen(message)  # after a refusal only
        return existing
    membership = Membership(user=actor, association=association, message=message.strip())
    db.session.add(membership)
    db.session.flush()
    return membership


def decide_representation(actor: User, membership: Membership, approve: bool,
                          message: str = "") -> None:
    """Approve or decline with a message to the person (required to decline), which the
    email carries and their account shows."""
    if not actor.is_moderator:
        raise DomainError(_l("Only moderators and administrators can decide on requests."))
    membership.decide(approve, by=actor, message=message)
    user = membership.user
    if approve and not user.has_role(Role.REPRESENTATIVE):
        user.role = Role.REPRESENTATIVE
    queue_email(
        user.email,
        user.language,
        "accounts/representation_decided",
        user=user,
        association=membership.association,
        approved=approve,
        message=membership.decision_message,
    )


def change_role(actor: User, user: User, role: str, reason: str) -> None:
    """Give `user` another role, for a reason kept in the accounts' audit log. Nobody
    removes their own administrator role, and the last active administrator keeps it."""
    if not actor.is_admin:
        raise DomainError(_l("Only administrators can change roles."))
    reason = _required_reason(reason, _l("Please say why the role changes."))
    new_role = Role(role)
    if user.id == actor.id and new_role != Role.ADMIN:
        raise DomainError(_l("You cannot remove your own administrator role."))
    if user.deleted_at is not None:
        raise DomainError(_l("This account has been deleted."))
    if new_role == user.role:
        raise DomainError(_l("This person already has this role."))
    if user.role == Role.ADMIN and not _other_active_admins(user):
        raise DomainError(_l("This is the last active administrator: give the role to "
                             "someone else first."))
    before = Role(user.role)
    user.role = new_role
    record_account_decision(actor, user, AccountAction.CHANGE_ROLE, reason=reason,
                            role_before=before, role_after=new_role)


# Privacy self-service


def withdraw_consent(actor: User) -> None:
    """Stop the processing of what the user writes from now on: they can read, not write."""
    actor.consent_withdrawn_at = utcnow()


def give_consent_again(actor: User) -> None:
    actor.consent_withdrawn_at = None
    actor.privacy_consent_at = utcnow()


def sign_out_everywhere(actor: User) -> None:
    end_all_sessions(actor.id)
    actor.session_version += 1  # the page cache's pages of the ended sessions go too


def delete_account(actor: User, password: str, delete_content: bool) -> None:
    from engage.accounts.personal_data import erase_account

    if not actor.check_password(password):
        raise DomainError(_l("Your password is not correct."))
    if actor.is_admin and not _other_active_admins(actor):
        raise DomainError(_l("You are the last administrator: give the role to someone "
                             "else before deleting your account."))
    erase_account(actor, delete_content)


# People management: administrators invite people, change roles, deactivate accounts. Each
# decision is kept in the accounts' audit log (AccountAuditEntry).

REASON_MAX_LENGTH = 1000


class AccountExists(DomainError):
    """An invitation to an address that has an account: the administrator is told which
    (administrators see every account anyway); nobody else is."""

    def __init__(self, user: User):
        super().__init__(_l("This email address already has an account."))
        self.user = user


class AccountDeactivated(DomainError):
    def __init__(self):
        # Said at once, in the request's language: a lazy string would not escape the value.
        super().__init__(gettext("This account has been deactivated by an administrator. If "
                                 "you think this is a mistake, write to %(email)s.",
                                 email=current_app.config["CONTACT_EMAIL"]))


def _require_admin(actor: User) -> None:
    if not actor.is_admin or actor.is_deactivated:
        raise DomainError(_l("Only administrators can manage accounts."))


def _required_reason(reason: str | None, missing) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(missing)
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(_l("Please keep the reason under %(max)d characters.",
                             max=REASON_MAX_LENGTH))
    return reason


def _other_active_admins(user: User) -> int:
    """Active administrators besides `user`. Their rows are locked until the end of the
    transaction (PostgreSQL): two administrators removing each other's role at once cannot
    both succeed, as the second one counts again once the first has committed."""
    active = db.session.scalars(
        select(User.id).where(
            User.role == Role.ADMIN, User.deleted_at.is_(None), User.deactivated_at.is_(None),
            User.privacy_consent_at.is_not(None),
        ).order_by(User.id).with_for_update()
    ).all()
    return len([user_id for user_id in active if user_id != user.id])


def record_account_decision(actor: User | None, user: User, action: AccountAction, *,
                            reason: str = "", role_before: Role | None = None,
                            role_after: Role | None = None) -> AccountAuditEntry:
    entry = AccountAuditEntry(
        actor_id=actor.id if actor is not None else None, user_id=user.id, action=action,
        reason=reason, role_before=role_before.value if role_before else None,
        role_after=role_after.value if role_after else None,
    )
    db.session.add(entry)
    return entry


def _unusable_password_hash() -> str:
    """The hash of a random password nobody knows: an invited account cannot sign in."""
    return passwords.hash_password(secrets.token_urlsafe(32))


def _send_invitation(user: User) -> None:
    queue_email(
        user.email,
        user.language,
        "accounts/invitation",
        user=user,
        role=Role(user.role),
        days=current_app.config["INVITATION_DAYS"],
        accept_url=url_for("accounts.accept_invitation", token=tokens.make_invitation_token(user),
                           lang_code=user.language, _external=True),
    )


def invite(actor: User, *, email: str, display_name: str, role: str, language: str) -> User:
    """Create an account that waits for its owner: the invitation email's link lets them
    choose their password and give their consent. Raises AccountExists for a known address
    (no email is sent then)."""
    _require_admin(actor)
    existing = find_user_by_email(email)
    if existing is not None:
        raise AccountExists(existing)
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        role=Role(role),
        language=language,
        invited_at=utcnow(),
        privacy_consent_at=None,
        password_hash=_unusable_password_hash(),
    )
    db.session.add(user)
    db.session.flush()
    record_account_decision(actor, user, AccountAction.INVITE, role_after=Role(role))
    _send_invitation(user)
    return user


def resend_invitation(actor: User, user: User) -> None:
    """A new invitation link; the links sent before stop working."""
    _require_admin(actor)
    if not user.is_invited:
        raise DomainError(_l("This person has already accepted the invitation."))
    if user.is_deactivated:
        raise DomainError(_l("This account is deactivated: reactivate it first."))
    user.password_hash = _unusable_password_hash()
    record_account_decision(actor, user, AccountAction.RESEND_INVITATION)
    _send_invitation(user)


def user_for_invitation(token: str) -> User:
    """The account waiting behind an invitation link, or tokens.InvalidToken."""
    return tokens.read_invitation_token(
        token, current_app.config["INVITATION_DAYS"] * 24 * 3600)


def accept_invitation(token: str, password: str) -> User:
    """The invited person sets their password and gives their consent; the caller signs
    them in."""
    user = user_for_invitation(token)
    user.accept_invitation(password)
    user.last_sign_in_at = utcnow()
    record_account_decision(user, user, AccountAction.ACCEPT_INVITATION)
    return user


def deactivate(actor: User, user: User, reason: str) -> None:
    """The person can no longer sign in, and their open sessions end; what they published
    stays, under their public name."""
    _require_admin(actor)
    reason = _required_reason(reason, _l("Please say why this account is deactivated."))
    if user.id == actor.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if user.role == Role.ADMIN and not user.is_deactivated and not _other_active_admins(user):
        raise DomainError(_l("This is the last active administrator: their account cannot "
                             "be deactivated."))
    user.deactivate(reason)
    sign_out_everywhere(user)
    record_account_decision(actor, user, AccountAction.DEACTIVATE, reason=reason)


def reactivate(actor: User, user: User) -> None:
    _require_admin(actor)
    user.reactivate()
    record_account_decision(actor, user, AccountAction.REACTIVATE)


def resend_confirmation_by_admin(actor: User, user: User) -> None:
    """A new confirmation link for an account whose address is not confirmed yet."""
    _require_admin(actor)
    if user.is_invited:
        raise DomainError(_l("This person has not accepted the invitation yet: send the "
                             "invitation again instead."))
    if user.is_confirmed:
        raise DomainError(_l("This email address is already confirmed."))
    if user.is_deactivated or user.deleted_at is not None:
        raise DomainError(_l("This account cannot receive a confirmation link."))
    resend_confirmation(user)
    record_account_decision(actor, user, AccountAction.RESEND_CONFIRMATION)


def erase_account_reasons(user: User) -> None:
    """Account deletion: the decisions about the person keep what was done, by whom and
    when, not the reasons given (which may say more about them); the row's own reason goes.
    A bulk UPDATE: the model refuses changes made through the session."""
    db.session.execute(
        update(AccountAuditEntry).where(AccountAuditEntry.user_id == user.id)
        .values(reason="").execution_options(synchronize_session="fetch"))
    user.deactivated_reason = None
