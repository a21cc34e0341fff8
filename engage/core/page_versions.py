"""Which version counters (engage.core.versions) a change of core's own tables bumps."""

from engage.core import versions
from engage.core.drafts import KeptDraft
from engage.core.moderated import Report
from engage.core.notifications import Notification, NotificationPreference
from engage.core.outbox import OutboxMessage
from engage.core.sessions import SignInSession


def register() -> None:
    # A person's notifications (the count in the header), drafts (restored in their
    # forms) and sessions show only on their own pages.
    for model in (Notification, NotificationPreference, KeptDraft, SignInSession):
        versions.register(model, lambda row: [versions.user(row.user_id)],
                          bulk=[versions.user(None)])
    versions.register(Report, lambda report: [versions.MODERATION], bulk=[versions.MODERATION])
    versions.register_quiet(OutboxMessage, versions.CacheVersion)
