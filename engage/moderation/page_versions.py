"""Which version counters (engage.core.versions) a change in this area bumps."""

from engage.consultations.models import Contribution
from engage.core import versions
from engage.moderation.models import AuditEntry, ContributionTheme, ThemeSuggestion


def register() -> None:
    all_consultations = versions.consultation(None)
    versions.register(AuditEntry, lambda e: [versions.MODERATION], bulk=[versions.MODERATION])
    # A contribution's themes show on its consultation's page and filter its lists.
    versions.register(ContributionTheme, lambda t: [versions.consultation(
        versions.attribute_of(Contribution, t.contribution_id, "consultation_id"))],
        bulk=[all_consultations])
    versions.register(ThemeSuggestion, lambda s: [versions.consultation(s.consultation_id)],
                      bulk=[all_consultations])
