"""Which version counters (engage.core.versions) a change in this area bumps: the person's."""

from engage.core import versions
from engage.space.models import NotificationDigest, SpaceVisit


def register() -> None:
    for model in (SpaceVisit, NotificationDigest):
        versions.register(model, lambda row: [versions.user(row.user_id)],
                          bulk=[versions.user(None)])
