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
from engage.core.page_texts import PageTexts, catalog_text


def _translated() -> dict[str, object]:
    """The texts of the items in the request's language."""
    return {
        "deleted_contribution": catalog_text(gettext("Deleted contribution")),
        "former_association": catalog_text(gettext("Former association")),
        "former_participant": catalog_text(gettext("Former participant")),
        "edited": catalog_text(gettext("edited")),
        "deleted_note": catalog_text(gettext(
            "Its author deleted this contribution. The replies stay.")),
        "pending_note": catalog_text(gettext(
            "Only you can see this for now: it will be published once a moderator has checked "
            "it.")),
        "hidden_note": catalog_text(gettext(
            "Hidden by moderation: only you and the moderators can see it.")),
        "withdraw": catalog_text(gettext("Withdraw my support")),
        "support": catalog_text(gettext("Support")),
        "reply": catalog_text(gettext("Reply")),
        "edit": catalog_text(gettext("Edit")),
        "delete": catalog_text(gettext("Delete")),
        "earlier_versions": catalog_text(gettext("Earlier versions")),
        "report": catalog_text(gettext("Report")),
        "my_contribution": catalog_text(gettext("my contribution")),
        # Patterns: formatted per item by `ItemTexts.format`, as the templates' `_` would.
        "posted_by": catalog_text(gettext("Association position, posted by %(name)s")),
        "from_contribution_of": catalog_text(gettext("from the contribution of %(name)s")),
        "contribution_of": catalog_text(gettext("the contribution of %(name)s")),
        "to_name": catalog_text(gettext("to %(name)s")),
        "position_of": catalog_text(gettext("the position of %(association)s")),
        "replies_to": catalog_text(gettext("Replies to %(name)s")),
    }


# The catalogs do not change while the process runs: the texts are looked up once per
# language (a lookup costs more than the page's use of it).
_TRANSLATED: dict[str, dict[str, object]] = {}


class ItemTexts(PageTexts):
    """The interface texts of the items in the page's language, and those the page made
    for the people it names."""

    def __init__(self):
        locale = get_locale()
        super().__init__(getattr(locale, "language", None) or str(locale))
        translated = _TRANSLATED.get(str(locale))
        if translated is None:
            translated = _TRANSLATED[str(locale)] = _translated()
        self.__dict__.update(translated)
        self.moment = formatting.moments()  # the `datetime` filter, for this page

    @staticmethod
    def see_replies(number: int) -> Markup:
        return catalog_text(ngettext("See the %(num)d reply", "See all %(num)d replies", number))


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
