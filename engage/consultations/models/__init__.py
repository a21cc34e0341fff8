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
    "Audience",
    "Consultation",
    "ConsultationAnswer",
    "ConsultationDocument",
    "ConsultationFollow",
    "ConsultationQuestion",
    "ConsultationQuestionOption",
    "ConsultationQuestionOptionTranslation",
    "ConsultationQuestionTranslation",
    "ConsultationResponse",
    "ConsultationStatus",
    "ConsultationTranslation",
    "Contribution",
    "ContributionRevision",
    "ContributionSupport",
    "ModerationPolicy",
    "QuestionKind",
    "Theme",
    "ThemeTranslation",
    "consultation_themes",
]
