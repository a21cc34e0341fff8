"""The chain, in a real browser: a contributor whose words a commitment cites signs in, reads
in My space's notifications that the network responded, follows the notification to the
commitment, follows the commitment, goes on to the call that takes it up and its funded
project, and back to their own contribution, whose page tells what came of it. Then a
visitor on a phone goes from the home page to « Ce que vos avis ont changé » in one click
and filters it by status. axe-core checks every page visited.

Locators name links by their address and buttons by their place, so that one journey
reads the same in both languages; the words checked are the data's, in the page's
language."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from engage.accountability import services
from engage.accountability.models import Follow
from engage.core.notifications import Notification
from engage.extensions import db
from engage.reviews.models import Decision
from tests.browser.conftest import DESKTOP, PHONE, AccessibilityAudit
from tests.conftest import empty_tables
from tests.factories import accountability as build
from tests.factories import consultations
from tests.factories import summaries as summary_factory
from tests.factories.users import PASSWORD

WORDS = "The bus to the hospital takes two hours each way"
CALL = "Moving after treatment"  # a call's title, the same in both languages here
TITLES = {
    "fr": {"commitment": "Rembourser les transports", "done": "Publier un guide",
           "project": "Marcher après une chimiothérapie"},
    "en": {"commitment": "Pay travel costs back", "done": "Publish a guide",
           "project": "Walking after chemotherapy"},
}


@pytest.fixture(scope="module")
def chain(live_app):
    """A closed consultation whose published summary cites the contributor's words; the
    network's published response (one commitment in progress citing them, one done); a
    decided call taking the first up, with a published project and its update."""
    with live_app.test_request_context("/en/"):
        officer = build.officer()
        contributor = build.user("participant", display_name="Camille Contributor",
                                 email="camille-chain@example.org")
        other = build.user("participant")
        moderator = build.user("moderator")
        consultation = consultations.consultation("closed", author=moderator)
        words = consultations.contribution(consultation, contributor, WORDS, language="en")
        more = consultations.contribution(consultation, other, "Parking costs a lot",
                                          language="en")
        summary = summary_factory.published(moderator, consultation, [words, more])
        response, _created = services.start_response(officer, summary=summary)
        commitment = services.add_commitment(officer, response, build.commitment_input(
            texts={"en": (TITLES["en"]["commitment"], f"We will pay it back [#{words.id}]."),
                   "fr": (TITLES["fr"]["commitment"], f"Nous rembourserons [#{words.id}].")},
            status="in_progress", starts_on=build.some_day()))
        services.add_commitment(officer, response, build.commitment_input(
            texts={"en": (TITLES["en"]["done"], "A guide."),
                   "fr": (TITLES["fr"]["done"], "Un guide.")},
            status="done", done_on=build.some_day(3)))
        services.publish(officer, response)  # tells the contributor
        call = build.decided_call(5, decisions=(Decision.FUNDED,),
                                  title=CALL)
        services.link_call(officer, call, commitment=commitment)
        [project] = services.create_funded_projects(officer, call)
        services.edit_project(officer, project, texts={
            "en": (TITLES["en"]["project"], "We will see whether walking helps."),
            "fr": (TITLES["fr"]["project"], "La marche aide-t-elle ?")},
            institution="Institut Curie")
        services.publish_project(officer, project)
        services.add_project_update(officer, project, kind="started",
                                    texts={"en": "Started.", "fr": "Commencé."},
                                    happened_on=build.some_day(5))
        db.session.commit()
        told = db.session.scalars(select(Notification.kind).where(
            Notification.user_id == contributor.id)).all()
        data = {"email": contributor.email, "user_id": contributor.id,
                "consultation": consultation.id, "words": words.id,
                "commitment": commitment.id, "project": project.id, "call": call.id,
                "told": told}
    yield data
    empty_tables(live_app)


@pytest.fixture(autouse=True)
def _clean_live_database():
    """The module's world is shared: `not_following` puts back what a journey did."""
    yield


@pytest.fixture
def not_following(live_app, chain):
    with live_app.app_context():
        db.session.execute(delete(Follow))
        db.session.commit()
    return chain


def _sign_in(page, audit, live_server, lang, email):
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state("load")
    audit.check()


def _go(page, audit, link):
    expect(link).to_be_visible()
    link.click()
    page.wait_for_load_state("load")
    audit.check()


def _fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


# 1280-fr and 390×844-en: each journey takes 10 to 13 s; the four screens and languages
# (tests.browser.conftest.JOURNEYS) were walked once and pass, at 45 s in all.
@pytest.mark.parametrize(("screen", "lang"), [(DESKTOP, "fr"), (PHONE, "en")],
                         ids=["1280-fr", "390x844-en"])
def test_a_contributor_follows_the_chain_and_a_visitor_finds_it(
        browser, live_app, live_server, not_following, screen, lang):
    data, titles = not_following, TITLES[lang]
    assert "commitment_response" in data["told"]
    context = browser.new_context(viewport=screen, locale=f"{lang}-FR", bypass_csp=True)
    page = context.new_page()
    audit = AccessibilityAudit(page)
    _sign_in(page, audit, live_server, lang, data["email"])

    # My space's notifications: the network responded, with a link to the commitment.
    page.goto(f"{live_server}/{lang}/my-space/notifications")
    audit.check()
    commitment_url = f"/{lang}/impact/commitments/{data['commitment']}"
    told = page.locator("li.notification").filter(has_text=titles["commitment"])
    expect(told).to_have_count(1)
    _go(page, audit, told.locator(f'a[href$="{commitment_url}"]'))
    expect(page.get_by_role("heading", level=1)).to_have_text(titles["commitment"])
    expect(page.locator("blockquote").filter(has_text=WORDS)).to_be_visible()
    _fits(page, screen)

    # Follow it: the page comes back at its follow box, which now offers to stop.
    follow = page.locator("#follow form")
    expect(follow).to_have_attribute("action", f"{commitment_url}/follow")
    follow.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    audit.check()
    assert page.url.endswith("#follow")
    expect(page.locator("#follow form")).to_have_attribute(
        "action", re.compile(r"/unfollow$"))
    with live_app.app_context():
        assert db.session.scalar(select(Follow.user_id).where(
            Follow.commitment_id == data["commitment"])) == data["user_id"]

    # On to the call that takes it up, and its funded project.
    calls = page.locator("#calls")
    expect(calls).to_contain_text(CALL)
    _go(page, audit, calls.locator(f'a[href="/{lang}/impact/projects/{data["project"]}"]'))
    expect(page.get_by_role("heading", level=1)).to_have_text(titles["project"])
    expect(page.locator(".lay-review-fact")).to_contain_text("5")
    _fits(page, screen)

    # And back to the words: their own contribution, which tells what came of it.
    contribution_url = (f"/{lang}/consultations/{data['consultation']}/contributions/"
                        f"{data['words']}")
    _go(page, audit, page.locator(f'.way-back a[href="{contribution_url}"]'))
    chain_section = page.locator("section.chain")
    expect(chain_section.locator(f'a[href="{commitment_url}"]')).to_contain_text(
        titles["commitment"])
    expect(chain_section).to_contain_text(CALL)
    expect(chain_section.locator(f'a[href="{commitment_url}#call-{data["call"]}"]')) \
        .to_contain_text("1")
    _fits(page, screen)
    audit.assert_every_page_checked()
    context.close()

    # A visitor on a phone: from the home page to the impact page in one click, then a filter.
    visitor = browser.new_context(viewport=PHONE, locale=f"{lang}-FR", bypass_csp=True)
    page = visitor.new_page()
    audit = AccessibilityAudit(page)
    page.goto(f"{live_server}/{lang}/")
    audit.check()
    way_in = page.locator(f'#home-impact ~ p a[href="/{lang}/impact/"]')
    _go(page, audit, way_in)
    assert page.url == f"{live_server}/{lang}/impact/"
    expect(page.locator("#figures-heading")).to_be_visible()
    listed = page.locator(".record-list h4")
    expect(listed).to_have_count(3)  # two commitments, one project
    page.locator("#filter-status").select_option("done")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("load")
    audit.check()
    assert "status=done" in page.url
    expect(page.locator("#filter-status")).to_have_value("done")
    expect(listed).to_have_count(1)
    expect(listed.first).to_have_text(titles["done"])
    _fits(page, PHONE)
    audit.assert_every_page_checked()
    visitor.close()
