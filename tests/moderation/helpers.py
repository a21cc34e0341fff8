"""Helpers of the moderation tests: data built in the database, forms posted with tokens."""

import re

from engage.core.moderated import file_report
from engage.extensions import db
from tests.conftest import csrf_token
from tests.consultations import builders
from tests.consultations.helpers import main_part, stored  # noqa: F401 - re-exported


def reported(item, count: int, reason: str = "offensive"):
    """`count` distinct people report `item`."""
    reports = []
    for _ in range(count):
        reports.append(file_report(builders.user("participant"), item, reason))
    return reports


def world(app, *, reports: int = 0, pending: int = 0, published: int = 1, policy="post"):
    """An open consultation, its author, and contributions in several states."""
    with stored(app):
        moderator = builders.user("moderator")
        author = builders.user("participant", language="en")
        consultation = builders.consultation("open", policy=policy, author=moderator)
        items = {"published": [], "pending": [], "reported": []}
        for index in range(published):
            items["published"].append(builders.contribution(
                consultation, author, f"Published contribution {index}"))
        for index in range(pending):
            items["pending"].append(builders.contribution(
                consultation, author, f"Pending contribution {index}",
                moderation_status="pending"))
        for index in range(reports):
            item = builders.contribution(consultation, author, f"Reported contribution {index}")
            reported(item, 1)
            items["reported"].append(item)
        db.session.flush()
        return {
            "consultation_id": consultation.id,
            "moderator_email": moderator.email,
            "author_id": author.id,
            "author_email": author.email,
            **{key: [i.id for i in value] for key, value in items.items()},
        }


def form_token(response, prefix: str = "") -> str:
    return csrf_token(response, prefix)


def hidden(response, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', response.text) \
        or re.search(rf'name="{re.escape(name)}" value="([^"]*)"', response.text)
    assert match, f"no hidden {name}"
    return match.group(1)
