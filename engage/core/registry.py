"""Places where each area plugs in its part of the shared pages.

The layout, the home page, the demo command, "download my data" and account deletion know no
area by name. Each application has one `Registry` (`init_app`); each area's `init_app(app)`
adds its entries to `of(app)`. Nothing is added by importing a module, so an application
built twice (as the tests do) holds each entry once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string
    visible: Callable = lambda user: True
    # "main": the main menu; "management": the staff's "Management" group of it.
    group: str = "main"


@dataclass(frozen=True)
class HomeSection:
    """`load()` returns the template context, or None to hide the section."""

    template: str
    load: Callable
    order: int = 50


@dataclass(frozen=True)
class PersonalDataSection:
    """Part of "download my data": `collect(user)` returns a list of plain dicts."""

    key: str
    title: object  # a lazy string
    collect: Callable
    # The names of the codes the area stores, for the readable page: key -> {code: label}.
    value_labels: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ActivityCount:
    """One figure of a person's activity on their administration page: `counted(user_id)`
    gives a SELECT of one count (a scalar subquery: all the areas' figures are read in one
    query)."""

    label: object  # a lazy string
    counted: Callable


@dataclass(frozen=True)
class SpaceSection:
    """A part of a person's "My space", under the heading `title`: `load(user, since)`
    returns what its template reads as `data`, or None to hide the section; `since` is when
    the person last opened My space (None the first time), for "new since your last
    visit". The template's own headings are of level 3."""

    key: str
    title: object  # a lazy string
    template: str
    load: Callable
    order: int = 50


@dataclass
class Registry:
    nav_items: list[NavItem] = field(default_factory=list)
    home_sections: list[HomeSection] = field(default_factory=list)
    # "What came out of it": what the network made of people's answers (published summaries
    # and responses, priority results), shown together in one block of the home page. Each
    # section's template gets `heading_level` (3 there) for its own title.
    home_outcomes: list[HomeSection] = field(default_factory=list)
    # Called by `flask engage demo`; each must be idempotent.
    demo_loaders: list[Callable] = field(default_factory=list)
    personal_data: list[PersonalDataSection] = field(default_factory=list)
    # Called when an account is deleted: eraser(user, delete_content: bool). Each area removes
    # or detaches what the user wrote (deleting it only where the area allows, e.g. open
    # consultations).
    account_erasers: list[Callable] = field(default_factory=list)
    # Called with an item hidden because it reached the report threshold.
    auto_hide_listeners: list[Callable] = field(default_factory=list)
    # The sections of "My space" (engage.space), each area's own.
    personal_space_sections: list[SpaceSection] = field(default_factory=list)
    # send(notification, user): the email sent at once for a notification whose kind the
    # areas do not email themselves (engage.core.notifications), when the person asks for it.
    notification_emails: list[Callable] = field(default_factory=list)
    # The figures of a person's activity that an area adds to their administration page.
    activity_counts: list[ActivityCount] = field(default_factory=list)


EXTENSION = "engage.registry"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Registry()


def of(app: Flask | None = None) -> Registry:
    """The registry of `app`, or of the current application."""
    return (app or current_app).extensions[EXTENSION]
