"""Account operations. They take an explicit actor, flush, and never commit."""

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from engage.accounts import passwords, tokens
from engage.accounts.models import (
    Accreditation,
    Association,
    Departement,
    Membership,
    MembershipStatus,
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
    if not user.check_password(password):
        return None
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
    website: str | None = None,
) -> Association:
    if not actor.is_admin:
        raise DomainError(_l("Only administrators can manage associations."))
    name = name.strip()
    if db.session.scalar(select(Association).where(func.lower(Association.name) == name.lower())):
        raise DomainError(_l("An association with this name already exists."))
    association = Association(
        name=name,
        accreditation=Accreditation(accreditation),
        description_fr=description_fr.strip(),
        description_en=description_en.strip(),
        website=(website or "").strip() or None,
    )
    db.session.add(association)
    db.session.flush()
    return association


def update_association(actor: User, association: Association, **fields) -> None:
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
    association.name = name
    association.accreditation = Accreditation(fields["accreditation"])
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
        if existing.status == MembershipStatus.REJECTED:
            existing.status = MembershipStatus.REQUESTED
            existing.message = message.strip()
            existing.decided_at = None
            existing.decided_by = None
            return existing
        raise DomainError(_l("You have already asked to represent this association."))
    membership = Membership(user=actor, association=association, message=message.strip())
    db.session.add(membership)
    db.session.flush()
    return membership


def decide_representation(actor: User, membership: Membership, approve: bool) -> None:
    if not actor.is_moderator:
        raise DomainError(_l("Only moderators and administrators can decide on requests."))
    membership.decide(approve, by=actor)
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
    )


def change_role(actor: User, user: User, role: str) -> None:
    if not actor.is_admin:
        raise DomainError(_l("Only administrators can change roles."))
    if user.id == actor.id and role != Role.ADMIN:
        raise DomainError(_l("You cannot remove your own administrator role."))
    user.role = Role(role)


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
    if actor.is_admin:
        remaining = db.session.scalar(
            select(func.count(User.id)).where(
                User.role == Role.ADMIN, User.id != actor.id, User.deleted_at.is_(None)
            )
        )
        if not remaining:
            raise DomainError(_l("You are the last administrator: give the role to someone "
                                 "else before deleting your account."))
    erase_account(actor, delete_content)
