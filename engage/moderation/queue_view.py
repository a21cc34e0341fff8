"""What the moderation queue's page reads for each item, made once per page rather than once
per item: the interface texts translated once, labels of statuses, reasons and kinds, and
the addresses' common parts.

A page lists up to a hundred items; per item the template then only formats the few
sentences that hold a value and joins strings (tests/moderation/test_queue_view.py checks
the addresses against url_for).
"""

from typing import Any

from flask import url_for
from markupsafe import Markup

from engage.core.i18n import current_translations
from engage.core.moderated import MODERATED_TARGETS, ModerationStatus, ReportReason
from engage.core.typography import elide_before_values
from engage.moderation.queries import QueueEntry
from engage.moderation.templating import hidden_reason_label

# The page of each kind of container, and the name of its id in the route.
CONTAINER_PAGES = {
    "consultation": ("consultations.detail", "consultation_id"),
    "exercise": ("priorities.exercise", "exercise_id"),
}


def _catalog(text: str) -> Markup:
    """A text of our catalog, trusted as the templates' `_` trusts it."""
    return Markup(text)  # noqa: S704


def url_prefix(endpoint: str, key: str, **values: Any) -> str:
    """The address of `endpoint` up to its last part, the id `key`, which follows."""
    values[key] = 0
    prefix, _slash, last = url_for(endpoint, **values).rpartition("/")
    if last != "0":
        raise RuntimeError(f"{endpoint}: the id is not the last part of its address")
    return prefix + "/"


class QueueView:
    """The page's part of every item of the queue (see the module's docstring)."""

    def __init__(self, language: str):
        catalog = current_translations()
        self.language = language
        self.french = language == "fr"
        self.former_participant = _catalog(catalog.ugettext("Former participant"))
        self.in_ = _catalog(catalog.ugettext("In"))
        self.reasons_heading = _catalog(catalog.ugettext("Reasons:"))
        # Patterns, formatted per item by `_format` as the templates' `_` would.
        self._select = catalog.ugettext("Select %(kind)s #%(id)s")
        self._review = catalog.ugettext("Review %(kind)s #%(id)s")
        self._by = catalog.ugettext("by %(name)s")
        self._catalog = catalog
        self._open_reports: dict[int, Markup] = {}
        self.kinds = {name: str(target.label) for name, target in MODERATED_TARGETS.items()}
        self.statuses = {status.value: status.label for status in ModerationStatus}
        self._reasons: dict[str | None, str] = {
            reason.value: reason.label for reason in ReportReason}
        self._items_urls = {name: url_prefix("moderation.item", "target_id", target_type=name)
                            for name in MODERATED_TARGETS}
        self._container_urls = {kind: url_prefix(endpoint, key)
                                for kind, (endpoint, key) in CONTAINER_PAGES.items()}

    def _format(self, pattern: str, **values) -> Markup:
        """`pattern` with `values` escaped, and French elision ("d’Alice")."""
        if self.french:
            pattern = elide_before_values(pattern, values)
        return Markup(pattern) % values  # noqa: S704 - our catalog; values escaped by %

    def kind(self, entry: QueueEntry) -> str:
        return self.kinds[entry.target.name]

    def item_url(self, entry: QueueEntry) -> str:
        return f"{self._items_urls[entry.target.name]}{entry.id}"

    def container_url(self, entry: QueueEntry) -> str:
        kind, _colon, number = entry.container.value.partition(":")
        return f"{self._container_urls[kind]}{number}"

    def select_label(self, entry: QueueEntry) -> Markup:
        return self._format(self._select, kind=self.kind(entry), id=entry.id)

    def review_label(self, entry: QueueEntry) -> Markup:
        return self._format(self._review, kind=self.kind(entry), id=entry.id)

    def by(self, entry: QueueEntry) -> Markup:
        if entry.author_name is None:
            return self._format(self._by, name=self.former_participant)
        return self._format(self._by, name=entry.author_name)

    def open_reports(self, number: int) -> Markup:
        text = self._open_reports.get(number)
        if text is None:
            text = self._open_reports[number] = self._format(self._catalog.ungettext(
                "%(num)d open report", "%(num)d open reports", number), num=number)
        return text

    def reason(self, reason: str | None) -> str:
        """A report's reason, or why an item is hidden (which may be a moderator's text)."""
        label = self._reasons.get(reason)
        if label is None:
            label = self._reasons[reason] = hidden_reason_label(reason)
        return label

    def other_language(self, language: str | None) -> str | None:
        """`language` when it is not the page's (for a `lang` attribute), else None."""
        return language if language and language != self.language else None

