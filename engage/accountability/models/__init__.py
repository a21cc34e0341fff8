"""The accountability area's tables: responses and commitments (commitments.py), calls and
funded projects (projects.py), and what both share: update documents, follows and the audit
log (records.py)."""

from engage.accountability.models.commitments import (
    REASON_LANGUAGES,
    Commitment,
    CommitmentCitation,
    CommitmentStatus,
    CommitmentTranslation,
    CommitmentUpdate,
    CommitmentUpdateKind,
    CommitmentUpdateTranslation,
    Response,
    commitment_questions,
)
from engage.accountability.models.projects import (
    CallLink,
    FundedProject,
    FundedProjectTranslation,
    ProjectUpdate,
    ProjectUpdateKind,
    ProjectUpdateTranslation,
)
from engage.accountability.models.records import (
    NOTHING_DELETED,
    TEXT_MAX_LENGTH,
    AccountabilityAuditEntry,
    AuditAction,
    Follow,
    UpdateDocument,
    clean_texts,
    require_length,
)

__all__ = [
    "NOTHING_DELETED", "REASON_LANGUAGES", "TEXT_MAX_LENGTH", "AccountabilityAuditEntry",
    "AuditAction", "CallLink", "Commitment", "CommitmentCitation", "CommitmentStatus",
    "CommitmentTranslation", "CommitmentUpdate", "CommitmentUpdateKind",
    "CommitmentUpdateTranslation", "Follow", "FundedProject", "FundedProjectTranslation",
    "ProjectUpdate", "ProjectUpdateKind", "ProjectUpdateTranslation", "Response",
    "UpdateDocument", "clean_texts", "commitment_questions", "require_length",
]
