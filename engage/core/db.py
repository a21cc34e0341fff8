"""Declarative base, naming convention and common mixins."""

import enum
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CheckConstraint, CursorResult, DateTime, Result
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def rows_changed(result: Result[Any]) -> int:
    """The number of rows an INSERT, UPDATE or DELETE matched. `Session.execute` is typed
    as returning a Result; for these statements it is a CursorResult, which counts them."""
    return cast(CursorResult[Any], result).rowcount


class AwareDateTime(TypeDecorator):
    """Stores UTC and always returns aware datetimes (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to an aware column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        AwareDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


_LABELS: dict[type, dict] = {}


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members carry a translated label: define `labels()`."""

    @classmethod
    def labels(cls) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def label(self) -> str:
        from engage.core.i18n import translated

        labels = _LABELS.get(type(self))
        if labels is None:  # lazy strings: built once, translated at each use
            labels = _LABELS[type(self)] = type(self).labels()
        return translated(labels[self])

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        labels = cls.labels()
        return [(member.value, labels[member]) for member in cls]


def enum_check(enum_cls: type[enum.StrEnum], column: str) -> CheckConstraint:
    """A CHECK constraint limiting a string column to an enum's values."""
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return CheckConstraint(f"{column} IN ({values})", name=f"{column}_allowed")
