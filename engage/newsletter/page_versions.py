"""Which version counters (engage.core.versions) a change in this area bumps: none. No cached
page nor figure reads the subscribers or the issues (the archive is rendered at each visit:
an issue is written once a week)."""

from engage.core import versions
from engage.newsletter.models import Issue, Subscriber


def register() -> None:
    versions.register_quiet(Subscriber, Issue)
