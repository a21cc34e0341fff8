"""What the moderation queue's page reads for each item, made once per page rather than once
per item: the interface texts translated once, labels of statuses, reasons and kinds, and
the addresses' common parts.

A page lists up to a hundred items; per item the template then only formats the few
sentences that hold a value and joins strings (tests/moderation/test_queue_view.py checks
the addresses against url_for).
"""


from markupsafe import Markup

from engage.core.moderated import MODERATED_TARGETS, ModerationStatus, ReportReason
from engage.core.page_texts import PageTexts, catalog_text, url_prefix
from engage.moderation.queries import QueueEntry
from engage.moderation.templating import hidden_reason_label

# The page of each kind of container, and the name of its id in the route.
CONTAINER_PAGES = {
    "consultation": ("consultations.detail", "consultation_id"),
    "exercise": ("priorities.exercise", "exercise_id"),
}


class QueueView(PageTexts):
    """The page's part of every item of the queue (see the module's docstring)."""

    def __init__(self, language: str):
        super().__init__(language)
        catalog = self.catalog
        self.former_participant = catalog_text(catalog.ugettext("Former participant"))
        self.in_ = catalog_text(catalog.ugettext("In"))
        self.reasons_heading = catalog_text(catalog.ugettext("Reasons:"))
        # Patterns, formatted per item by `_format` as the templates' `_` would.
        self._select = catalog.ugettext("Select %(kind)s #%(id)s")
        self._review = catalog.ugettext("Review %(kind)s #%(id)s")
        self._by = catalog.ugettext("by %(name)s")
        self.kinds = {name: str(target.label) for name, target in MODERATED_TARGETS.items()}
        self.statuses = {status.value: status.label for status in ModerationStatus}
        self._reasons: dict[str | None, str] = {
            reason.value: reason.label for reason in ReportReason}
        self._items_urls = {name: url_prefix("moderation.item", "target_id", target_type=name)
                            for name in MODERATED_TARGETS}
        self._container_urls = {kind: url_prefix(endpoint, key)
                                for kind, (endpoint, key) in CONTAINER_PAGES.items()}

    def kind(self, entry: QueueEntry) -> str:
        return self.kinds[entry.target.name]

    def item_url(self, entry: QueueEntry) -> str:
        return f"{self._items_urls[entry.target.name]}{entry.id}"

    def container_url(self, entry: QueueEntry) -> str:
        kind, _colon, number = entry.container.value.partition(":")
        return f"{self._container_urls[kind]}{number}"

    def select_label(self, entry: QueueEntry) -> Markup:
        return self.format(self._select, kind=self.kind(entry), id=entry.id)

    def review_label(self, entry: QueueEntry) -> Markup:
        return self.format(self._review, kind=self.kind(entry), id=entry.id)

    def by(self, entry: QueueEntry) -> Markup:
        if entry.author_name is None:
            return self.format(self._by, name=self.former_participant)
        return self.format(self._by, name=entry.author_name)

    def open_reports(self, number: int) -> Markup:
        return self.format(self.catalog.ungettext(
            "%(num)d open report", "%(num)d open reports", number), num=number)

    def reason(self, reason: str | None) -> str:
        """A report's reason, or why an item is hidden (which may be a moderator's text)."""
        label = self._reasons.get(reason)
        if label is None:
            label = self._reasons[reason] = hidden_reason_label(reason)
        return label

    def other_language(self, language: str | None) -> str | None:
        """`language` when it is not the page's (for a `lang` attribute), else None."""
        return language if language and language != self.language else None

