"""The bilingual demo data: associations and one account per role."""

from datetime import date

from sqlalchemy import select

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
from engage.extensions import db

DEMO_EMAILS = [
    "admin@example.org",
    "moderator@example.org",
    "officer@example.org",
    "representative@example.org",
    "reviewer@example.org",
    "participant@example.org",
]

ASSOCIATIONS = [
    {
        "name": "Ensemble contre le cancer du sein en Île-de-France",
        "accreditation": Accreditation.REGIONAL,
        # Regional approvals are orders of the director of the regional health agency.
        "accreditation_number": "ARS-IDF-2023-0148",
        "accredited_on": date(2023, 6, 19),
        "description_fr": "Association de patientes et de proches qui accompagne les femmes "
        "touchées par un cancer du sein et porte leur voix dans la recherche.",
        "description_en": "An association of patients and carers that supports women with "
        "breast cancer and speaks for them in research.",
    },
    {
        "name": "Vivre après un cancer",
        "accreditation": Accreditation.NATIONAL,
        # National approvals are ministerial orders, after the opinion of the national
        # commission (CNAUSS).
        "accreditation_number": "N2021RN0147",
        "accredited_on": date(2021, 11, 8),
        "description_fr": "Association nationale agréée pour les personnes qui vivent après "
        "un cancer : retour au travail, effets tardifs, droit à l'oubli.",
        "description_en": "A nationally accredited association for people living after cancer: "
        "returning to work, late effects, the right to be forgotten.",
    },
]

ACCOUNTS = [
    ("admin@example.org", "Alice Admin", Role.ADMIN, None, "75", "fr"),
    ("moderator@example.org", "Malik Modérateur", Role.MODERATOR, None, "93", "fr"),
    ("representative@example.org", "Rose Représentante", Role.REPRESENTATIVE,
     ParticipantType.ASSOCIATION, "94", "fr"),
    ("reviewer@example.org", "Paul Relecteur", Role.PARTICIPANT, ParticipantType.PATIENT, "92",
     "fr"),
    ("participant@example.org", "Jane Participant", Role.PARTICIPANT, ParticipantType.CARER, "91",
     "en"),
]


def load_accounts(password: str) -> bool:
    """Create the demo associations and accounts if missing; True if anything was created."""
    created = False
    associations = {}
    new_associations = []
    for data in ASSOCIATIONS:
        association = db.session.scalar(select(Association).where(Association.name == data["name"]))
        if association is None:
            association = Association(**data)
            db.session.add(association)
            new_associations.append(association)
            created = True
        associations[data["name"]] = association
    for email, name, role, participant_type, departement, language in ACCOUNTS:
        if db.session.scalar(select(User).where(User.email == email)):
            continue
        user = User(
            email=email,
            display_name=name,
            role=role,
            participant_type=participant_type,
            departement=Departement(departement),
            language=language,
            lay_reviewer=email == "reviewer@example.org",
            email_confirmed_at=utcnow(),
            privacy_consent_at=utcnow(),
        )
        user.set_password(password)
        db.session.add(user)
        if role == Role.REPRESENTATIVE:
            db.session.add(
                Membership(
                    user=user,
                    association=associations[ASSOCIATIONS[0]["name"]],
                    status=MembershipStatus.APPROVED,
                    message="Représentante mandatée",
                    decided_at=utcnow(),
                )
            )
        created = True
    # The demo administrator recorded the accreditations.
    admin = db.session.scalar(select(User).where(User.email == DEMO_EMAILS[0]))
    for association in new_associations:
        association.accreditation_set_by = admin
        association.accreditation_set_at = utcnow()
    db.session.flush()
    return created
