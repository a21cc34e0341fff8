"""Contributions: only what is published, under the name the author publishes with."""

import pytest

from engage.accounts.models import User
from engage.core.db import utcnow
from engage.extensions import db
from tests.factories.api import PSEUDONYM, PUBLIC_NAME


def listed(api, query=""):
    response = api.get(f"/api/v1/contributions?per_page=100{query}")
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.get_json()["data"]}


def test_only_published_contributions_of_published_consultations(api, world):
    items = listed(api)
    assert list(items) == world["public_contributions"]
    for key in ("hidden_id", "pending_id", "deleted_id", "orphan_id", "in_draft_id"):
        assert world[key] not in items
        assert api.get(f"/api/v1/contributions/{world[key]}").status_code == 404, key


def test_authors_are_shown_by_their_public_name(api, world):
    items = listed(api)
    assert items[world["first_id"]]["author"] == {"name": PSEUDONYM}
    assert items[world["second_id"]]["author"] == {"name": PUBLIC_NAME}
    position = items[world["position_id"]]
    assert position["association"] == {"id": world["association_id"],
                                       "name": "Association Soleil"}
    assert items[world["second_id"]]["association"] is None


def test_a_deleted_account_becomes_a_former_participant(api, world, app):
    with app.app_context():
        user = db.session.get(User, world["pseudonymous_id"])
        user.deleted_at = utcnow()
        db.session.commit()
    item = api.get(f"/api/v1/contributions/{world['first_id']}?lang=en").get_json()
    assert item["author"] == {"name": "Former participant"}


def test_replies_point_to_their_contribution(api, world):
    reply = api.get(f"/api/v1/contributions/{world['reply_id']}").get_json()
    assert reply["reply_to"] == world["first_id"]
    assert reply["consultation_id"] == world["closed_id"]
    assert reply["links"]["html"].endswith(
        f"/fr/consultations/{world['closed_id']}/contributions/{world['reply_id']}")


def test_themes_include_the_moderators_tags_and_supports_are_counted(api, world):
    items = listed(api, "&lang=en")
    assert [t["id"] for t in items[world["first_id"]]["themes"]] == [world["health_theme"]]
    assert items[world["second_id"]]["themes"] == [
        {"id": world["work_theme"], "labels": {"fr": "Travail"}}]
    assert items[world["first_id"]]["support_count"] == 2
    assert items[world["first_id"]]["body"] == "Des essais plus près de chez nous."
    assert items[world["first_id"]]["language"] == "fr"


@pytest.mark.parametrize(("query", "expected"), [
    ("consultation={closed_id}", ["first_id", "second_id", "position_id", "reply_id"]),
    ("consultation={open_id}", ["on_open_id"]),
    ("consultation={draft_id}", []),
    ("theme={health_theme}", ["first_id"]),
    ("theme={work_theme}", ["second_id", "on_open_id"]),
    ("consultation={closed_id}&theme={work_theme}", ["second_id"]),
])
def test_contributions_filtered_by_consultation_and_theme(api, world, query, expected):
    items = listed(api, "&" + query.format(**world.ids))
    assert list(items) == [world[key] for key in expected]
