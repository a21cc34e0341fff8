"""Moderation: reports, and an open consultation with contributions in every state.

Inside an application context, except `world`, which stores and returns ids.
"""

from engage.core.moderated import file_report
from engage.extensions import db
from tests.factories import consultations, stored
from tests.factories.users import user


def reported(item, count: int, reason: str = "offensive"):
    """`count` distinct people report `item`."""
    reports = []
    for _ in range(count):
        reports.append(file_report(user("participant"), item, reason))
    return reports


def world(app, *, reports: int = 0, pending: int = 0, published: int = 1, policy="post"):
    """An open consultation, its author, and contributions in several states."""
    with stored(app):
        moderator = user("moderator")
        author = user("participant", language="en")
        consultation = consultations.consultation("open", policy=policy, author=moderator)
        items = {"published": [], "pending": [], "reported": []}
        for index in range(published):
            items["published"].append(consultations.contribution(
                consultation, author, f"Published contribution {index}"))
        for index in range(pending):
            items["pending"].append(consultations.contribution(
                consultation, author, f"Pending contribution {index}",
                moderation_status="pending"))
        for index in range(reports):
            item = consultations.contribution(consultation, author,
                                              f"Reported contribution {index}")
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
