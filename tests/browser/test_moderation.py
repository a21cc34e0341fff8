"""The moderation and summary journey, in a real browser, with an accessibility check of
every page: a moderator works through the queue, tags contributions and writes the
summary, a second moderator approves it, and a visitor reads it in English."""

import re

from playwright.sync_api import expect

from engage.core.moderated import file_report
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry
from engage.summaries.models import Summary
from tests.factories import consultations as builders
from tests.factories.users import PASSWORD


def build(live_app):
    with live_app.app_context():
        writer = builders.user("moderator", email="writer@example.org", display_name="Wanda")
        builders.user("moderator", email="reviewer@example.org", display_name="Ravi")
        theme = builders.theme("Transport", "Travel")
        consultation = builders.consultation("closed", author=writer, themes=[theme])
        author = builders.user("participant", display_name="Pat")
        rude = builders.contribution(consultation, author, "Trials are a scam run by idiots.",
                                     language="en")
        private = builders.contribution(
            consultation, author,
            "I am treated for a relapse at Saint-Louis hospital. The trial centre was too far.",
            language="en")
        travel = builders.contribution(consultation, builders.user("participant"),
                                       "Travel costs should be paid back.", language="en")
        for reason, item in (("offensive", rude), ("health_data", private)):
            file_report(builders.user("participant"), item, reason)
        db.session.commit()
        return {"consultation": consultation.id, "rude": rude.id, "private": private.id,
                "travel": travel.id, "title": consultation.title("en")}


def sign_in(page, live_server, audit, email):
    page.goto(f"{live_server}/en/account/sign-in")
    audit.check()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    audit.check()


def sign_out(page, audit):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    audit.check()


def test_moderate_tag_summarise_approve_and_read(page, live_server, live_app, audit):
    data = build(live_app)
    main = page.locator("main")

    # The first moderator opens the queue from the menu.
    sign_in(page, live_server, audit, "writer@example.org")
    page.get_by_role("link", name="Moderation (2 to review)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    audit.check()

    # Hide the offensive contribution, with a reason and a note for its author.
    page.get_by_role("link", name=f"Review Contribution #{data['rude']}").click()
    expect(main).to_contain_text("Trials are a scam")
    audit.check()
    page.get_by_label("Reason").select_option("offensive")
    page.get_by_label("Note for the author (optional)").fill("Please criticise without insults.")
    page.get_by_role("button", name="Hide", exact=True).click()
    expect(page.get_by_text("The item is hidden. Its author has been told why.")).to_be_visible()
    audit.check()

    # Remove the health details from the other one: the rest stays published.
    page.get_by_role("link", name="Moderation queue").first.click()
    audit.check()
    page.get_by_role("link", name=f"Review Contribution #{data['private']}").click()
    audit.check()
    page.get_by_role("link", name="Remove a passage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove a passage")
    audit.check()
    page.get_by_label("Passages to remove").fill(
        "I am treated for a relapse at Saint-Louis hospital.")
    page.get_by_role("button", name="Preview the removal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the removal")
    audit.check()
    page.get_by_role("button", name="Remove this passage").click()
    expect(page.get_by_text("The passage is removed.")).to_be_visible()
    expect(main).to_contain_text("[passage removed by moderation] The trial centre was too far.")
    audit.check()

    # Give two contributions a theme in one go (tests/browser/test_bulk_themes.py for more).
    page.get_by_role("link", name="Change the themes").click()
    expect(page.get_by_role("link", name="Suggested themes")).to_be_visible()
    audit.check()
    for item in ("private", "travel"):
        page.locator(f"#bulk-contribution-{data[item]}").check()
    page.locator("#bulk-theme").select_option(label="Travel")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_text("The theme “Travel” is given to 2 contributions.")).to_be_visible()
    audit.check()

    # Write the summary in both languages, citing contributions.
    page.goto(f"{live_server}/en/moderation/")
    audit.check()
    page.get_by_role("link", name="Summaries", exact=True).last.click()
    audit.check()
    page.get_by_role("button", name=re.compile("Start the summary")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summary of")
    audit.check()
    page.get_by_label("Summary (French)").fill(
        f"Le trajet est trop long [#{data['private']}]. Il faut payer le transport "
        f"[#{data['travel']}]. Un texte masqué [#{data['rude']}].")
    page.get_by_label("Summary (English)").fill(
        f"The trip is too long [#{data['private']}]. Travel should be paid "
        f"[#{data['travel']}].")
    # The live panel (JavaScript) follows the typing.
    expect(page.locator("#readability-en")).to_contain_text("Flesch reading ease")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The summary is saved.")).to_be_visible()
    expect(page.locator("#readability-fr")).to_contain_text("Kandel–Moles")
    expect(main).to_contain_text(f"Hidden, awaiting moderation or deleted, not linked: "
                                 f"[#{data['rude']}]")
    audit.check()
    page.get_by_role("button", name="Send for review").click()
    expect(main).to_contain_text("You wrote this summary: another moderator must approve it.")
    audit.check()
    sign_out(page, audit)

    # A second moderator approves: the summary is published.
    sign_in(page, live_server, audit, "reviewer@example.org")
    page.goto(f"{live_server}/en/summaries/manage")
    audit.check()
    page.get_by_role("link", name=f"Open the summary of “{data['title']}”").click()
    audit.check()
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_role("dialog").get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("The summary is published.")).to_be_visible()
    audit.check()
    sign_out(page, audit)

    # A visitor reads it in English, follows a citation and downloads the report.
    page.goto(f"{live_server}/en/summaries/")
    audit.check()
    page.get_by_role("link", name=data["title"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Outcome of the consultation “{data['title']}”")
    expect(main).to_contain_text("Response awaited")
    expect(main).to_contain_text("Travel")  # the theme groups the arguments
    audit.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="The outcome report (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.get_by_role("link", name=f"[#{data['travel']}]").click()
    expect(page).to_have_url(re.compile(rf"/en/consultations/{data['consultation']}/"
                                        rf"contributions/{data['travel']}"))
    expect(main).to_contain_text("Travel costs should be paid back.")
    audit.check()
    page.go_back()
    expect(main.get_by_role("link", name=f"[#{data['rude']}]")).to_have_count(0)
    audit.check()

    with live_app.app_context():
        summary = db.session.scalar(db.select(Summary))
        assert summary.is_published and summary.consultation.status == "summarized"
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {AuditAction.HIDE, AuditAction.REDACT, AuditAction.TAG,
                AuditAction.SUMMARY_PUBLISH} <= actions
