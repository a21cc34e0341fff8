"""Accounts, reviewer profiles, associations and their representatives."""

from datetime import timedelta

from flask import current_app
from werkzeug.security import generate_password_hash

from engage.accounts.models import Association, Membership, User
from engage.reviews.models import ReviewerProfile
from engage.synth import words
from engage.synth.base import (
    ADMIN_EMAIL,
    DEPARTEMENT_WEIGHTS,
    DEPARTEMENTS,
    MODERATOR_EMAIL,
    PARTICIPANT_EMAIL,
    PARTICIPANT_TYPES,
    PARTICIPANT_WEIGHTS,
    SYNTH_PASSWORD,
    BaseLoader,
)


class PeopleLoader(BaseLoader):
    def users(self) -> None:
        sizes = self.sizes
        password_hash = generate_password_hash(
            SYNTH_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
        moderators = range(2, 2 + sizes.moderators)
        self.participant_id = 2 + sizes.moderators
        representatives = range(self.participant_id + 1,
                                self.participant_id + 1 + sizes.representatives)
        self.moderators = list(moderators)
        self.representatives = list(representatives)
        others = list(range(representatives.stop, sizes.users + 1))
        self.reviewers = sorted(self.rng.sample(others, min(len(others), sizes.reviewers)))
        reviewer_set = set(self.reviewers)
        rows = []
        for user_id in range(1, sizes.users + 1):
            if user_id == 1:
                role, email = "admin", ADMIN_EMAIL
            elif user_id in moderators:
                role = "moderator"
                email = MODERATOR_EMAIL if user_id == 2 \
                    else f"synth-moderator-{user_id}@example.org"
            elif user_id in representatives:
                role, email = "representative", f"synth-user-{user_id}@example.org"
            else:
                role = "participant"
                email = PARTICIPANT_EMAIL if user_id == self.participant_id \
                    else f"synth-user-{user_id}@example.org"
            participant_type = self.rng.choices(PARTICIPANT_TYPES, PARTICIPANT_WEIGHTS)[0]
            if role == "representative":
                participant_type = "association"
            if user_id == self.participant_id:
                participant_type = "patient"
            language = "fr" if self.rng.random() < 0.75 or user_id == self.participant_id \
                else "en"
            self.user_types[user_id] = participant_type
            self.user_language[user_id] = language
            created = self.ago(30, 900)
            pseudonym = self.rng.random() < 0.2
            rows.append({
                "id": user_id, "email": email, "display_name": self.person_name(),
                "pseudonym": self.rng.choice(words.PSEUDONYMS) + str(user_id) if pseudonym
                else None,
                "use_pseudonym": pseudonym, "lay_reviewer": user_id in reviewer_set,
                "password_hash": password_hash, "role": role, "language": language,
                "participant_type": participant_type,
                "departement": self.rng.choices(DEPARTEMENTS, DEPARTEMENT_WEIGHTS)[0],
                "email_confirmed_at": created + timedelta(minutes=10)
                if self.rng.random() < 0.97 or role != "participant" or user_id in reviewer_set
                or user_id == self.participant_id else None,
                "pending_email": None, "privacy_consent_at": created,
                "last_sign_in_at": self.between(created, self.now),
                "consent_withdrawn_at": None, "deleted_at": None,
                "inactivity_warning_sent_at": None, "blocked_at": None, "blocked_reason": None,
                "session_version": 1, "created_at": created, "updated_at": created,
            })
        self.insert(User, rows)
        self.insert(ReviewerProfile, [{
            "id": index, "user_id": user_id,
            "themes": ", ".join(self.rng.sample([t[1] for t in words.THEMES], 3)),
            "institutions": self.rng.choice(words.INSTITUTIONS) if self.rng.random() < 0.3
            else "",
            "created_at": self.now, "updated_at": self.now,
        } for index, user_id in enumerate(self.reviewers, start=1)])

    def associations(self) -> None:
        rows, members = [], []
        for association_id in range(1, self.sizes.associations + 1):
            name = (f"{words.ASSOCIATION_WORDS[association_id % len(words.ASSOCIATION_WORDS)]} "
                    f"{words.ASSOCIATION_KINDS[association_id % len(words.ASSOCIATION_KINDS)]} "
                    f"{association_id}")
            rows.append({
                "id": association_id, "name": name,
                "accreditation": self.rng.choice(["national", "regional", "none"]),
                "description_fr": f"{name} accompagne les personnes touchées par un cancer.",
                "description_en": f"{name} supports people affected by cancer.",
                "website": None, "created_at": self.ago(400, 900), "updated_at": self.now,
            })
        for index, user_id in enumerate(self.representatives):
            association_id = index % self.sizes.associations + 1
            self.association_members[association_id].append(user_id)
            members.append({
                "id": index + 1, "user_id": user_id, "association_id": association_id,
                "status": "approved", "message": "", "decided_by_id": 1,
                "decided_at": self.ago(10, 300), "created_at": self.ago(300, 600),
                "updated_at": self.now,
            })
        self.insert(Association, rows)
        self.insert(Membership, members)
