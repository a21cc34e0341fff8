"""Write operations of lay review. Each takes an explicit actor, flushes, never commits.

By subject: calls.py (calls and their rubric), applications.py (applications and
decisions), pool.py (the reviewer pool and assignment), reviews.py (declarations and
reviews), reminders.py. Callers use `from engage.reviews import services`.
"""

from engage.reviews.services.applications import (
    APPLICATION_FIELDS,
    create_application,
    import_applications,
    record_decision,
    update_application,
)
from engage.reviews.services.calls import (
    DEFAULT_CRITERIA,
    add_criterion,
    change_call_status,
    create_call,
    delete_criterion,
    update_call,
    update_criterion,
)
from engage.reviews.services.pool import (
    Proposal,
    ProposalResult,
    apply_proposal,
    assign,
    matched_themes,
    normalize,
    pool_statement,
    profiles_by_user,
    propose_assignments,
    save_reviewer_profile,
    shared_institutions,
    unassign,
)
from engage.reviews.services.reminders import send_reminders
from engage.reviews.services.reviews import (
    CriterionInput,
    IncompleteReview,
    declare,
    missing_parts,
    save_review,
)

__all__ = [
    "APPLICATION_FIELDS",
    "DEFAULT_CRITERIA",
    "CriterionInput",
    "IncompleteReview",
    "Proposal",
    "ProposalResult",
    "add_criterion",
    "apply_proposal",
    "assign",
    "change_call_status",
    "create_application",
    "create_call",
    "declare",
    "delete_criterion",
    "import_applications",
    "matched_themes",
    "missing_parts",
    "normalize",
    "pool_statement",
    "profiles_by_user",
    "propose_assignments",
    "record_decision",
    "save_review",
    "save_reviewer_profile",
    "send_reminders",
    "shared_institutions",
    "unassign",
    "update_application",
    "update_call",
    "update_criterion",
]
