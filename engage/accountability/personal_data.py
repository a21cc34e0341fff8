"""What the accountability area holds about a person ("download my data"), and what happens
to it when the account is deleted. Registered by engage.accountability.init_app.

The network's record is institutional: who recorded a response, an update or a project is
staff work, kept with the record (the account row stays, pseudonymized, when deleted). What
is the person's own is what they follow."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from engage.accountability.models import Follow
from engage.core.i18n import page_language
from engage.core.registry import PersonalDataSection, Registry
from engage.extensions import db


def _follows(user) -> list[dict]:
    language = page_language()
    rows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id)
        .options(selectinload(Follow.commitment), selectinload(Follow.project))
        .order_by(Follow.id)).all()
    shown = []
    for row in rows:
        if row.commitment is not None:
            item = gettext("Commitment: %(title)s", title=row.commitment.title(language))
        else:
            item = gettext("Funded project: %(title)s", title=row.project.title(language))
        shown.append({"item": item, "since": row.created_at.isoformat()})
    return shown


def erase(user, delete_content: bool) -> None:
    """Account deletion: what the person follows only served them, and goes."""
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
    db.session.flush()


def register(registry: Registry) -> None:
    registry.personal_data.append(PersonalDataSection(
        "accountability_follows", _l("Commitments and funded projects you follow"), _follows))
    registry.account_erasers.append(erase)
