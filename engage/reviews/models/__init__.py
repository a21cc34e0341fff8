"""Lay review's tables: calls and rubric (calls.py), applications and reviews (reviews.py)."""

from engage.reviews.models.calls import (
    DISAGREEMENT_GAP,
    SCORES,
    AssignmentStatus,
    CallStatus,
    ConflictLink,
    Criterion,
    CriterionTranslation,
    Decision,
    FundingCall,
    FundingCallTranslation,
    ReminderKind,
    ReviewStatus,
    split_list,
)
from engage.reviews.models.reviews import (
    Application,
    Assignment,
    ConflictDeclaration,
    Review,
    ReviewerProfile,
    ReviewReminder,
    ReviewScore,
)

__all__ = [
    "DISAGREEMENT_GAP", "SCORES", "Application", "Assignment", "AssignmentStatus", "CallStatus",
    "ConflictDeclaration", "ConflictLink", "Criterion", "CriterionTranslation", "Decision",
    "FundingCall", "FundingCallTranslation", "ReminderKind", "Review", "ReviewReminder",
    "ReviewScore", "ReviewStatus", "ReviewerProfile",
    "split_list",
]
