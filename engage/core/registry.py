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
