"""Tables of the consultations area.

`Theme` lives here because consultations introduced it; other areas import it from
`engage.consultations.models`.
"""

from engage.consultations.models.consultation import (
    ALLOWED_MOVES,
    MOVE_LABELS,
    RESULT_STATUSES,
    Audience,
    Consultation,
    ConsultationDocument,
    ConsultationFollow,
    ConsultationStatus,
    ConsultationTranslation,
    ModerationPolicy,
    Theme,
    ThemeTranslation,
    consultation_themes,
    local_today,
)
from engage.consultations.models.contribution import (
    Contribution,
    ContributionRevision,
    ContributionSupport,
)
from engage.consultations.models.questionnaire import (
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationQuestionOption,
    ConsultationQuestionOptionTranslation,
    ConsultationQuestionTranslation,
    ConsultationResponse,
    QuestionKind,
)
from engage.consultations.search import attach_fulltext

attach_fulltext(ConsultationTranslation.__table__, Contribution.__table__)

__all__ = [
    "ALLOWED_MOVES",
    "MOVE_LABELS",
    "RESULT_STATUSES",
    "ConsultationAnswer",
    "Audience",
    "Consultation",
    "ConsultationFollow",
    "ConsultationStatus",
    "ConsultationTranslation",
    "Contribution",
    "ContributionRevision",
    "ConsultationDocument",
    "ModerationPolicy",
    "ConsultationQuestion",
    "QuestionKind",
    "ConsultationQuestionOption",
    "ConsultationQuestionOptionTranslation",
    "ConsultationQuestionTranslation",
    "ConsultationResponse",
    "ContributionSupport",
    "Theme",
    "ThemeTranslation",
    "consultation_themes",
    "local_today",
]
