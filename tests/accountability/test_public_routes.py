"""The public record through the test client: « Ce que vos avis ont changé » with its filters
and pages, a commitment's and a funded project's pages (the chain both ways), following,
update documents, the chain from a contribution's page and the home page's way in. Drafts
are 404 to the public; nothing confidential of lay review reaches a page."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from engage.accountability import services
from engage.accountability.models import Commitment, Follow, FundedProject
from engage.accountability.routes import public
from engage.accounts.models import User
from engage.core.db import utcnow
from engage.core.moderated import ModerationStatus
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion
from engage.reviews.models import Assignment, Decision, FundingCall
from tests.conftest import empty_tables
from tests.factories import accountability as build
from tests.factories import consultations, stored
from tests.factories import summaries as summary_factory
from tests.factories.users import association
from tests.helpers import Auth, csrf_token, main_part

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = date(2026, 3, 2)
TRAVEL = "The trip to the hospital costs far too much for my family"
TIRED = "After the treatment I am tired all day long"
HIDDEN = "My neighbour Jeanne Secretname takes me there"
POSITION = "Our association asks that transport be paid back"


def _theme(fr: str, en: str):
    from engage.consultations.models import Theme, ThemeTranslation

    found = db.session.scalar(select(Theme).join(ThemeTranslation).where(
        ThemeTranslation.language == "fr", ThemeTranslation.label == fr))
    return found or consultations.theme(fr, en)


def _pdf(name="progress-report.pdf"):
    return FileStorage(io.BytesIO(PDF), filename=name)


def build_world(app) -> dict:
    """A summary's published response (a commitment in progress citing three contributions,
    one of them hidden, with a progress update and a correction; one not retained; one done),
    a response to priority results, a draft response, a decided call taking up the first
    commitment and a priority with one published and one draft project, a second call of
    four lay reviewers with a published project."""
    with stored(app), app.test_request_context("/en/"):
        officer = build.officer(email="officer-public@example.org")
        contributor = build.user("participant", display_name="Camille Contributor",
                                 email="camille@example.org")
        other = build.user("participant", display_name="Dominique Dupont")
        follower = build.user("participant", email="follower@example.org")
        transport, fatigue = _theme("Transport", "Transport"), _theme("Fatigue", "Tiredness")
        moderator = build.user("moderator")
        consultation = consultations.consultation("closed", author=moderator,
                                                  themes=[transport, fatigue])
        travel = consultations.contribution(consultation, contributor, TRAVEL, language="en",
                                            theme_id=transport.id)
        tired = consultations.contribution(consultation, other, TIRED, language="en",
                                           theme_id=fatigue.id)
        hidden = consultations.contribution(consultation, other, HIDDEN, language="en",
                                            moderation_status=ModerationStatus.HIDDEN)
        speaker = build.user("representative")
        position = consultations.contribution(
            consultation, speaker, POSITION, language="en",
            association_id=association("Transport for patients", speaker).id)
        uncited = consultations.contribution(consultation, other, "Nobody cites me",
                                             language="en")
        summary = summary_factory.published(moderator, consultation, [travel, tired])

        response, _created = services.start_response(officer, summary=summary)
        paid_back = services.add_commitment(officer, response, build.commitment_input(
            texts={"en": ("Pay travel costs back",
                          f"We will pay travel back [#{travel.id}] [#{hidden.id}] "
                          f"[#{position.id}]."),
                   "fr": ("Rembourser les transports", f"Nous rembourserons [#{travel.id}].")},
            owner="Patient office", starts_on=date(2026, 1, 5), due_on=date(2026, 12, 31)))
        dropped = services.add_commitment(officer, response, build.commitment_input(
            texts={"en": ("Open a night clinic", "A clinic at night."),
                   "fr": ("Ouvrir une consultation de nuit", "Une consultation la nuit.")},
            status="not_retained", reasons={"en": "No staff can be found at night.",
                                            "fr": "Aucune équipe disponible la nuit."}))
        done = services.add_commitment(officer, response, build.commitment_input(
            texts={"en": ("Publish a transport guide", f"A guide [#{tired.id}]."),
                   "fr": ("Publier un guide des transports", "Un guide.")},
            status="done", done_on=date(2026, 2, 1)))
        services.publish(officer, response)
        services.add_update(officer, paid_back, texts={"en": "The first refunds were paid.",
                                                       "fr": "Les premiers remboursements."},
                            happened_on=DAY, status="in_progress",
                            links=[("https://example.org/refunds", "The refund form")],
                            documents=[("Progress report", _pdf())])
        services.correct(officer, paid_back, texts={"en": "The refunds started in March."},
                         happened_on=date(2026, 3, 10))

        exercise = build.exercise(questions=2)
        questions = db.session.scalars(select(IndicativeQuestion).where(
            IndicativeQuestion.exercise_id == exercise.id)
            .order_by(IndicativeQuestion.number)).all()
        on_priorities = build.response(officer, exercise=exercise, publish=False)
        services.edit_commitment(officer, on_priorities.commitments[0], build.commitment_input(
            "Fund research on walking", title_fr="Financer la recherche sur la marche",
            question_ids=[questions[0].id]))
        services.publish(officer, on_priorities)
        draft = build.response(officer, exercise=build.exercise(questions=1), publish=False)

        call = build.decided_call(5, decisions=(Decision.FUNDED, Decision.FUNDED),
                                  title="Moving after treatment")
        services.link_call(officer, call, commitment=paid_back)
        services.link_call(officer, call, question=questions[0])
        first, second = services.create_funded_projects(officer, call)
        services.edit_project(officer, first, texts={
            "en": ("Walking after chemotherapy", "We will see whether walking helps."),
            "fr": ("Marcher après une chimiothérapie", "La marche aide-t-elle ?")},
            institution="Institut Curie")
        services.publish_project(officer, first)
        services.add_project_update(officer, first, kind="started",
                                    texts={"en": "The project started."}, happened_on=DAY)
        small = build.decided_call(4, title="Sleeping after cancer")
        [few] = services.create_funded_projects(officer, small)
        services.publish_project(officer, few)
        reviewers = db.session.execute(select(User.display_name, User.email).join(
            Assignment, Assignment.reviewer_id == User.id)).all()
        return {
            "officer": officer.email, "contributor": contributor.email,
            "follower": follower.email, "follower_id": follower.id,
            "consultation": consultation.id,
            "summary": summary.id, "travel": travel.id, "tired": tired.id,
            "hidden": hidden.id, "position": position.id, "uncited": uncited.id,
            "transport": transport.id, "fatigue": fatigue.id,
            "paid_back": paid_back.id, "dropped": dropped.id, "done": done.id,
            "on_priorities": on_priorities.commitments[0].id,
            "draft": draft.commitments[0].id, "exercise": exercise.id,
            "question": questions[0].id, "call": call.id, "project": first.id,
            "unpublished_project": second.id, "few": few.id,
            "document": paid_back.updates[0].documents[0].id,
            "reviewers": [tuple(row) for row in reviewers],
        }


@pytest.fixture
def signed_in(app, client, world):
    def sign_in(email: str):
        response = Auth(app, client).sign_in(email)
        assert response.status_code == 302
        return client
    return sign_in


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return main_part(response.get_data(as_text=True))


def _words(html: str) -> str:
    """The text of `html`, without its tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _titles(html: str) -> list[str]:
    """The titles of the listed commitments and projects, in order."""
    return re.findall(r"<h4><a href=\"[^\"]+\">(?:<span[^>]*>)?([^<]+)", html)


# "What your input changed"


@pytest.mark.parametrize(("lang", "titles"), [
    ("en", ["Pay travel costs back", "Open a night clinic", "Publish a transport guide"]),
    ("fr", ["Rembourser les transports", "Ouvrir une consultation de nuit",
            "Publier un guide des transports"]),
])
def test_the_impact_page_lists_commitments_and_projects(client, world, lang, titles):
    html = _page(client, f"/{lang}/impact/")
    listed = _titles(html)
    # Both responses, newest first; within one, in the response's order; then the projects.
    assert listed[listed.index(titles[0]):listed.index(titles[0]) + 3] == titles
    assert ("Fund research on walking" if lang == "en"
            else "Financer la recherche sur la marche") in listed
    assert len(listed) == 6  # not the draft response's commitment, not the draft project
    project_title = "Walking after chemotherapy" if lang == "en" \
        else "Marcher après une chimiothérapie"
    assert project_title in listed and "Walking after chemotherapy 2" not in listed
    assert "Walking after chemotherapy 1" in listed  # the other call's, in English only
    assert 'id="figures-heading"' in html  # the figures come first
    assert html.index('id="figures-heading"') < html.index('id="record-heading"')
    assert f'href="/{lang}/impact/commitments/{world["paid_back"]}"' in html
    assert f'href="/{lang}/summaries/{world["summary"]}"' in html
    assert f'href="/{lang}/priorities/{world["exercise"]}/results"' in html
    if lang == "fr":  # a text only in English is marked as such
        assert '<span lang="en">Walking after chemotherapy 1</span>' in html


def test_the_impact_page_in_english_says_what_each_item_answers(client, world):
    html = _page(client, "/en/impact/")
    card = _words(html[html.index("Pay travel costs back"):html.index("Open a night clinic")])
    for expected in ("In progress", "Patient office", "started on January 5, 2026",
                     "due by December 31, 2026", "3 contributions cited",
                     "the call “Moving after treatment”: 1 funded project"):
        assert expected in card, expected
    assert "Not retained" in html and "done on February 1, 2026" in html
    assert "4 commitments, 2 funded projects" in html


@pytest.mark.parametrize(("query", "commitments", "projects"), [
    ("status=done", ["Publish a transport guide"], []),
    ("status=in_progress", ["Pay travel costs back"], ["Walking after chemotherapy"]),
    ("status=planned", ["Fund research on walking"], ["Walking after chemotherapy 1"]),
    ("status=not_retained", ["Open a night clinic"], []),
    ("theme={transport}", ["Pay travel costs back"], ["Walking after chemotherapy"]),
    ("theme={fatigue}", ["Publish a transport guide"], []),
    ("year=2019", None, None),  # no such year: ignored
    ("status=nonsense&theme=abc", None, None),  # ignored
    ("theme=99999999999999999999&year=-3&page=-2&projects_page=abc", None, None),
])
def test_the_filters(client, world, query, commitments, projects):
    html = _page(client, "/en/impact/?" + query.format(**world))
    listed = _titles(html)
    every = ["Pay travel costs back", "Open a night clinic", "Publish a transport guide",
             "Fund research on walking"]
    shown = [title for title in listed if title in every]
    found_projects = [title for title in listed if title not in every]
    if commitments is None:
        assert sorted(shown) == sorted(every)
        assert len(found_projects) == 2
        return
    assert shown == commitments
    assert found_projects == projects
    if not projects:
        assert "No funded project matches these filters." in html
    assert "Show everything" in html


def test_the_filters_are_a_form_that_works_without_javascript(client, world):
    html = _page(client, "/en/impact/")
    form = html[html.index('<form method="get"'):html.index("</form>")]
    assert 'action="/en/impact/#record-heading"' in form
    assert re.findall(r'<select id="([a-z-]+)" name="([a-z]+)"', form) == [
        ("filter-status", "status"), ("filter-theme", "theme"), ("filter-year", "year")]
    for field_id in ("filter-status", "filter-theme", "filter-year"):
        assert f'<label for="{field_id}">' in form
    assert f'<option value="{utcnow().year}">' in form
    assert "Tiredness" in form and "Transport" in form
    chosen = _page(client, f"/en/impact/?status=done&year={utcnow().year}")
    assert '<option value="done" selected>' in chosen
    assert f'<option value="{utcnow().year}" selected>' in chosen


def test_long_lists_are_paginated_and_keep_the_filters(client, world, monkeypatch):
    monkeypatch.setattr(public, "PER_PAGE", 2)
    year = utcnow().year
    first = _page(client, f"/en/impact/?year={year}")
    # The newest response first (the priorities'), then the summary's in its order.
    assert _titles(first) == ["Fund research on walking", "Pay travel costs back",
                              "Walking after chemotherapy 1", "Walking after chemotherapy"]
    assert "Page 1 of 2" in first and "4 commitments, 2 funded projects" in first
    assert f'href="/en/impact/?page=2&amp;year={year}"' in first
    second = _page(client, f"/en/impact/?year={year}&page=2")
    assert _titles(second) == ["Open a night clinic", "Publish a transport guide",
                               "Walking after chemotherapy 1", "Walking after chemotherapy"]
    assert f'href="/en/impact/?page=1&amp;year={year}"' in second
    past_the_end = _page(client, f"/en/impact/?year={year}&page=9")
    assert _titles(past_the_end) == _titles(second)
    filtered = _page(client, "/en/impact/?status=planned")
    assert "Page 1 of" not in filtered  # one of each: one page


def test_the_impact_page_reads_a_fixed_number_of_queries(app, client, world, count_queries):
    with count_queries() as before:
        _page(client, "/en/impact/?page=1")
    with app.test_request_context("/en/"):
        officer = db.session.scalar(select(User).where(User.email == world["officer"]))
        more = build.response(officer, exercise=build.exercise(questions=1), commitments=3)
        for commitment in more.commitments:
            services.link_call(officer, db.session.get(FundingCall, world["call"]),
                               commitment=commitment)
        db.session.commit()
    with count_queries() as after:
        html = _page(client, "/en/impact/?page=1")
    assert html.count("Commitment 3") == 1
    assert after.count == before.count


# A commitment's page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_commitment_s_page(client, world, lang):
    html = _page(client, f"/{lang}/impact/commitments/{world['paid_back']}")
    title = "Pay travel costs back" if lang == "en" else "Rembourser les transports"
    assert f"<h1>{title}</h1>" in html
    # Its text cites the contributions still visible, linked to them.
    travel_url = f"/{lang}/consultations/{world['consultation']}/contributions/{world['travel']}"
    assert f'href="{travel_url}"' in html
    assert TRAVEL in html and POSITION in html and "Transport for patients" in html
    assert "Camille Contributor" in html
    # A hidden contribution: neither its words nor its author.
    assert HIDDEN not in html and "Secretname" not in html
    assert f"[#{world['hidden']}]" in html
    # The updates, dated, with their link and document; the correction marked as such.
    assert "https://example.org/refunds" in html and "The refund form" in html
    assert f'href="/{lang}/impact/documents/{world["document"]}"' in html
    assert 'class="update correction"' in html
    assert html.index('datetime="2026-03-02"') < html.index('datetime="2026-03-10"')
    # What it answers and the call that takes it up, with its published project only.
    assert f'href="/{lang}/summaries/{world["summary"]}"' in html
    assert "Moving after treatment" in html
    assert f'href="/{lang}/impact/projects/{world["project"]}"' in html
    assert f"/impact/projects/{world['unpublished_project']}" not in html


def test_a_commitment_s_page_in_english_tells_status_reason_and_priorities(client, world):
    html = _page(client, f"/en/impact/commitments/{world['paid_back']}")
    assert "In progress" in html and "Status now: In progress" in html
    assert "A correction of what was published before" in html
    assert "Progress report" in html
    dropped = _page(client, f"/en/impact/commitments/{world['dropped']}")
    assert "Why it is not retained" in dropped and "No staff can be found at night." in dropped
    french = _page(client, f"/fr/impact/commitments/{world['dropped']}")
    assert "Aucune équipe disponible la nuit." in french
    walking = _page(client, f"/en/impact/commitments/{world['on_priorities']}")
    assert "Question 1?" in walking and "Question 2?" not in walking
    assert f'href="/en/priorities/{world["exercise"]}/questions/{world["question"]}"' in walking
    assert "No funding call takes it up yet." in walking
    assert "No update yet." in walking


def test_drafts_do_not_exist_for_the_public(client, world, signed_in):
    for url in (f"/en/impact/commitments/{world['draft']}",
                f"/en/impact/projects/{world['unpublished_project']}",
                "/en/impact/commitments/999999", "/en/impact/projects/999999"):
        assert client.get(url).status_code == 404, url
    signed_in(world["follower"])
    assert client.get(f"/en/impact/commitments/{world['draft']}").status_code == 404


def test_officers_preview_drafts(client, world, signed_in):
    signed_in(world["officer"])
    html = _page(client, f"/en/impact/commitments/{world['draft']}")
    assert "Preview for network officers" in html and "Commitment 1" in html
    html = _page(client, f"/en/impact/projects/{world['unpublished_project']}")
    assert "Preview for network officers" in html


def test_a_commitment_s_and_a_project_s_pages_read_a_fixed_number_of_queries(
        app, client, world, count_queries):
    pages = [f"/en/impact/commitments/{world['paid_back']}",
             f"/en/impact/projects/{world['project']}"]
    before = []
    for url in pages:
        with count_queries() as counted:
            _page(client, url)
        before.append(counted.count)
    with app.test_request_context("/en/"):
        officer = db.session.scalar(select(User).where(User.email == world["officer"]))
        paid_back = db.session.get(Commitment, world["paid_back"])
        for day in (3, 4):
            services.add_update(officer, paid_back, texts={"en": f"News {day}."},
                                happened_on=date(2026, 4, day),
                                links=[("https://example.org/news", "News")],
                                documents=[("Another report", _pdf())])
        call = db.session.get(FundingCall, world["call"])
        for key in ("done", "dropped"):
            services.link_call(officer, call, commitment=db.session.get(Commitment, world[key]))
        second = build.decided_call(5, title="A second call")
        services.link_call(officer, second, commitment=paid_back)
        for project in services.create_funded_projects(officer, second):
            services.publish_project(officer, project)
        db.session.commit()
    after = []
    for url in pages:
        with count_queries() as counted:
            html = _page(client, url)
        after.append(counted.count)
        assert "A second call" in html or "Publish a transport guide" in html
    assert after == before


# A funded project's page: the way back


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_project_s_page_leads_back_to_the_words(client, world, lang):
    html = _page(client, f"/{lang}/impact/projects/{world['project']}")
    title = "Walking after chemotherapy" if lang == "en" else "Marcher après une chimiothérapie"
    assert f"<h1>{title}</h1>" in html
    assert "Institut Curie" in html and "Moving after treatment" in html
    # The call → the commitment → the summary → the words; and the priority.
    assert f'href="/{lang}/impact/commitments/{world["paid_back"]}"' in html
    assert f'href="/{lang}/summaries/{world["summary"]}"' in html
    travel_url = f"/{lang}/consultations/{world['consultation']}/contributions/{world['travel']}"
    assert f'href="{travel_url}"' in html and TRAVEL in html
    assert HIDDEN not in html
    assert f'href="/{lang}/priorities/{world["exercise"]}/questions/{world["question"]}"' in html
    assert "Question 1?" in html


def test_a_project_s_page_shows_the_lay_review_fact_only(client, world):
    html = _page(client, f"/en/impact/projects/{world['project']}")
    assert "Lay reviewers took part in the selection: 5 reviewers, 1 round." in html
    assert "Under way" in html and "The project started." in html
    few = _page(client, f"/en/impact/projects/{world['few']}")
    assert "Lay reviewers took part in the selection: fewer than 5 reviewers, 1 round." in few
    assert "4 reviewers" not in few
    for page in (html, few):
        for secret in build.CONFIDENTIAL.values():
            assert secret not in page, secret
        assert "score" not in page.lower()
        for name, email in world["reviewers"]:
            assert email not in page
            assert not re.search(re.escape(name) + r"(?!\d)", page), name


# Following


@pytest.mark.parametrize(("kind", "key", "endpoint"), [
    ("commitments", "paid_back", "commitments"), ("projects", "project", "projects")])
def test_follow_and_unfollow(app, client, world, signed_in, kind, key, endpoint):
    signed_in(world["follower"])
    page_url = f"/en/impact/{endpoint}/{world[key]}"
    page = client.get(page_url)
    assert "Follow it to be told of each update" in page.get_data(as_text=True)
    response = client.post(f"/en/impact/{kind}/{world[key]}/follow",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{page_url}#follow")
    column = Follow.commitment_id if kind == "commitments" else Follow.project_id
    with app.app_context():
        assert db.session.scalar(select(Follow.user_id).where(column == world[key])) \
            == world["follower_id"]
    page = client.get(page_url)
    assert "Stop following" in page.get_data(as_text=True)
    # Twice is once.
    assert client.post(f"/en/impact/{kind}/{world[key]}/follow",
                       data={"csrf_token": csrf_token(page)}).status_code == 302
    response = client.post(f"/en/impact/{kind}/{world[key]}/unfollow",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Follow.id).where(column == world[key])) is None
    assert "Follow it to be told" in client.get(page_url).get_data(as_text=True)


def test_following_is_refused_where_it_must_be(app, client, world, signed_in):
    url = f"/en/impact/commitments/{world['paid_back']}/follow"
    # A visitor sees a link to sign in, and a post sends them there.
    page = _page(client, f"/en/impact/commitments/{world['paid_back']}")
    assert "Sign in to follow it" in page and 'name="csrf_token"' not in page
    response = client.post(url, data={"csrf_token": csrf_token(client.get("/en/account/sign-in"))})
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    signed_in(world["follower"])
    page = client.get(f"/en/impact/commitments/{world['paid_back']}")
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    token = csrf_token(page)
    assert client.post(f"/en/impact/commitments/{world['draft']}/follow",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(f"/en/impact/projects/{world['unpublished_project']}/follow",
                       data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Follow.id)) is None


# Documents


def test_update_documents_are_downloads(client, world):
    response = client.get(f"/en/impact/documents/{world['document']}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data == PDF
    assert "attachment" in response.headers["Content-Disposition"]
    response.close()
    assert client.get("/en/impact/documents/999999").status_code == 404


# The chain from a contribution


def test_the_chain_from_a_contribution(client, world):
    url = f"/en/consultations/{world['consultation']}/contributions/{world['travel']}"
    html = _page(client, url)
    chain = html[html.index("What came of it"):]
    assert chain.index("Cited in") < chain.index("Pay travel costs back") \
        < chain.index("Moving after treatment")
    assert f'href="/en/summaries/{world["summary"]}"' in chain
    assert f'href="/en/impact/commitments/{world["paid_back"]}"' in chain
    assert "In progress" in chain and "(it cites this contribution)" in chain
    assert "taken up by the call “Moving after treatment” → 1 funded project" in _words(chain)
    # The summary cites it: every commitment of the response answers it.
    assert "Open a night clinic" in chain and "Publish a transport guide" in chain
    assert "Fund research on walking" not in chain


def test_the_chain_of_a_contribution_only_a_commitment_cites(client, world):
    url = f"/en/consultations/{world['consultation']}/contributions/{world['position']}"
    chain = _page(client, url)
    chain = chain[chain.index("What came of it"):]
    assert "Answered in the network’s response to" in chain
    assert "Pay travel costs back" in chain and "Open a night clinic" not in chain


def test_no_chain_for_a_contribution_nothing_answers(client, world):
    url = f"/en/consultations/{world['consultation']}/contributions/{world['uncited']}"
    assert "What came of it" not in _page(client, url)


def test_the_chain_reads_a_fixed_number_of_queries(app, client, world, count_queries):
    url = f"/en/consultations/{world['consultation']}/contributions/{world['travel']}"
    with count_queries() as before:
        _page(client, url)
    with app.test_request_context("/en/"):
        officer = db.session.scalar(select(User).where(User.email == world["officer"]))
        call = build.decided_call(5, title="A second call")
        services.link_call(officer, call,
                           commitment=db.session.get(Commitment, world["done"]))
        for project in services.create_funded_projects(officer, call):
            services.publish_project(officer, project)
        db.session.commit()
    with count_queries() as after:
        html = _page(client, url)
    assert "taken up by the call “A second call” → 1 funded project" in _words(html)
    assert after.count == before.count


def test_the_chain_follows_a_new_project_with_the_caches_on(app, client, world):
    url = f"/en/consultations/{world['consultation']}/contributions/{world['travel']}"
    app.config["AGGREGATE_CACHE_SECONDS"] = 300
    try:
        assert "1 funded project" in _page(client, url)
        with app.test_request_context("/en/"):
            officer = db.session.scalar(select(User).where(User.email == world["officer"]))
            services.publish_project(officer, db.session.get(
                FundedProject, world["unpublished_project"]))
            db.session.commit()
        assert "2 funded projects" in _page(client, url)
    finally:
        app.config.pop("AGGREGATE_CACHE_SECONDS")


# The home page


def test_the_home_page_leads_to_the_impact_page_in_one_click(client, world):
    html = _page(client, "/en/")
    section = html[html.index('id="home-impact"'):]
    assert "The network has made 4 commitments in response to what people said (1 done)" \
        in section
    assert 'href="/en/impact/"' in section


# Without anything published (last: it empties the shared world's tables)


def test_empty_states_are_worded_for_people(app, client):
    empty_tables(app)
    html = _page(client, "/en/impact/")
    assert "The network has not published any commitment yet." in html
    assert "No funded project is published yet." in html
    assert "0 commitments, 0 funded projects" in html


@pytest.mark.parametrize(("lang", "dropped", "why"), [
    ("en", "Open a night clinic", "Why: No staff can be found at night."),
    # (_words makes the non-breaking space before the colon a plain one.)
    ("fr", "Ouvrir une consultation de nuit", "Pourquoi : Aucune équipe disponible la nuit."),
])
def test_the_outcome_report_lists_the_network_s_commitments(client, world, lang, dropped, why):
    html = _page(client, f"/{lang}/summaries/{world['summary']}")
    words = _words(html)
    assert 'id="network-commitments"' in html
    assert dropped in words and why in words
    for key in ("paid_back", "dropped", "done"):
        assert f'href="/{lang}/impact/commitments/{world[key]}"' in html
    # The response section says where they are, not "awaited".
    assert "awaited" not in words and "attendue" not in words
