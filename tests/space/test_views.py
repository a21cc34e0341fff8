"""My space through the test client: who may open it, notifications in the reader's
language, marking them read (POST only, one's own only), the choices of delivery, the
header's unread count, and a number of queries that does not grow with the data."""

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from engage.consultations import participation
from engage.core.notifications import Notification, NotificationPreference
from engage.extensions import db
from engage.space.models import SpaceVisit
from tests.conftest import csrf_token
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.users import user
from tests.helpers import count_in, main_part, post
from tests.space import RECORD_KINDS

PAGES = ["/en/my-space/", "/en/my-space/notifications", "/en/my-space/settings"]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_my_space_lists_my_notifications_in_the_language_of_the_page(client, auth, replied):
    person = replied(replies=2)
    auth.sign_in(person.email)
    english = main_part(client.get("/en/my-space/notifications").text)
    assert english.count("replied to your contribution in “Living after cancer”") == 2
    assert "Replier 0 replied" in english and "Replier 1 replied" in english
    link = (f"/en/consultations/{person.consultation_id}/contributions/"
            f"{person.contribution_id}#contribution-{person.reply_ids[0]}")
    assert link in english
    french = main_part(client.get("/fr/my-space/notifications").text)
    assert "Replier 0 a répondu à votre contribution dans «\u00a0Vivre après un cancer\u00a0»" \
        in french
    assert "replied" not in french


def test_nobody_sees_or_marks_anothers_notifications(app, client, auth, replied):
    person = replied(replies=1)
    other = replied(replies=0, email="other@example.org")
    auth.sign_in(other.email)
    assert "Replier 0" not in client.get("/en/my-space/notifications").text
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id).where(
            Notification.user_id == person.user_id))
    response = post(client, f"/en/my-space/notifications/{notification_id}/read")
    assert response.status_code == 404
    assert post(client, "/en/my-space/notifications/read").status_code == 302
    assert count_in(app, Notification, Notification.read_at.is_not(None)) == 0


def test_marking_read_takes_a_post_and_counts_down_in_the_header(app, client, auth, replied):
    person = replied(replies=2)
    auth.sign_in(person.email)
    home = client.get("/en/")
    assert re.search(r'My space <span class="nav-count">2<span class="visually-hidden"> '
                     r'unread notifications</span>', home.text)
    # The phone's closed menu button says it too.
    assert re.search(r'<summary class="menu-toggle">Menu <span class="nav-count">2<span '
                     r'class="visually-hidden"> unread notifications</span>', home.text)
    for path in PAGES:  # opening the pages reads nothing
        assert client.get(path).status_code == 200
    assert count_in(app, Notification, Notification.read_at.is_(None)) == 2
    with app.app_context():
        first = db.session.scalars(select(Notification.id).order_by(Notification.id)).first()
    page = client.get("/en/my-space/notifications")
    response = client.post(f"/en/my-space/notifications/{first}/read",
                           data={"csrf_token": csrf_token(page),
                                 "next": f"/en/my-space/notifications#notification-{first}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/en/my-space/notifications#notification-{first}")
    assert count_in(app, Notification, Notification.read_at.is_(None)) == 1
    after = client.get("/en/my-space/notifications").text
    assert "The notification is marked as read." in after
    assert re.search(r'My space <span class="nav-count">1<span class="visually-hidden"> '
                     r'unread notification</span>', after)
    assert post(client, "/en/my-space/notifications/read").status_code == 302
    assert count_in(app, Notification, Notification.read_at.is_(None)) == 0
    assert 'class="nav-count"' not in client.get("/en/").text.split("My space")[1][:40]


def test_notifications_are_paginated(client, auth, replied):
    person = replied(replies=23)
    auth.sign_in(person.email)
    first = main_part(client.get("/en/my-space/notifications").text)
    second = main_part(client.get("/en/my-space/notifications?page=2").text)
    assert first.count('class="notification unread"') == 20
    assert second.count('class="notification unread"') == 3
    assert "Page 2 of 2" in second and "Replier 22 replied" in first


def test_the_choices_are_saved_and_read_back(app, client, auth, replied):
    person = replied(replies=0)
    auth.sign_in(person.email)
    page = client.get("/en/my-space/settings")
    assert re.search(r'id="delivery-moderation-1"[^>]*checked|checked[^>]*'
                     r'id="delivery-moderation-1"', page.text)  # email at once by default
    assert re.search(r'checked[^>]*id="delivery-reply-0"|id="delivery-reply-0"[^>]*checked',
                     page.text)  # in the app only
    # The five kinds of the network's record keep their default (an email at once).
    data = {f"delivery-{kind}": "app" for kind in (
        "reply", "moderation", "consultation_opened", "consultation_closing",
        "summary_published", "cited", "priority_results", "review_assigned", "review_due")}
    data.update({f"delivery-{kind}": "email" for kind in RECORD_KINDS})
    data.update({"delivery-reply": "daily", "delivery-moderation": "weekly",
                 "delivery-review_due": "email", "delivery-csrf_token": csrf_token(
                     page, "delivery")})
    response = client.post("/en/my-space/settings", data=data)
    assert response.status_code == 302
    with app.app_context():
        stored_rows = dict(db.session.execute(select(
            NotificationPreference.kind, NotificationPreference.delivery)).all())
    # Only what differs from the defaults is stored.
    assert stored_rows == {"reply": "daily", "moderation": "weekly",
                           "consultation_opened": "app", "consultation_closing": "app",
                           "summary_published": "app", "review_assigned": "app"}
    again = client.get("/en/my-space/settings").text
    assert re.search(r'checked[^>]*id="delivery-reply-2"|id="delivery-reply-2"[^>]*checked',
                     again)
    assert "Your choices are saved." in again


def test_a_choice_out_of_the_list_is_refused_with_its_error(app, client, auth, replied):
    person = replied(replies=0)
    auth.sign_in(person.email)
    page = client.get("/en/my-space/settings")
    response = client.post("/en/my-space/settings", data={
        "delivery-reply": "hourly", "delivery-csrf_token": csrf_token(page, "delivery")})
    assert response.status_code == 422
    assert 'id="error-summary"' in response.text and "A reply to one of my contributions" in \
        main_part(response.text)
    assert count_in(app, NotificationPreference) == 0


def test_the_visit_sets_what_is_new(app, client, auth, replied):
    person = replied(replies=1)
    auth.sign_in(person.email)
    first = main_part(client.get("/en/my-space/").text)
    assert "since your last visit" not in first  # a first visit has no "before"
    with app.app_context():
        from engage.consultations.models import Consultation, Contribution

        visit = db.session.get(SpaceVisit, person.user_id)
        assert visit.previous_at is None
        # The visit began an hour ago; the consultation and the reply came before it.
        visit.started_at -= timedelta(hours=1)
        db.session.get(Contribution, person.reply_ids[0]).created_at -= timedelta(hours=2)
        db.session.get(Consultation, person.consultation_id).opened_at -= timedelta(hours=2)
        db.session.commit()
    with stored(app), app.test_request_context("/en/"):
        contribution = db.session.get(Contribution, person.contribution_id)
        builders.contribution(contribution.consultation, user(), "News since.")
    page = main_part(client.get("/en/my-space/").text)
    assert "1 new contribution or reply since your last visit." in page
    assert "Now:" not in page  # it was open already
    assert "“New” means new since your last visit to My space" in page
    # Within the same visit (its next pages), what was new stays new.
    assert "1 new contribution or reply" in client.get("/en/my-space/?texts_page=1").text


def _fill(app, person, contributions: int) -> None:
    """More of everything My space lists: contributions, replies, follows, notifications."""
    with stored(app), app.test_request_context("/en/"):
        from engage.accounts.models import User
        from engage.consultations import notifications as follows

        author = db.session.get(User, person.user_id)
        for _ in range(contributions):
            consultation = builders.consultation("open")
            follows.follow(author, consultation)
            mine = builders.contribution(consultation, author, "Mine.")
            participation.post_reply(user(), mine, "A reply.")


def test_my_space_costs_the_same_queries_whatever_it_holds(app, client, auth, replied,
                                                           count_queries):
    person = replied(replies=1)
    auth.sign_in(person.email)
    _fill(app, person, 1)
    client.get("/en/my-space/")
    with count_queries() as small:
        assert client.get("/en/my-space/").status_code == 200
    with count_queries() as small_list:
        assert client.get("/en/my-space/notifications").status_code == 200
    _fill(app, person, 12)
    with count_queries() as large:
        page = client.get("/en/my-space/")
    with count_queries() as large_list:
        assert client.get("/en/my-space/notifications").status_code == 200
    assert page.status_code == 200
    assert main_part(page.text).count('class="notification unread"') == 5  # the latest
    assert large.count == small.count, large.statements
    assert large_list.count == small_list.count, large_list.statements
    assert small.count <= 25, small.statements


def test_my_texts_show_where_moderation_left_them(app, client, auth, replied):
    person = replied(replies=0)
    with stored(app), app.test_request_context("/en/"):
        from engage.accounts.models import User
        from engage.moderation import services as moderation

        author, moderator = db.session.get(User, person.user_id), user("moderator")
        held = builders.consultation("open", policy="pre")
        builders.contribution(held, author, "Waiting for a moderator.",
                              moderation_status="pending")
        open_one = builders.consultation("open")
        hidden = builders.contribution(open_one, author, "My neighbour Paul is ill.")
        moderation.hide(moderator, hidden, "health_data", "Please do not name people.")
        redacted = builders.contribution(open_one, author, "Call me on 0612345678 today.")
        moderation.redact(moderator, redacted, "0612345678", "other")
        hidden_url = f"/en/consultations/{open_one.id}/contributions/{hidden.id}"
    auth.sign_in(person.email)
    section = main_part(client.get("/en/my-space/").text).split('id="texts-heading"')[1]
    section = section.split("</section>")[0]
    assert section.count('class="card space-item"') == 4
    assert "Awaiting moderation" in section
    assert "Hidden by moderation" in section
    assert "Reason: Discloses personal health information" in section
    assert "Note from the moderators: Please do not name people." in section
    assert "A passage was removed by the moderators" in section
    assert hidden_url in section


def test_lay_reviews_and_associations_have_their_sections(app, client, auth, replied):
    from engage.accounts.models import Association, Membership, User
    from engage.reviews import services as reviews
    from engage.reviews.models import Application, CallStatus

    person = replied(replies=0)
    participant = replied(replies=0, email="participant@example.org")
    with stored(app), app.test_request_context("/en/"):
        from engage.core.clock import local_today

        reviewer = db.session.get(User, person.user_id)
        reviewer.lay_reviewer = True
        db.session.add(Membership(user=reviewer, association=Association(name="Vivre mieux")))
        moderator = user("moderator")
        deadline = local_today() + timedelta(days=9)
        call = reviews.create_call(moderator, texts={"en": ("Sleep after cancer", "")},
                                   review_opens_on=local_today(), review_deadline=deadline)
        call.status = CallStatus.OPEN
        application = Application(call=call, acronym="DREAM", title="Sleep better",
                                  lay_summary="S.", summary_language="en")
        db.session.add(application)
        db.session.flush()
        reviews.assign(moderator, application, reviewer, notify=False)
    auth.sign_in(person.email)
    page = main_part(client.get("/en/my-space/").text)
    reviews_part = page.split('id="reviews-heading"')[1].split("</section>")[0]
    assert "DREAM" in reviews_part and "Sleep after cancer" in reviews_part
    assert f"Deadline: {format_date(deadline, 'long', locale='en')}" in reviews_part
    assert "Declaration needed" in reviews_part  # nothing declared yet
    associations = page.split('id="associations-heading"')[1].split("</section>")[0]
    assert "Vivre mieux" in associations and "Awaiting approval" in associations
    auth.sign_out()
    auth.sign_in(participant.email)
    other = main_part(client.get("/en/my-space/").text)
    assert 'id="reviews-heading"' not in other
    assert "You do not represent an association." in other


def test_names_and_titles_in_a_notification_are_escaped(app, client, auth, replied):
    person = replied(replies=0)
    with stored(app), app.test_request_context("/en/"):
        from engage.consultations.models import Contribution

        contribution = db.session.get(Contribution, person.contribution_id)
        contribution.consultation.translations[0].title = "<i>Title</i>"
        participation.post_reply(user(display_name="<script>alert(1)</script>"),
                                 contribution, "Hello")
    auth.sign_in(person.email)
    page = main_part(client.get("/en/my-space/notifications").text)
    assert "<script>alert(1)</script>" not in page and "<i>Title</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; replied to your contribution" in page
