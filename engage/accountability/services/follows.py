"""People follow published commitments and funded projects, to hear of their updates.

Following is a person's own choice, not a change to the network's record: it is not in the
audit log, and it goes with the account (engage.accountability.personal_data)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.accountability import permissions
from engage.accountability.models import Commitment, Follow, FundedProject
from engage.accountability.services._shared import require
from engage.extensions import db


def _target(item) -> dict:
    if isinstance(item, Commitment):
        return {"commitment_id": item.id}
    if isinstance(item, FundedProject):
        return {"project_id": item.id}
    raise TypeError(f"{type(item).__name__} cannot be followed")


def follow_of(user, item) -> Follow | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(select(Follow).filter_by(user_id=user.id, **_target(item)))


def follow(user, item) -> bool:
    """Follow a published commitment or project; False if already following."""
    target = _target(item)
    require(permissions.can_follow(user, item), _l("You cannot follow this."))
    if follow_of(user, item) is not None:
        return False
    db.session.add(Follow(user_id=user.id, **target))
    db.session.flush()
    return True


def unfollow(user, item) -> bool:
    """False if the person was not following it."""
    row = follow_of(user, item)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True
