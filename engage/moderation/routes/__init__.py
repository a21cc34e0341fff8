"""The blueprint of the moderation pages and what their routes share.

Every route needs a moderator (participants and representatives get 403), the audit log
an administrator. Routes: queue.py (the queue and its bulk actions), items.py (one item
and the actions on it), users.py (authors), themes.py (themes and suggested themes) and
audit.py (the audit log). engage.moderation.init_app imports them.
"""

from flask import Blueprint

from engage.core.markdown import plain_text

bp = Blueprint("moderation", __name__, url_prefix="/<lang_code>/moderation")


def excerpt(text: str | None, limit: int = 240) -> str:
    plain = " ".join(plain_text(text).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"
