"""The outcome report's arguments, whose texts and addresses are made once per page
(engage/summaries/report_view.py): the same links, sentences and elision as the routes and
the catalog give."""

import re

import pytest

from engage.summaries.report_view import contribution_url_prefix
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.summaries import closed_consultation, published
from tests.factories.users import association, user
from tests.helpers import main_part


def test_the_address_of_a_contribution_up_to_its_id(app, app_context):
    assert contribution_url_prefix(12) == "/en/consultations/12/contributions/"
    assert contribution_url_prefix(12, external=True) == (
        f"{app.config['BASE_URL']}/en/consultations/12/contributions/")


@pytest.fixture
def report_with_a_position(app):
    with stored(app):
        moderator, consultation, items = closed_consultation(2)
        speaker = user("participant")
        position = builders.contribution(
            consultation, speaker, "Our position", support_count=1,
            association_id=association("Association Éclair", representative=speaker).id)
        summary = published(moderator, consultation, items)
        return {"summary_id": summary.id, "consultation_id": consultation.id,
                "position_id": position.id, "items": [item.id for item in items]}


def test_arguments_link_their_contributions_and_name_positions(client, report_with_a_position):
    data = report_with_a_position
    html = main_part(client.get(f"/en/summaries/{data['summary_id']}").text)
    position = data["position_id"]
    link = f'/en/consultations/{data["consultation_id"]}/contributions/{position}'
    assert (f'<a href="{link}">Contribution #{position}</a> – position of Association Éclair'
            in html)
    assert '<span class="meta">(1 support)</span>' in html
    first = data["items"][0]
    assert re.search(  # not a position: the number of supports follows
        f'<a href="/en/consultations/{data["consultation_id"]}/contributions/{first}">'
        rf'Contribution #{first}</a>\s*<span class="meta">\(0 supports\)</span>', html)


def test_french_arguments_elide_before_a_vowel(client, report_with_a_position):
    data = report_with_a_position
    html = main_part(client.get(f"/fr/summaries/{data['summary_id']}").text)
    position = data["position_id"]
    assert (f"Contribution n°\u00a0{position}</a> – prise de position d’Association Éclair"
            in html)
    assert '<span class="meta">(1 soutien)</span>' in html
