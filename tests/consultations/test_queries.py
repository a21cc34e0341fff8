"""Pages issue the same number of SQL queries whatever the amount of data."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from engage.accounts.models import User
from engage.consultations import participation
from engage.core.moderated import ModerationStatus
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored


def fill(app, item_id: int, viewer_id: int, size: int) -> None:
    """`size` contributions of every kind: themed, positions, replies, supports, pending."""
    from engage.consultations.models import Consultation, ContributionSupport

    with stored(app):
        item = db.session.get(Consultation, item_id)
        viewer = db.session.get(User, viewer_id)
        theme = item.themes[0]
        start = db.session.scalar(select(func.count(ContributionSupport.id)))
        for index in range(start, start + size):
            author = builders.user("representative")
            association = builders.association(f"Association {item_id}-{index}",
                                               representative=author)
            contribution = builders.contribution(item, author, f"Text {index}",
                                                 theme_id=theme.id)
            builders.contribution(item, author, f"Position {index}",
                                  association_id=association.id)
            for reply in range(4):
                builders.contribution(item, builders.user(), f"Reply {index}-{reply}",
                                      parent_id=contribution.id)
            db.session.add(ContributionSupport(contribution_id=contribution.id,
                                               user_id=viewer.id))
            contribution.support_count = 1
            builders.contribution(item, viewer, f"Mine {index}",
                                  moderation_status=ModerationStatus.PENDING)
            if item.questions and item.status != "open":
                continue
            if item.questions:
                single, _m, scale, *_ = item.questions
                participation.save_response(author, item, MultiDict({
                    f"q{single.id}": str(single.options[index % 2].id),
                    f"q{scale.id}": str(1 + index % 5)}), submit=True)


def measure(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.fixture
def reader(app, auth):
    with stored(app):
        person = builders.user()
        email, user_id = person.email, person.id
    auth.sign_in(email)
    return user_id


@pytest.mark.parametrize("signed_in", [True, False])
def test_consultation_page_is_constant(app, client, auth, count_queries, reader, signed_in):
    with stored(app):
        item_id = builders.consultation("open", with_questions=True,
                                        themes=[builders.theme()]).id
    if not signed_in:
        auth.sign_out()
    url = f"/en/consultations/{item_id}"
    fill(app, item_id, reader, 2)
    small = measure(client, count_queries, url)
    fill(app, item_id, reader, 9)
    large = measure(client, count_queries, url)
    assert small == large, f"{small} queries with 2 contributions, {large} with 11"
    print(f"consultation page: {small} queries")


def test_closed_consultation_with_results_is_constant(app, client, count_queries, reader):
    from engage.consultations.models import Consultation

    with stored(app):
        item_id = builders.consultation("open", with_questions=True,
                                        themes=[builders.theme()]).id
    fill(app, item_id, reader, 2)
    with stored(app):
        db.session.get(Consultation, item_id).close()
    small = measure(client, count_queries, f"/en/consultations/{item_id}")
    with stored(app):
        db.session.get(Consultation, item_id).status = "open"
    fill(app, item_id, reader, 9)
    with stored(app):
        db.session.get(Consultation, item_id).status = "closed"
    large = measure(client, count_queries, f"/en/consultations/{item_id}")
    assert small == large


def test_thread_page_is_constant(app, client, count_queries, reader):
    with stored(app):
        item = builders.consultation("open")
        parent = builders.contribution(item, builders.user())
        ids = item.id, parent.id
    url = f"/en/consultations/{ids[0]}/contributions/{ids[1]}"

    def add_replies(number):
        with stored(app):
            for index in range(number):
                builders.contribution(db.session.get(type(item), ids[0]), builders.user(),
                                      f"Reply {index}", parent_id=ids[1])

    add_replies(2)
    small = measure(client, count_queries, url)
    add_replies(12)
    assert measure(client, count_queries, url) == small


def test_list_and_search_are_constant(app, client, count_queries, reader):
    def add(number):
        with stored(app):
            author = builders.moderator()
            for _ in range(number):
                item = builders.consultation("open", author=author,
                                             themes=[builders.theme(f"T{_}{number}", None)])
                builders.contribution(item, builders.user(), "cancer fatigue")

    add(2)
    urls = ["/en/consultations/", "/en/consultations/search?q=cancer", "/en/"]
    small = [measure(client, count_queries, url) for url in urls]
    add(8)
    assert [measure(client, count_queries, url) for url in urls] == small
