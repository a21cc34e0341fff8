"""What the `contribution_item` macro (templates/consultations/_macros.html) reads, made
once per page rather than once per contribution: the reader's rights as sets of ids, the
interface texts, the addresses' common part, the themes' labels.

A page lists up to a hundred contributions and replies; per item, the macro then only
tests set membership, joins strings and formats the few texts that name someone.
"""

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import get_locale, gettext, ngettext
from markupsafe import Markup

from engage.consultations.permissions import ItemRights
from engage.core import formatting
from engage.core.typography import elide_before_values


def _catalog(text: str) -> Markup:
    """A text of our catalog, trusted as the templates' `_` trusts it (its quotes stay)."""
    return Markup(text)  # noqa: S704


def _translated() -> dict[str, object]:
    """The texts of the items in the request's language."""
    return {
        "deleted_contribution": _catalog(gettext("Deleted contribution")),
        "former_association": _catalog(gettext("Former association")),
        "former_participant": _catalog(gettext("Former participant")),
        "edited": _catalog(gettext("edited")),
        "deleted_note": _catalog(gettext(
            "Its author deleted this contribution. The replies stay.")),
        "pending_note": _catalog(gettext(
            "Only you can see this for now: it will be published once a moderator has checked "
            "it.")),
        "hidden_note": _catalog(gettext(
            "Hidden by moderation: only you and the moderators can see it.")),
        "withdraw": _catalog(gettext("Withdraw my support")),
        "support": _catalog(gettext("Support")),
        "reply": _catalog(gettext("Reply")),
        "edit": _catalog(gettext("Edit")),
        "delete": _catalog(gettext("Delete")),
        "earlier_versions": _catalog(gettext("Earlier versions")),
        "report": _catalog(gettext("Report")),
        "my_contribution": _catalog(gettext("my contribution")),
        # Patterns: formatted per item by `ItemTexts.format`, as the templates' `_` would.
        "posted_by": _catalog(gettext("Association position, posted by %(name)s")),
        "from_contribution_of": _catalog(gettext("from the contribution of %(name)s")),
        "contribution_of": _catalog(gettext("the contribution of %(name)s")),
        "to_name": _catalog(gettext("to %(name)s")),
        "position_of": _catalog(gettext("the position of %(association)s")),
        "replies_to": _catalog(gettext("Replies to %(name)s")),
    }


# The catalogs do not change while the process runs: the texts are looked up once per
# language (a lookup costs more than the page's use of it).
_TRANSLATED: dict[str, dict[str, object]] = {}


class ItemTexts:
    """The interface texts of the items in the page's language, and those the page made
    for the people it names."""

    def __init__(self):
        locale = get_locale()
        language = str(locale)
        translated = _TRANSLATED.get(language)
        if translated is None:
            translated = _TRANSLATED[language] = _translated()
        self.__dict__.update(translated)
        self.french = getattr(locale, "language", None) == "fr"
        self.moment = formatting.moments()  # the `datetime` filter, for this page
        self._supports: dict[int, Markup] = {}
        self._formatted: dict[tuple, Markup] = {}

    def format(self, pattern: str, **values) -> Markup:
        """`pattern` with `values` escaped, and French elision ("d’Alice"); a page names
        the same people several times (support, reply, report): each text is made once."""
        key = (pattern, *values.items())
        text = self._formatted.get(key)
        if text is None:
            if self.french:
                pattern = elide_before_values(pattern, values)
            text = self._formatted[key] = Markup(pattern) % values  # noqa: S704 - our catalog
        return text

    def supports(self, number: int) -> Markup:
        text = self._supports.get(number)
        if text is None:
            text = self._supports[number] = _catalog(ngettext(
                "%(num)d support", "%(num)d supports", number))
        return text

    @staticmethod
    def see_replies(number: int) -> Markup:
        return _catalog(ngettext("See the %(num)d reply", "See all %(num)d replies", number))


@dataclass
class ItemsView:
    """The page's part of every item: see the module's docstring."""

    rights: ItemRights
    texts: ItemTexts
    items_url: str  # "/fr/consultations/12/contributions/": an item's id and action follow
    back: str  # where the item's forms come back to (the page's address), before its anchor
    theme_labels: dict[int, str]
    language: str


def items_view(consultation_id: int, rights: ItemRights, theme_labels: dict[int, str],
               language: str) -> ItemsView:
    # The routes of an item are this prefix, its id and an action (routes/contributions.py);
    # tests/consultations/test_item_rights.py checks them against url_for.
    prefix = url_for("consultations.detail", consultation_id=consultation_id) + "/contributions/"
    return ItemsView(rights, ItemTexts(), prefix, request.full_path.rstrip("?"), theme_labels,
                     language)
