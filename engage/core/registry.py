"""Places where each area plugs in its part of the shared pages, at import time.

The layout, the home page and the demo command know no area by name: an area's
views module appends to these lists.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string
    visible: Callable = lambda user: True  # noqa: E731 - a default predicate


@dataclass(frozen=True)
class HomeSection:
    """`load()` returns the template context, or None to hide the section."""

    template: str
    load: Callable
    order: int = 50


NAV_ITEMS: list[NavItem] = []
HOME_SECTIONS: list[HomeSection] = []
DEMO_LOADERS: list[Callable] = []  # called by `flask engage demo`, must be idempotent


@dataclass(frozen=True)
class PersonalDataSection:
    """Part of "download my data": `collect(user)` returns a list of plain dicts."""

    key: str
    title: object  # a lazy string
    collect: Callable


PERSONAL_DATA: list[PersonalDataSection] = []
# Called when an account is deleted: eraser(user, delete_content: bool). Each area removes or
# detaches what the user wrote (deleting it only where the area allows, e.g. open consultations).
ACCOUNT_ERASERS: list[Callable] = []
