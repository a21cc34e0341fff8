"""The `space` blueprint ("My space"): the routes are in `overview.py` (the page itself) and
`notifications.py` (the list, marking read, how to hear of each kind);
`engage.space.init_app` imports them, which registers them on `bp`."""

from flask import Blueprint, abort
from flask_login import current_user

from engage.space import queries

bp = Blueprint("space", __name__, url_prefix="/<lang_code>/my-space")


def own_notification(notification_id: int):
    """The signed-in person's notification; 404 for anyone else's (it does not exist for
    them)."""
    notification = queries.notification_of(current_user, notification_id)
    if notification is None:
        abort(404)
    return notification
