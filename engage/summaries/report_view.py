"""What the outcome report reads for each argument, made once per page rather than once per
argument: the interface texts translated once and the address of a contribution up to its id
(tests/summaries/test_report_view.py checks it against url_for).
"""

from markupsafe import Markup

from engage.core.page_texts import PageTexts, url_prefix
from engage.summaries.outcome import ShownContribution


def contribution_url_prefix(consultation_id: int, external: bool = False) -> str:
    """The address of a contribution of the consultation, up to its id, which follows."""
    return url_prefix("consultations.contribution", "contribution_id", external=external,
                      consultation_id=consultation_id)


class ArgumentsView(PageTexts):
    """The page's part of every argument of the report."""

    def __init__(self, consultation_id: int, language: str, external: bool = False):
        super().__init__(language)
        self._contribution = self.catalog.ugettext("Contribution #%(id)s")
        self._position_of = self.catalog.ugettext("position of %(name)s")
        self._urls = contribution_url_prefix(consultation_id, external)

    def url(self, contribution: ShownContribution) -> str:
        return f"{self._urls}{contribution.id}"

    def title(self, contribution: ShownContribution) -> Markup:
        return self.format(self._contribution, id=contribution.id)

    def position_of(self, contribution: ShownContribution) -> Markup:
        return self.format(self._position_of, name=contribution.position_of)
