"""What moderation adds to every template (registered by engage.moderation.init_app): the
queue count and the moderator check of the menu, labels of hidden reasons and statuses,
and the audit log's data."""

import json

from flask_babel import gettext as _

from engage.core.moderated import AUTO_HIDE_REASON, ModerationStatus, ReportReason, ReportStatus
from engage.moderation import permissions, queries


def template_context() -> dict:
    return {
        "moderation_queue_count": queries.cached_queue_count,
        "can_moderate": permissions.can_moderate,
    }


def hidden_reason_label(reason: str | None) -> str:
    if not reason:
        return ""
    if reason == AUTO_HIDE_REASON:
        return _("Reported by several people: hidden until a moderator reviews it")
    if reason in {r.value for r in ReportReason}:
        return ReportReason(reason).label
    return reason


def moderation_status_label(status):
    return ModerationStatus(status).label


def report_status_label(status):
    return ReportStatus(status).label


def pretty_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
