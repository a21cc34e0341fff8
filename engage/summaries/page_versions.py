"""Which version counters (engage.core.versions) a change in this area bumps: the
consultation summarized, and the list of summaries."""

from engage.core import versions
from engage.summaries.models import Citation, Summary, SummaryRevision, SummaryTranslation


def _of_summary(summary_id) -> list[str]:
    return [versions.consultation(versions.attribute_of(Summary, summary_id, "consultation_id")),
            versions.SUMMARIES]


def register() -> None:
    listed = [versions.consultation(None), versions.SUMMARIES]
    versions.register(Summary, lambda s: [versions.consultation(s.consultation_id),
                                          versions.SUMMARIES], bulk=listed)
    for model in (SummaryTranslation, SummaryRevision, Citation):
        versions.register(model, lambda t: _of_summary(t.summary_id), bulk=listed)
