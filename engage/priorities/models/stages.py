"""Stages, statuses and the rules shared by the models of the area."""

import hashlib

from flask_babel import lazy_gettext as _l

from engage.core.db import LabelledEnum

MAX_RANKED = 10  # questions in one ranking (JLA interim survey)
MAX_EVIDENCE = 3  # evidence references per indicative question
DEFAULT_WORKSHOP_SIZE = 25
SUBMISSION_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 2000


class Stage(LabelledEnum):
    DRAFT = "draft"  # being prepared by the moderators, not public
    GATHERING = "gathering"
    PROCESSING = "processing"
    INTERIM_RANKING = "interim_ranking"
    FINAL_WORKSHOP = "final_workshop"
    PUBLISHED = "published"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("In preparation"),
            cls.GATHERING: _l("Gathering questions"),
            cls.PROCESSING: _l("Processing the questions"),
            cls.INTERIM_RANKING: _l("Interim ranking"),
            cls.FINAL_WORKSHOP: _l("Final workshop"),
            cls.PUBLISHED: _l("Results published"),
        }

    @property
    def step(self) -> int:
        """0 for the first stage, 1 for the next… (not `index`: that is str.index)."""
        return list(Stage).index(self)

    @property
    def next(self) -> "Stage | None":
        stages = list(Stage)
        return stages[self.step + 1] if self.step + 1 < len(stages) else None


class QuestionStatus(LabelledEnum):
    KEPT = "kept"
    OUT_OF_SCOPE = "out_of_scope"
    ALREADY_ANSWERED = "already_answered"

    @classmethod
    def labels(cls):
        return {
            cls.KEPT: _l("Kept for ranking"),
            cls.OUT_OF_SCOPE: _l("Set aside: out of scope"),
            cls.ALREADY_ANSWERED: _l("Set aside: already answered by research"),
        }


class GroupCode(LabelledEnum):
    """The default stakeholder groups; groups added by moderators have no code."""

    PATIENTS_CARERS = "patients_carers"
    HEALTH_PROFESSIONALS = "health_professionals"

    @classmethod
    def labels(cls):
        return {
            cls.PATIENTS_CARERS: _l("Patients and carers"),
            cls.HEALTH_PROFESSIONALS: _l("Health professionals"),
        }


# The default groups' labels are data (translation rows), written once in both languages.
DEFAULT_GROUPS = {
    GroupCode.PATIENTS_CARERS: {"fr": "Patients et proches aidants", "en": "Patients and carers"},
    GroupCode.HEALTH_PROFESSIONALS: {"fr": "Professionnels de santé", "en": "Health professionals"},
}
# The group suggested to a participant from the type they declared in their profile.
GROUP_FOR_PARTICIPANT_TYPE = {
    "patient": GroupCode.PATIENTS_CARERS,
    "carer": GroupCode.PATIENTS_CARERS,
    "association": GroupCode.PATIENTS_CARERS,
    "health_professional": GroupCode.HEALTH_PROFESSIONALS,
}


def text_fingerprint(text: str) -> str:
    """The same words with other spacing or case give the same fingerprint (double posts)."""
    normalized = " ".join(text.split()).casefold()
    return hashlib.sha256(normalized.encode()).hexdigest()
