"""The public pages and the participation routes, through the test client (English pages)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engage.consultations.models import (
    Audience,
    ConsultationResponse,
    Contribution,
    ContributionRevision,
    ContributionSupport,
    ModerationPolicy,
)
from engage.core.clock import local_today
from engage.core.moderated import ModerationStatus, Report
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import count_in, hidden_value, main_part, post, sign_in_new

PASSWORD_FREE = None


@pytest.fixture
def open_consultation(app):
    with stored(app):
        item = builders.consultation("open", with_questions=True,
                                     themes=[builders.theme("Emploi", "Work")])
        return item.id


# Reading


def test_list_shows_public_consultations_with_filters(app, client):
    with stored(app):
        work = builders.theme("Emploi", "Work")
        builders.consultation("open", themes=[work])
        builders.consultation("closed", texts={"fr": builders.TEXTS["fr"]})
        builders.consultation("draft", texts={"en": builders.TEXTS["en"].__class__(
            "Secret draft", "", "")})
        builders.consultation("upcoming")
        work_id = work.id
    page = client.get("/en/consultations/")
    assert page.status_code == 200
    assert "Secret draft" not in page.text
    assert page.text.count('class="card consultation-card"') == 3
    assert "Only available in French." in page.text
    assert "Upcoming" in page.text
    only_open = client.get("/en/consultations/?status=open")
    assert only_open.text.count('class="card consultation-card"') == 1
    by_theme = client.get(f"/en/consultations/?theme={work_id}")
    assert by_theme.text.count('class="card consultation-card"') == 1
    # A visitor cannot list drafts, whatever the filter says.
    assert "Secret draft" not in client.get("/en/consultations/?status=draft").text
    assert client.get("/en/consultations/?status=nonsense&theme=abc").status_code == 200


def test_moderators_see_drafts(app, client, auth):
    with stored(app):
        builders.consultation("draft", texts={"en": builders.TEXTS["en"].__class__(
            "Secret draft", "", "")})
    sign_in_new(app, auth, "moderator")
    assert "Secret draft" in client.get("/en/consultations/?status=draft").text


def test_list_is_paginated(app, client):
    with stored(app):
        author = builders.moderator()
        for _ in range(app.config["PAGE_SIZE"] + 1):
            builders.consultation("open", author=author)
    first = client.get("/en/consultations/")
    assert first.text.count('class="card consultation-card"') == app.config["PAGE_SIZE"]
    assert 'rel="next"' in first.text
    second = client.get("/en/consultations/?page=2")
    assert second.text.count('class="card consultation-card"') == 1


def test_french_pages_answer(app, client, open_consultation):
    for url in ("/fr/consultations/", f"/fr/consultations/{open_consultation}",
                "/fr/consultations/search?q=cancer"):
        page = client.get(url)
        assert page.status_code == 200
        assert '<html lang="fr">' in page.text


def test_consultation_page(app, client, open_consultation):
    page = client.get(f"/en/consultations/{open_consultation}")
    assert page.status_code == 200
    assert "<h1>Living after cancer</h1>" in page.text
    assert "<strong>text</strong>" in page.text
    assert "Work" in page.text
    assert "Answer the questionnaire" not in page.text  # anonymous: sign in first
    assert "Sign in to answer the questionnaire" in page.text
    assert "Sign in to contribute" in page.text
    assert page.text.count("<h1") == 1


def test_missing_language_shows_a_note(app, client):
    with stored(app):
        item_id = builders.consultation("open", texts={"fr": builders.TEXTS["fr"]}).id
    page = client.get(f"/en/consultations/{item_id}")
    assert '<h1 lang="fr">Vivre après un cancer</h1>' in page.text
    assert "Only available in French." in page.text


@pytest.mark.parametrize(("status", "visible"), [("draft", False), ("upcoming", True),
                                                 ("archived", True)])
def test_drafts_do_not_exist_for_the_public(app, client, status, visible):
    with stored(app):
        item_id = builders.consultation(status).id
    assert client.get(f"/en/consultations/{item_id}").status_code == (200 if visible else 404)


def test_unknown_consultation(client):
    assert client.get("/en/consultations/424242").status_code == 404


def test_results_of_a_closed_consultation(app, client, auth):
    from werkzeug.datastructures import MultiDict

    from engage.consultations import participation

    with stored(app):
        item = builders.consultation("open", with_questions=True)
        single, _multiple, scale, _ranking, free = item.questions
        for choice in (0, 0, 1):
            answers = MultiDict({f"q{single.id}": str(single.options[choice].id),
                                 f"q{scale.id}": "5", f"q{free.id}": "Secret answer"})
            participation.save_response(builders.user(), item, answers, submit=True)
        participation.save_response(builders.user(), item, MultiDict(), submit=False)  # draft
        item_id, item_questions = item.id, [q.id for q in item.questions]
    open_page = client.get(f"/en/consultations/{item_id}")
    assert "Results of the questionnaire" not in open_page.text
    assert "once the consultation is closed" in open_page.text
    with stored(app):
        from engage.consultations.models import Consultation

        db.session.get(Consultation, item_id).close()
    page = client.get(f"/en/consultations/{item_id}")
    assert "Results of the questionnaire" in page.text
    assert "3 people answered the questionnaire." in page.text  # the draft does not count
    # 3 people: no figure of any question is published (engage.consultations.results).
    assert page.text.count("Fewer than 5 answers") == len(item_questions)
    assert re.search(r'<h3>You are\?</h3>\s*<p class="meta">Fewer than 5 answers', page.text)
    assert '<svg class="chart"' not in page.text and "(67%)" not in page.text
    assert "Average:" not in page.text
    assert "Secret answer" not in page.text  # free text is not published one by one


def test_own_pending_contribution_is_shown_with_a_note(app, client, auth):
    user_id = sign_in_new(app, auth)
    with stored(app):
        from engage.accounts.models import User

        item = builders.consultation("open", policy=ModerationPolicy.PRE)
        me = db.session.get(User, user_id)
        builders.contribution(item, me, "My pending text",
                              moderation_status=ModerationStatus.PENDING)
        builders.contribution(item, builders.user(), "Someone else pending",
                              moderation_status=ModerationStatus.PENDING)
        builders.contribution(item, builders.user(), "Hidden one",
                              moderation_status=ModerationStatus.HIDDEN)
        builders.contribution(item, builders.user(), "Published one")
        item_id = item.id
    page = client.get(f"/en/consultations/{item_id}")
    assert "My pending text" in page.text and "Only you can see this for now" in page.text
    assert "Someone else pending" not in page.text and "Hidden one" not in page.text
    assert "Published one" in page.text
    # Listed for its author, counted once published: the count is the one everyone sees.
    assert "1 contribution." in page.text
    auth.sign_out()
    public = client.get(f"/en/consultations/{item_id}")
    assert "My pending text" not in public.text and "1 contribution." in public.text


def test_contributions_sorted_filtered_and_paginated(app, client):
    with stored(app):
        work, sport = builders.theme("Emploi", "Work"), builders.theme("Sport", "Sport")
        item = builders.consultation("open", themes=[work, sport])
        popular = builders.contribution(item, builders.user(), "Popular one", theme_id=sport.id)
        popular.support_count = 5
        for index in range(22):
            builders.contribution(item, builders.user(), f"Number {index}", theme_id=work.id)
        item_id, sport_id = item.id, sport.id
    newest = client.get(f"/en/consultations/{item_id}")
    assert newest.text.count('class="contribution"') == 20
    assert newest.text.index("Number 21") < newest.text.index("Number 20")
    assert "Popular one" not in newest.text
    supported = client.get(f"/en/consultations/{item_id}?sort=supported")
    assert supported.text.index("Popular one") < supported.text.index("Number 21")
    second = client.get(f"/en/consultations/{item_id}?page=2")
    assert second.text.count('class="contribution"') == 3
    by_theme = client.get(f"/en/consultations/{item_id}?theme={sport_id}")
    assert by_theme.text.count('class="contribution"') == 1
    assert client.get(f"/en/consultations/{item_id}?sort=bad&page=abc").status_code == 200


FIGURES = {
    "en": "3 contributions · 1 association position · 2 replies",
    "fr": "3 contributions · 1 prise de position d’association · 2 réponses",
}
SECTION_COUNT = {"en": "3 contributions.", "fr": "3 contributions."}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_list_and_the_page_count_the_same_things(app, client, lang):
    """Published contributions, positions and replies, each counted apart, in the same words
    on the list's card and on the consultation's page (whose list of contributions holds
    neither the positions nor the replies)."""
    with stored(app):
        item = builders.consultation("open")
        rose = builders.user("representative", display_name="Rose")
        association = builders.association("Ensemble contre le cancer", representative=rose)
        position = builders.contribution(item, rose, "Our position", association_id=association.id)
        first, *_ = [builders.contribution(item, builders.user(), f"Mine {n}") for n in range(3)]
        builders.contribution(item, builders.user(), "A reply", parent_id=first.id)
        builders.contribution(item, builders.user(), "Another reply", parent_id=position.id)
        builders.contribution(item, builders.user(), "Hidden",
                              moderation_status=ModerationStatus.HIDDEN)
        item_id = item.id
    card = main_part(client.get(f"/{lang}/consultations/").text)
    page = main_part(client.get(f"/{lang}/consultations/{item_id}").text)
    assert FIGURES[lang] in card and FIGURES[lang] in page
    listed = page[page.index('id="contributions"'):]
    assert SECTION_COUNT[lang] in listed and listed.count('class="contribution"') == 3


def test_association_positions_are_listed_apart(app, client):
    with stored(app):
        item = builders.consultation("open")
        rose = builders.user("representative", display_name="Rose")
        association = builders.association("Ensemble contre le cancer", representative=rose)
        builders.contribution(item, rose, "Our position", association_id=association.id)
        builders.contribution(item, rose, "My personal view")
        item_id = item.id
    page = main_part(client.get(f"/en/consultations/{item_id}").text)
    positions = page[page.index('id="positions"'):page.index('id="contributions"')]
    assert "Ensemble contre le cancer" in positions and "Our position" in positions
    assert "Association position, posted by Rose" in positions
    assert "My personal view" not in positions
    assert "My personal view" in page[page.index('id="contributions"'):]


def test_replies_are_previewed_and_listed(app, client):
    with stored(app):
        item = builders.consultation("open")
        parent = builders.contribution(item, builders.user(), "Parent")
        for index in range(5):
            builders.contribution(item, builders.user(), f"Reply {index}", parent_id=parent.id)
        item_id, parent_id = item.id, parent.id
        reply_id = parent_id + 1
    page = client.get(f"/en/consultations/{item_id}")
    assert "Reply 0" in page.text and "Reply 2" in page.text and "Reply 3" not in page.text
    assert "See all 5 replies" in page.text
    thread = client.get(f"/en/consultations/{item_id}/contributions/{parent_id}")
    assert thread.status_code == 200 and "Reply 4" in thread.text
    # A reply's own address leads to its thread.
    to_reply = client.get(f"/en/consultations/{item_id}/contributions/{reply_id}")
    assert to_reply.status_code == 302
    assert f"/contributions/{parent_id}#contribution-{reply_id}" in to_reply.headers["Location"]


def test_deleted_contribution_with_replies_leaves_a_placeholder(app, client):
    from engage.core.db import utcnow

    with stored(app):
        item = builders.consultation("open")
        parent = builders.contribution(item, builders.user(), "", deleted_at=utcnow())
        builders.contribution(item, builders.user(), "Still here", parent_id=parent.id)
        builders.contribution(item, builders.user(), "", deleted_at=utcnow())  # no reply
        item_id = item.id
    page = client.get(f"/en/consultations/{item_id}")
    assert page.text.count("Its author deleted this contribution") == 1
    assert "Still here" in page.text


def test_contribution_of_another_consultation_is_not_found(app, client):
    with stored(app):
        first, second = builders.consultation("open"), builders.consultation("open")
        contribution = builders.contribution(first, builders.user())
        hidden = builders.contribution(first, builders.user(),
                                       moderation_status=ModerationStatus.HIDDEN)
        ids = first.id, second.id, contribution.id, hidden.id
    assert client.get(f"/en/consultations/{ids[1]}/contributions/{ids[2]}").status_code == 404
    assert client.get(f"/en/consultations/{ids[0]}/contributions/{ids[3]}").status_code == 404


def test_home_page_lists_open_and_closing_soon(app, client):
    with stored(app):
        soon = builders.consultation("open", texts={"en": builders.TEXTS["en"].__class__(
            "Closing very soon", "", "")})
        soon.closes_on = local_today() + timedelta(days=2)
        builders.consultation("open", texts={"en": builders.TEXTS["en"].__class__(
            "Open for long", "", "")}).closes_on = local_today() + timedelta(days=40)
        builders.consultation("closed", texts={"en": builders.TEXTS["en"].__class__(
            "Already closed", "", "")})
    home = client.get("/en/")
    section = home.text[home.text.index('id="home-consultations"'):]
    assert section.index("Closing soon") < section.index("Closing very soon")
    assert section.index("Also open") < section.index("Open for long")
    assert "Already closed" not in home.text
    assert "Consultations</a>" in home.text  # the menu entry


# Taking part: the questionnaire


def test_questionnaire_needs_sign_in(client, open_consultation):
    page = client.get(f"/en/consultations/{open_consultation}/questionnaire")
    assert page.status_code == 302 and "/account/sign-in" in page.headers["Location"]


def test_questionnaire_draft_then_send(app, client, auth, open_consultation):
    sign_in_new(app, auth)
    url = f"/en/consultations/{open_consultation}/questionnaire"
    page = client.get(url)
    assert page.status_code == 200 and page.text.count("<fieldset") == 4
    assert "Importance?" in page.text and "1 – Low" in page.text and "5 – High" in page.text
    with app.app_context():
        from engage.consultations.models import Consultation

        single, _multiple, scale, ranking, free = db.session.get(
            Consultation, open_consultation).questions
        ids = single.id, [o.id for o in single.options], scale.id, free.id, ranking.id, [
            o.id for o in ranking.options]
    single_id, single_options, scale_id, free_id, ranking_id, ranking_options = ids
    draft = post(client, url, {"action": "draft", f"q{free_id}": "Half done"})
    assert draft.status_code == 302 and draft.headers["Location"].endswith("/questionnaire")
    again = client.get(url)
    assert "Your draft was saved" in again.text and "Half done" in again.text
    # Sending without the required answers: errors next to the questions, text kept.
    missing = post(client, url, {"action": "submit", f"q{free_id}": "Half done"})
    assert missing.status_code == 422
    assert missing.text.count("Please answer this question.") == 4  # summary and fields
    assert missing.text.count('class="field-error"') == 2
    assert f'id="q{single_id}-error"' in missing.text and "Half done" in missing.text
    assert 'aria-invalid="true"' in missing.text
    answers = {"action": "submit", f"q{single_id}": str(single_options[1]),
               f"q{scale_id}": "3", f"q{free_id}": "All done"}
    answers.update({f"q{ranking_id}-{oid}": str(rank)
                    for rank, oid in enumerate(ranking_options, start=1)})
    sent = post(client, url, answers)
    assert sent.status_code == 302
    assert "Thank you, your answers are saved" in client.get(sent.headers["Location"]).text
    replay = post(client, url, answers)  # the same form sent again
    assert replay.status_code == 302
    assert count_in(app, ConsultationResponse) == 1
    page = client.get(url)
    assert "You answered on" in page.text and "Save my answers" in page.text
    assert f'value="{single_options[1]}" checked' in page.text
    assert "Save as a draft" not in page.text


@pytest.mark.parametrize(("field", "value", "message"), [
    ("single", "123456", "Please choose one of the options."),
    ("scale", "9", "Please choose a value from 1 to 5."),
    ("free", "é" * 2001, "Your answer is too long"),
])
def test_questionnaire_bad_input(app, client, auth, open_consultation, field, value, message):
    sign_in_new(app, auth)
    with app.app_context():
        from engage.consultations.models import Consultation

        single, _m, scale, _r, free = db.session.get(Consultation, open_consultation).questions
        names = {"single": f"q{single.id}", "scale": f"q{scale.id}", "free": f"q{free.id}"}
    data = {"action": "draft", names[field]: value, names["free"]: value
            if field == "free" else "My kept text"}
    response = post(client, f"/en/consultations/{open_consultation}/questionnaire", data)
    assert response.status_code == 422
    assert message in response.text
    if field != "free":
        assert "My kept text" in response.text
    assert count_in(app, ConsultationResponse) == 0


@pytest.mark.parametrize("status", ["closed", "past_closing", "upcoming"])
def test_questionnaire_when_not_open(app, client, auth, status):
    sign_in_new(app, auth)
    with stored(app):
        item_id = builders.consultation(status, with_questions=True).id
    url = f"/en/consultations/{item_id}/questionnaire"
    page = client.get(url)
    assert page.status_code == 403 and "This consultation is not open" in page.text
    response = post(client, url, {"action": "draft"})
    assert response.status_code == 403 and "This consultation is not open" in response.text
    assert count_in(app, ConsultationResponse) == 0


def test_questionnaire_wrong_audience(app, client, auth):
    sign_in_new(app, auth)
    with stored(app):
        item_id = builders.consultation("open", with_questions=True,
                                        audience=Audience.REPRESENTATIVES).id
    response = post(client, f"/en/consultations/{item_id}/questionnaire", {"action": "draft"})
    assert response.status_code == 403
    assert "for patient representatives only" in response.text
    assert count_in(app, ConsultationResponse) == 0


def test_no_questionnaire_no_page(app, client, auth):
    sign_in_new(app, auth)
    with stored(app):
        item_id = builders.consultation("open").id
    assert client.get(f"/en/consultations/{item_id}/questionnaire").status_code == 404


# Taking part: contributions


def _contribution_form(client, item_id):
    page = client.get(f"/en/consultations/{item_id}")
    return {"submission_key": hidden_value(page.text, "submission_key")}


def test_contribute(app, client, auth, open_consultation):
    sign_in_new(app, auth)
    data = _contribution_form(client, open_consultation)
    data["body"] = "**Fatigue** lasts."
    response = post(client, f"/en/consultations/{open_consultation}/contributions", data)
    assert response.status_code == 302 and "#contribution-" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert "Thank you, your contribution is published." in page.text
    assert "<strong>Fatigue</strong> lasts." in page.text
    # The same form sent again (double click, replay): still one contribution.
    replay = post(client, f"/en/consultations/{open_consultation}/contributions", data)
    assert replay.status_code == 302
    assert "already been sent" in client.get(replay.headers["Location"]).text
    assert count_in(app, Contribution) == 1
    with app.app_context():
        assert db.session.scalar(select(Contribution.language)) == "en"


@pytest.mark.parametrize(("body", "theme", "message"), [
    ("", "", "Please write your contribution."),
    ("   ", "", "Please write your contribution."),
    ("Too long " * 600, "",
     "This text has 5,400 characters; the limit is 5,000. Please shorten it by 400 characters."),
    ("Fine text", "999", "Not a valid choice"),
])
def test_contribution_bad_input(app, client, auth, open_consultation, body, theme, message):
    sign_in_new(app, auth)
    data = _contribution_form(client, open_consultation)
    data.update(body=body, theme=theme)
    response = post(client, f"/en/consultations/{open_consultation}/contributions", data)
    assert response.status_code == 422
    assert message in response.text
    assert 'class="error-summary"' in response.text
    if body.strip():
        assert body.strip()[:50] in response.text  # the text is kept
    assert count_in(app, Contribution) == 0


@pytest.mark.parametrize(("status", "audience", "message"), [
    ("closed", Audience.EVERYONE, "This consultation is not open"),
    ("past_closing", Audience.EVERYONE, "This consultation is not open"),
    ("open", Audience.REPRESENTATIVES, "for patient representatives only"),
])
def test_contribution_refused(app, client, auth, status, audience, message):
    sign_in_new(app, auth)
    with stored(app):
        item_id = builders.consultation(status, audience=audience).id
    response = post(client, f"/en/consultations/{item_id}/contributions",
                    {"body": "My kept words"})
    assert response.status_code == 403
    assert message in response.text and "My kept words" in response.text
    assert count_in(app, Contribution) == 0


def test_blocked_author_cannot_contribute(app, client, auth, open_consultation):
    sign_in_new(app, auth, "blocked")
    response = post(client, f"/en/consultations/{open_consultation}/contributions",
                    {"body": "Hello"})
    assert response.status_code == 403 and "cannot take part" in response.text
    assert count_in(app, Contribution) == 0


def test_contribute_needs_sign_in(client, open_consultation):
    response = post(client, f"/en/consultations/{open_consultation}/contributions",
                    {"body": "Hello"})
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_post_on_behalf_of_an_association(app, client, auth, open_consultation):
    user_id = sign_in_new(app, auth, "representative")
    with stored(app):
        from engage.accounts.models import User

        association_id = builders.association(
            "Ensemble", representative=db.session.get(User, user_id)).id
    page = client.get(f"/en/consultations/{open_consultation}")
    assert "Post as" in page.text and "Ensemble" in page.text
    data = _contribution_form(client, open_consultation)
    data.update(body="Our members ask for more research.", post_as=str(association_id))
    response = post(client, f"/en/consultations/{open_consultation}/contributions", data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Contribution.association_id)) == association_id
    # Posting for an association one does not represent: refused.
    data = _contribution_form(client, open_consultation)
    data.update(body="Again", post_as=str(association_id))
    second = post(client, f"/en/consultations/{open_consultation}/contributions", data)
    assert second.status_code == 422 and "already given its position" in second.text


def test_pre_moderated_contribution_waits(app, client, auth):
    sign_in_new(app, auth)
    with stored(app):
        item_id = builders.consultation("open", policy=ModerationPolicy.PRE).id
    data = _contribution_form(client, item_id)
    data["body"] = "Waiting text"
    response = post(client, f"/en/consultations/{item_id}/contributions", data)
    page = client.get(response.headers["Location"])
    assert "will be published once a moderator has checked it" in page.text
    assert "Only you can see this for now" in page.text


# Replies, edits, deletion, history


@pytest.fixture
def thread(app):
    with stored(app):
        item = builders.consultation("open")
        author = builders.user(display_name="Author")
        parent = builders.contribution(item, author, "Original words")
        return {"item": item.id, "parent": parent.id, "author": author.email}


def test_reply(app, client, auth, thread):
    sign_in_new(app, auth)
    url = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    page = client.get(url)
    assert "Reply to Author" in page.text
    key = hidden_value(page.text, "submission_key")
    empty = post(client, f"{url}/replies", {"body": " ", "submission_key": key})
    assert empty.status_code == 422 and "Please write your reply." in empty.text
    long = post(client, f"{url}/replies", {"body": "x" * 2001, "submission_key": key})
    assert long.status_code == 422 and "has 2,001 characters; the limit is 2,000" in long.text
    sent = post(client, f"{url}/replies", {"body": "I agree", "submission_key": key})
    assert sent.status_code == 302
    post(client, f"{url}/replies", {"body": "I agree", "submission_key": key})
    assert count_in(app, Contribution) == 2
    assert "I agree" in client.get(url).text
    with app.app_context():
        reply_id = db.session.scalar(select(func.max(Contribution.id)))
    nested = post(client, f"/en/consultations/{thread['item']}/contributions/{reply_id}/replies",
                  {"body": "Nested"})
    assert nested.status_code == 403
    assert count_in(app, Contribution) == 2


def test_reply_when_closed(app, client, auth, thread):
    sign_in_new(app, auth)
    with stored(app):
        from engage.consultations.models import Consultation

        db.session.get(Consultation, thread["item"]).close()
    url = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    response = post(client, f"{url}/replies", {"body": "Too late"})
    assert response.status_code == 403 and "This consultation is not open" in response.text
    assert count_in(app, Contribution) == 1


def test_edit_own_contribution_and_history(app, client, auth, thread):
    auth.sign_in(thread["author"])
    base = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    form = client.get(f"{base}/edit")
    assert form.status_code == 200 and "Original words" in form.text
    too_long = post(client, f"{base}/edit", {"body": "y" * 5001})
    assert too_long.status_code == 422
    assert "has 5,001 characters; the limit is 5,000" in too_long.text
    saved = post(client, f"{base}/edit", {"body": "Better words"})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"])
    assert "Better words" in page.text and "edited" in page.text
    history = client.get(f"{base}/history")
    assert history.status_code == 200 and "Original words" in history.text
    assert count_in(app, ContributionRevision) == 1


def test_others_cannot_edit_delete_or_see_history(app, client, auth, thread):
    sign_in_new(app, auth)
    base = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    assert client.get(f"{base}/edit").status_code == 403
    assert post(client, f"{base}/edit", {"body": "Hacked"}).status_code == 403
    assert client.get(f"{base}/delete").status_code == 403
    assert post(client, f"{base}/delete").status_code == 403
    assert client.get(f"{base}/history").status_code == 403


def test_moderators_see_the_history(app, client, auth, thread):
    sign_in_new(app, auth, "moderator")
    base = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    assert client.get(f"{base}/history").status_code == 200


def test_delete_own_contribution(app, client, auth, thread):
    auth.sign_in(thread["author"])
    base = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    confirm = client.get(f"{base}/delete")
    assert confirm.status_code == 200 and "This cannot be undone" in confirm.text
    deleted = post(client, f"{base}/delete")
    assert deleted.status_code == 302
    page = client.get(deleted.headers["Location"])
    assert "Your contribution has been deleted." in page.text
    assert "Original words" not in page.text


# Support, reports, following


def test_support_and_withdraw(app, client, auth, thread):
    sign_in_new(app, auth)
    base = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    back = f"/en/consultations/{thread['item']}#contribution-{thread['parent']}"
    first = post(client, f"{base}/support", {"next": back})
    assert first.status_code == 302 and first.headers["Location"].endswith(back)
    assert "You support this contribution." in client.get(first.headers["Location"]).text
    post(client, f"{base}/support")  # a double click
    assert count_in(app, ContributionSupport) == 1
    assert "Withdraw my support" in client.get(f"/en/consultations/{thread['item']}").text
    post(client, f"{base}/withdraw-support")
    assert count_in(app, ContributionSupport) == 0
    outside = post(client, f"{base}/support", {"next": "https://evil.example/"})
    assert outside.headers["Location"].endswith("/en/consultations/")


def test_cannot_support_ones_own_contribution(app, client, auth, thread):
    auth.sign_in(thread["author"])
    base = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"
    response = post(client, f"{base}/support")
    assert "You cannot support your own contribution." in client.get(
        response.headers["Location"]).text
    assert count_in(app, ContributionSupport) == 0


def test_report(app, client, auth, thread):
    sign_in_new(app, auth)
    url = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}/report"
    form = client.get(url)
    assert form.status_code == 200
    for reason in ("Spam or advertising", "Discloses personal health information",
                   "Medical misinformation", "Off-topic", "Other reason"):
        assert reason in form.text
    other = post(client, url, {"reason": "other", "details": ""})
    assert other.status_code == 422 and "Please say why you are reporting this." in other.text
    unknown = post(client, url, {"reason": "boring"})
    assert unknown.status_code == 422
    sent = post(client, url, {"reason": "other", "details": "Looks like an advert"})
    assert sent.status_code == 302
    assert "The moderators will look at this contribution." in client.get(
        sent.headers["Location"]).text
    again = post(client, url, {"reason": "spam"})
    assert again.status_code == 422 and "already reported" in again.text
    assert count_in(app, Report) == 1


def test_report_own_contribution_is_refused(app, client, auth, thread):
    auth.sign_in(thread["author"])
    url = f"/en/consultations/{thread['item']}/contributions/{thread['parent']}/report"
    assert client.get(url).status_code == 403


def test_follow_and_unfollow(app, client, auth, open_consultation):
    sign_in_new(app, auth)
    followed = post(client, f"/en/consultations/{open_consultation}/follow")
    assert followed.status_code == 302
    page = client.get(followed.headers["Location"])
    assert "You follow this consultation" in page.text and "Stop following" in page.text
    post(client, f"/en/consultations/{open_consultation}/follow")
    unfollowed = post(client, f"/en/consultations/{open_consultation}/unfollow")
    assert "You no longer follow this consultation." in client.get(
        unfollowed.headers["Location"]).text


def test_follow_a_summarized_consultation_is_forbidden(app, client, auth):
    sign_in_new(app, auth)
    with stored(app):
        item_id = builders.consultation("summarized").id
    assert post(client, f"/en/consultations/{item_id}/follow").status_code == 403


@pytest.mark.parametrize("path", ["follow", "unfollow", "contributions/1/support",
                                  "contributions/1/withdraw-support", "questionnaire"])
def test_posts_without_csrf_token_are_refused(app, client, auth, thread, path):
    sign_in_new(app, auth)
    response = client.post(f"/en/consultations/{thread['item']}/{path}",
                           data={"body": "x", "action": "draft"})
    assert response.status_code in (400, 404)
    assert count_in(app, ContributionSupport) == 0


def test_thread_of_a_deleted_contribution(app, client):
    from engage.core.db import utcnow

    with stored(app):
        item = builders.consultation("open")
        author = builders.user(display_name="Gone Author")
        parent = builders.contribution(item, author, "", deleted_at=utcnow())
        builders.contribution(item, builders.user(), "Reply that stays", parent_id=parent.id)
        ids = item.id, parent.id
    page = client.get(f"/en/consultations/{ids[0]}/contributions/{ids[1]}")
    assert page.status_code == 200
    assert "<h1>Deleted contribution</h1>" in page.text and "Reply that stays" in page.text
    assert "Gone Author" not in page.text
