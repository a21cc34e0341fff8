"""What several write operations of the area share: refusing an invalid move, the
texts in two languages, inserting once, finding the participant's group."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from engage.core.errors import DomainError
from engage.extensions import db
from engage.priorities.models import Exercise, StakeholderGroup


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise DomainError(message)


def _clean(texts: Mapping[str, Mapping[str, str | None]]) -> dict[str, dict[str, str]]:
    return {
        language: {name: (value or "").strip() for name, value in values.items()}
        for language, values in texts.items()
    }


def _sync_translations(owner, row_class, texts: dict[str, dict[str, str]], key: str) -> None:
    """One row per language whose `key` field is filled; an emptied language loses its row."""
    existing = {row.language: row for row in owner.translations}
    for language, values in texts.items():
        row = existing.get(language)
        if not values[key]:
            if row is not None:
                owner.translations.remove(row)
            continue
        if row is None:
            row = row_class(language=language)
            owner.translations.append(row)
        for name, value in values.items():
            setattr(row, name, value)


def _add_once(item, duplicate_message) -> None:
    """Insert `item`; a unique constraint hit (a double click racing) becomes a DomainError."""
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        raise DomainError(duplicate_message) from None


def _group_of(exercise: Exercise, group_id) -> StakeholderGroup:
    group = next((g for g in exercise.groups if g.id == group_id), None)
    if group is None:
        raise DomainError(_l("Please choose your group from the list."))
    return group
