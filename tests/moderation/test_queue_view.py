"""The queue's items, whose texts, labels and addresses are made once per page
(engage/moderation/queue_view.py) from columns read into `QueueEntry`: the same links and
sentences as the routes and the catalog give, for every kind of item."""

import re

import pytest

from engage.accounts.models import User
from engage.consultations.models import Contribution
from engage.core.db import utcnow
from engage.core.moderated import ModerationStatus, file_report
from engage.extensions import db
from engage.priorities.models import Comment, Stage
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.moderation import world
from tests.factories.priorities import PrioritiesBuilder
from tests.helpers import main_part, sign_in_new


@pytest.fixture
def queue(app, factory):
    """A pending contribution by a deleted account, one reported twice by an author who
    publishes under a pseudonym, a reported priority submission and a pending comment."""
    data = world(app, pending=1)
    priorities = PrioritiesBuilder(app, factory)
    exercise = priorities.exercise(stage=Stage.GATHERING)
    submission = priorities.submission(exercise, author_id=priorities.participant(),
                                       text="What about fatigue?")
    comment = priorities.comment(priorities.question(exercise), priorities.participant(),
                                 body="Rude words")
    with stored(app):
        from engage.priorities.models import Submission

        pending = db.session.get(Contribution, data["pending"][0])
        db.session.get(User, pending.author_id).deleted_at = utcnow()
        masked = builders.user("participant", pseudonym="Zoé <b>", use_pseudonym=True)
        reported = builders.contribution(pending.consultation, masked, "Reported twice")
        file_report(builders.user("participant"), reported, "spam")
        file_report(builders.user("participant"), reported, "misinformation")
        file_report(builders.user("participant"), db.session.get(Submission, submission),
                    "spam")
        db.session.get(Comment, comment).moderation_status = ModerationStatus.PENDING
        return {**data, "exercise_id": exercise, "submission_id": submission,
                "comment_id": comment, "reported_id": reported.id}


def item_html(html: str, ref_id: str) -> str:
    match = re.search(rf'<li class="card queue-item" id="item-{ref_id}">(.*?)</li>', html,
                      re.DOTALL)
    assert match, f"no item {ref_id}"
    return match.group(1)


def test_every_kind_links_its_page_and_its_consultation_or_exercise(app, client, auth, queue):
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get("/en/moderation/").text)
    consultation, exercise = queue["consultation_id"], queue["exercise_id"]
    for kind, number, label, container in (
        ("contribution", queue["pending"][0], "Contribution",
         f"/en/consultations/{consultation}"),
        ("priority_submission", queue["submission_id"], "Submitted research question",
         f"/en/priorities/{exercise}"),
        ("priority_comment", queue["comment_id"], "Comment on a research question",
         f"/en/priorities/{exercise}"),
    ):
        item = item_html(html, f"{kind}-{number}")
        page = f"/en/moderation/items/{kind}/{number}"
        assert f'<h3><a href="{page}">{label} #{number}</a></h3>' in item
        assert f'<p><a href="{page}">Review {label} #{number}</a></p>' in item
        assert f'<label for="select-{kind}-{number}">Select {label} #{number}</label>' in item
        assert f'In <a href="{container}">' in item


def test_authors_are_named_as_their_pages_name_them(app, client, auth, queue):
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get("/en/moderation/").text)
    assert "· by Former participant" in item_html(html, f"contribution-{queue['pending'][0]}")
    reported = item_html(html, f"contribution-{queue['reported_id']}")
    assert "· by Zoé &lt;b&gt;" in reported
    assert "<strong>2 open reports</strong>" in reported
    assert "Reasons: Spam or advertising (1), Medical misinformation (1)" in reported


def test_the_french_queue_speaks_french(app, client, auth, queue):
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get("/fr/moderation/").text)
    reported = item_html(html, f"contribution-{queue['reported_id']}")
    number = queue["reported_id"]
    assert f"Examiner Contribution n°\u00a0{number}</a>" in reported
    assert "· par Zoé &lt;b&gt;" in reported
    assert "<strong>2 signalements en cours</strong>" in reported
    assert f'href="/fr/moderation/items/contribution/{number}"' in reported
