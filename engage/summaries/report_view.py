"""What the outcome report reads for each argument, made once per page rather than once per
argument: the interface texts translated once and the address of a contribution up to its id
(tests/summaries/test_report_view.py checks it against url_for).
"""

from flask import url_for
from markupsafe import Markup

from engage.core.i18n import current_translations
from engage.core.typography import elide_before_values
from engage.summaries.outcome import ShownContribution


def _catalog(text: str) -> Markup:
    """A text of our catalog, trusted as the templates' `_` trusts it."""
    return Markup(text)  # noqa: S704


def contribution_url_prefix(consultation_id: int, external: bool = False) -> str:
    """The address of a contribution of the consultation, up to its id, which follows."""
    prefix, _slash, last = url_for("consultations.contribution", consultation_id=consultation_id,
                                   contribution_id=0, _external=external).rpartition("/")
    if last != "0":
        raise RuntimeError("consultations.contribution: the id is not the last part of its address")
    return prefix + "/"


class ArgumentsView:
    """The page's part of every argument of the report."""

    def __init__(self, consultation_id: int, language: str, external: bool = False):
        catalog = current_translations()
        self.french = language == "fr"
        self._contribution = catalog.ugettext("Contribution #%(id)s")
        self._position_of = catalog.ugettext("position of %(name)s")
        self._catalog = catalog
        self._supports: dict[int, Markup] = {}
        self._urls = contribution_url_prefix(consultation_id, external)

    def _format(self, pattern: str, **values) -> Markup:
        """`pattern` with `values` escaped, and French elision ("d’Alice")."""
        if self.french:
            pattern = elide_before_values(pattern, values)
        return Markup(pattern) % values  # noqa: S704 - our catalog; values escaped by %

    def url(self, contribution: ShownContribution) -> str:
        return f"{self._urls}{contribution.id}"

    def title(self, contribution: ShownContribution) -> Markup:
        return self._format(self._contribution, id=contribution.id)

    def position_of(self, contribution: ShownContribution) -> Markup:
        return self._format(self._position_of, name=contribution.position_of)

    def supports(self, number: int) -> Markup:
        text = self._supports.get(number)
        if text is None:
            text = self._supports[number] = self._format(self._catalog.ungettext(
                "%(num)d support", "%(num)d supports", number), num=number)
        return text
