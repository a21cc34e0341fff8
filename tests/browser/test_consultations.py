"""A participant takes part in a consultation, in English, in a real browser."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from engage.accounts.models import User
from engage.consultations.demo import load_demo
from engage.consultations.models import (
    ConsultationResponse,
    ConsultationTranslation,
    Contribution,
)
from engage.core.commands import DEMO_PASSWORD
from engage.core.moderated import Report
from engage.demo import load_accounts
from engage.extensions import db
from tests.browser.conftest import SCREENS, header_link


def _load_demo(live_app):
    with live_app.app_context():
        load_accounts(DEMO_PASSWORD)
        load_demo()
        db.session.commit()


@SCREENS
def test_participant_answers_contributes_replies_supports_reports_and_reads_results(
    page, live_server, live_app, audit, screen
):
    page.set_viewport_size(screen)
    _load_demo(live_app)
    page.goto(f"{live_server}/en/consultations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    audit.check()

    header_link(page, "Sign in").click()
    audit.check()
    page.get_by_label("Email address").fill("participant@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome, Jane Participant.")).to_be_visible()
    audit.check()

    # The consultation, in English.
    page.goto(f"{live_server}/en/consultations/")
    audit.check()
    page.get_by_role("link", name="Living after cancer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Living after cancer")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check()

    # The questionnaire: a first try without the required answers.
    page.get_by_role("link", name="Answer the questionnaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire")
    audit.check()
    page.get_by_label("What would you like to tell researchers?").fill("Listen to carers.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Please answer this question.")
    expect(page.get_by_label("What would you like to tell researchers?")).to_have_value(
        "Listen to carers.")
    audit.check()
    page.get_by_role("radio", name="Carer").check()
    page.get_by_role("checkbox", name="Lasting fatigue").check()
    page.get_by_role("checkbox", name="Return to work").check()
    page.get_by_role("radio", name="4", exact=True).check()
    for rank, option in enumerate(["Working life", "Fatigue and sleep", "Cognitive problems",
                                   "Adapted physical activity"], start=1):
        page.get_by_label(option).select_option(str(rank))
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you, your answers are saved.")).to_be_visible()
    audit.check()

    # A contribution.
    contribute = page.get_by_role("region", name="Contribute")
    contribute.get_by_label("Your contribution").fill("Carers need *respite* too.")
    contribute.get_by_label("Theme").select_option(label="Late effects of treatment")
    contribute.get_by_role("button", name="Publish my contribution").click()
    expect(page.get_by_text("Thank you, your contribution is published.")).to_be_visible()
    expect(page.locator("article", has_text="Carers need respite too.")).to_be_visible()
    audit.check()

    # A reply to someone else's contribution.
    page.get_by_role("link", name="Reply to Paul Relecteur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Contribution of Paul Relecteur")
    audit.check()
    page.get_by_label("Your reply").fill("Same for my mother.")
    page.get_by_role("button", name="Publish my reply").click()
    expect(page.get_by_text("Thank you, your reply is published.")).to_be_visible()
    expect(page.get_by_text("Same for my mother.")).to_be_visible()
    audit.check()

    # Support one.
    page.get_by_role("link", name="Living after cancer").click()
    audit.check()
    page.get_by_role("button", name="Support the contribution of Alice Admin").click()
    expect(page.get_by_text("You support this contribution.")).to_be_visible()
    alice = page.locator("article", has=page.get_by_role("heading", name="Alice Admin"))
    expect(alice.locator(".support-count").first).to_have_text("2 supports")
    audit.check()

    # Report one.
    page.get_by_role("link", name="Report the contribution of Rose Représentante").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a contribution")
    audit.check()
    page.get_by_role("radio", name="Off-topic").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("The moderators will look at this contribution.")).to_be_visible()
    audit.check()

    # The results of a closed consultation.
    header_link(page, "Consultations").click()
    audit.check()
    page.get_by_role("link", name="Access to clinical trials").click()
    expect(page.get_by_role("heading", name="Results of the questionnaire")).to_be_visible()
    # 5 people answered: 2 yes, 2 no, 1 "I don't know": too few each, so grouped.
    expect(page.get_by_role("table").first).to_contain_text(
        "Other answers (groups under 5 people)")
    expect(page.get_by_role("table").first).not_to_contain_text("I don’t know")
    expect(page.locator("svg.chart").first).to_be_visible()
    audit.check()

    with live_app.app_context():
        living = db.session.scalar(select(ConsultationTranslation.consultation_id).where(
            ConsultationTranslation.title == "Living after cancer"))
        response = db.session.scalar(select(ConsultationResponse).join(
            User, User.id == ConsultationResponse.user_id).where(
            ConsultationResponse.consultation_id == living,
            User.email == "participant@example.org"))
        assert response.is_submitted and len(response.answers) == 9
        bodies = set(db.session.scalars(select(Contribution.body)))
        assert {"Carers need *respite* too.", "Same for my mother."} <= bodies
        assert db.session.scalar(select(Report.reason)) == "off_topic"


def test_small_screen_consultation_pages(page, live_server, live_app, audit):
    _load_demo(live_app)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/en/consultations/", "/en/consultations/2", "/en/consultations/1",
                 "/fr/consultations/search?q=fatigue"]:
        page.goto(live_server + path)
        audit.check()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at 320 px"
    assert re.search(r"/fr/consultations/search", page.url)


def test_moderator_creates_a_consultation_with_a_question(page, live_server, live_app, audit):
    _load_demo(live_app)
    page.goto(f"{live_server}/en/account/sign-in")
    audit.check()
    page.get_by_label("Email address").fill("moderator@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    audit.check()
    page.goto(f"{live_server}/en/consultations/")
    audit.check()
    page.get_by_role("link", name="Create a consultation").click()
    audit.check()
    page.get_by_label("Summary (English)").fill("A summary without a title")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Please give a title in this language")
    expect(page.get_by_label("Summary (English)")).to_have_value("A summary without a title")
    audit.check()
    page.get_by_label("Title (English)").fill("Fertility after cancer")
    page.get_by_role("checkbox", name="Clinical trials").check()
    page.get_by_label("Closing date").fill("2099-12-31")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage: Fertility after cancer")
    audit.check()
    page.get_by_role("link", name="Add a question").click()
    audit.check()
    page.get_by_role("radio", name="Scale from 1 to 5").check()
    page.get_by_label("Question (English)").fill("How well were you informed?")
    page.get_by_label("Meaning of 1 (English)").fill("Not at all")
    page.get_by_label("Meaning of 5 (English)").fill("Very well")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question has been added.")).to_be_visible()
    page.get_by_role("button", name="Open the consultation").click()
    expect(page.get_by_text("The consultation is now: Open to participation.")).to_be_visible()
    audit.check()
    page.goto(f"{live_server}/en/consultations/themes")
    audit.check()
