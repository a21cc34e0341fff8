"""Which version counters (engage.core.versions) a change in this area bumps: the
consultation it belongs to, and the site-wide lists that show it."""

from sqlalchemy import select

from engage.consultations.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationDocument,
    ConsultationFollow,
    ConsultationQuestion,
    ConsultationQuestionOption,
    ConsultationQuestionOptionTranslation,
    ConsultationQuestionTranslation,
    ConsultationResponse,
    ConsultationTranslation,
    Contribution,
    ContributionRevision,
    ContributionSupport,
    Theme,
    ThemeTranslation,
    consultation_themes,
)
from engage.core import versions
from engage.core.versions import CONSULTATIONS, CONTRIBUTIONS, MODERATION, SITE, SUPPORTS


def _of_contribution(contribution_id) -> list[str]:
    return [versions.consultation(
        versions.attribute_of(Contribution, contribution_id, "consultation_id"))]


def _of_question(question_id) -> str:
    return versions.consultation(
        versions.attribute_of(ConsultationQuestion, question_id, "consultation_id"))


def register() -> None:
    register = versions.register
    consultation = versions.consultation
    all_consultations = consultation(None)
    # The consultation's own row and texts: its page, the list's card, the search.
    register(Consultation, lambda c: [consultation(c.id), CONSULTATIONS],
             bulk=[all_consultations, CONSULTATIONS])
    register(ConsultationTranslation, lambda t: [consultation(t.consultation_id), CONSULTATIONS],
             bulk=[all_consultations, CONSULTATIONS])
    register(ConsultationDocument, lambda d: [consultation(d.consultation_id)],
             bulk=[all_consultations])
    # Following shows only to the follower (and counts nowhere public).
    register(ConsultationFollow, lambda f: [consultation(f.consultation_id),
                                            versions.user(f.user_id)],
             bulk=[all_consultations, versions.user(None)])
    # A contribution: its page, the cards' counts, the search and the moderation queue.
    register(Contribution, lambda c: [consultation(c.consultation_id), CONSULTATIONS,
                                      CONTRIBUTIONS, MODERATION, versions.user(c.author_id)],
             bulk=[all_consultations, CONSULTATIONS, CONTRIBUTIONS, MODERATION])
    register(ContributionRevision, lambda r: _of_contribution(r.contribution_id),
             bulk=[all_consultations])
    # A support: the contribution's count and the supporter's "you support this".
    register(ContributionSupport, lambda s: [*_of_contribution(s.contribution_id), SUPPORTS,
                                             versions.user(s.user_id)],
             bulk=[all_consultations, SUPPORTS, versions.user(None)])
    register(ConsultationQuestion, lambda q: [consultation(q.consultation_id)],
             bulk=[all_consultations])
    register(ConsultationQuestionTranslation, lambda t: [_of_question(t.question_id)],
             bulk=[all_consultations])
    register(ConsultationQuestionOption, lambda o: [_of_question(o.question_id)],
             bulk=[all_consultations])
    register(ConsultationQuestionOptionTranslation, lambda t: [consultation(versions.column_of(
        select(ConsultationQuestion.consultation_id).join(ConsultationQuestionOption)
        .where(ConsultationQuestionOption.id == t.option_id)))], bulk=[all_consultations])
    # Answers: the results and the count of responses on the cards.
    register(ConsultationResponse, lambda r: [consultation(r.consultation_id), CONSULTATIONS,
                                              versions.user(r.user_id)],
             bulk=[all_consultations, CONSULTATIONS, versions.user(None)])
    register(ConsultationAnswer, lambda a: [_of_question(a.question_id)],
             bulk=[all_consultations])
    # Themes are named on every list and page.
    register(Theme, lambda t: [SITE], bulk=[SITE])
    register(ThemeTranslation, lambda t: [SITE], bulk=[SITE])
    versions.register_table(consultation_themes, bulk=[all_consultations, CONSULTATIONS])
