"""My space's rows of the authorization matrix (tests/security/matrix.py) and its world:
every signed-in person has their own space; a notification is its recipient's only (the
matrix's "participant" owns the world's one: anyone else is told it does not exist)."""

from engage.accounts.models import User
from engage.core.notifications import NotificationKind, notify
from engage.extensions import db
from tests.security.matrix import NOT_FOUND, OK, ROLES, SIGN_IN, Route, routes, signed_in
from tests.security.world import WORLD_BUILDERS


def recipient_only():
    return {**dict.fromkeys(ROLES, NOT_FOUND), "visitor": SIGN_IN, "participant": OK}


SPACE_ROUTES = [
    Route("space.index", {"GET": signed_in()}),
    Route("space.notifications", {"GET": signed_in()}),
    Route("space.mark_read", {"POST": recipient_only()},
          url_args={"notification_id": "space_notification_id"}),
    Route("space.mark_all_read", {"POST": signed_in()}),
    Route("space.preferences", {"GET": signed_in(), "POST": signed_in()},
          data={"delivery-reply": "daily"}),
]


def build_space_world(app, world) -> None:
    with app.test_request_context("/en/"):
        participant = db.session.get(User, world["user_ids"]["participant"])
        notification = notify(participant, NotificationKind.CONSULTATION_OPENED,
                              consultation_id=world.get("consultation_open_id", 1))
        assert notification is not None
        db.session.commit()
        world["space_notification_id"] = notification.id


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*SPACE_ROUTES)
    WORLD_BUILDERS.append(build_space_world)
