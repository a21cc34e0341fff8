"""Lay review in a real browser: two reviewers, then the committee's dashboard."""

import re
from pathlib import Path

from playwright.sync_api import expect

from engage.accounts.models import Role
from engage.reviews.services import DEFAULT_CRITERIA
from tests.browser.conftest import SCREENS, header_link
from tests.factories.reviews import ReviewWorld
from tests.factories.users import PASSWORD, Factory

CRITERIA = [criterion["en"][0] for criterion in DEFAULT_CRITERIA]


def sign_in(page, live_server, email, audit):
    page.goto(f"{live_server}/en/account/sign-in")
    audit.check()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome,")).to_be_visible()
    audit.check()


def sign_out(page, audit):
    header_link(page, "Sign out", role="button").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    audit.check()


@SCREENS
def test_reviewers_declare_score_and_the_committee_sees_the_disagreement(
        page, live_server, live_app, audit, screen):
    page.set_viewport_size(screen)
    world = ReviewWorld(live_app, Factory(live_app))
    world.moderator(email="mod@example.org", display_name="Mona Moderator")
    call_id = world.call()
    application_id = world.application(
        call_id, acronym="CARE", title="A nurse to call at home",
        lay_summary="After treatment, patients can call a nurse at home. "
                    "We will see if they feel safer.",
        institutions="Institut Curie", team="Dr Ada")
    rita = world.reviewer(email="rita@example.org", display_name="Rita")
    sam = world.reviewer(email="sam@example.org", display_name="Sam")
    earlier = world.reviewer(display_name="Earlier Reviewer")
    world.assign(application_id, rita, cleared=False)
    world.assign(application_id, sam, cleared=False)
    world.review(world.assign(application_id, earlier), [1, 3, 3, 3, 3, 3], 2)

    # Rita declares no conflict, accepts confidentiality, scores, saves a draft, submits.
    sign_in(page, live_server, "rita@example.org", audit)
    header_link(page, "Lay review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My lay reviews")
    audit.check()
    page.get_by_role("link", name="Declare my links of interest for CARE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Links of interest: CARE")
    audit.check()
    page.get_by_role("button", name="Send my declaration").click()  # nothing ticked
    expect(page.get_by_role("alert")).to_contain_text("declare that you have none")
    audit.check()
    page.get_by_label("I declare that I have none of these links").check()
    page.get_by_label("I will keep this application confidential").check()
    page.get_by_role("button", name="Send my declaration").click()
    expect(page.get_by_text("You can now read the application.")).to_be_visible()
    expect(page.get_by_role("heading", name="Readability of the lay summary")).to_be_visible()
    audit.check()
    page.get_by_role("link", name="Review this application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My review of CARE")
    audit.check()
    page.get_by_role("group", name=f"Score for “{CRITERIA[0]}”").get_by_label(
        "5 – excellent").check()
    page.get_by_label(f"Comment for the applicants on “{CRITERIA[0]}”").fill(
        "Patients asked for this.")
    page.get_by_role("button", name="Save my draft").click()
    expect(page.get_by_text("Your draft has been saved.")).to_be_visible()
    expect(page.get_by_label(f"Comment for the applicants on “{CRITERIA[0]}”")).to_have_value(
        "Patients asked for this.")
    audit.check()
    page.get_by_role("button", name="Submit my review").click()  # incomplete
    expect(page.get_by_role("alert")).to_contain_text("Please write a comment for the applicants")
    audit.check()
    for criterion in CRITERIA[1:]:
        page.get_by_role("group", name=f"Score for “{criterion}”").get_by_label(
            "4 – good").check()
        page.get_by_label(f"Comment for the applicants on “{criterion}”").fill("Good.")
    page.get_by_role("group", name="Overall opinion").get_by_label("4 – good").check()
    page.get_by_label("Overall comment for the applicants").fill("A useful project.")
    page.get_by_label("Overall comment for the committee only").fill("Fund it.")
    page.get_by_role("button", name="Submit my review").click()
    expect(page.get_by_text("your review has been submitted")).to_be_visible()
    expect(page.get_by_text("Review submitted")).to_be_visible()
    audit.check()
    sign_out(page, audit)

    # Sam declares a link: the assignment is withdrawn.
    sign_in(page, live_server, "sam@example.org", audit)
    page.goto(f"{live_server}/en/reviews/assignments")
    audit.check()
    page.get_by_role("link", name="Declare my links of interest for CARE").click()
    audit.check()
    page.get_by_label("I have worked with an applicant in the last 3 years.").check()
    page.get_by_role("button", name="Send my declaration").click()
    expect(page.get_by_text("has been withdrawn from your assignments")).to_be_visible()
    expect(page.get_by_text("No application is assigned to you")).to_be_visible()
    audit.check()
    sign_out(page, audit)

    # The moderator sees the flag, the dashboard with its disagreement, and exports the pack.
    sign_in(page, live_server, "mod@example.org", audit)
    header_link(page, "Lay review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding calls")
    audit.check()
    page.get_by_role("link", name="Living better after cancer").click()
    expect(page.get_by_text("to reassign")).to_be_visible()
    audit.check()
    page.get_by_role("link", name="CARE").click()
    expect(page.get_by_text("please assign another reviewer")).to_be_visible()
    expect(page.get_by_text("conflict declared")).to_be_visible()
    audit.check()
    page.get_by_role("link", name="Living better after cancer").click()
    audit.check()
    page.get_by_role("link", name="Committee dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee dashboard")
    ranking = page.get_by_role("table").first
    expect(ranking.get_by_role("row", name=re.compile("CARE")).get_by_text(
        "Disagreement")).to_be_visible()
    expect(page.get_by_text(re.compile("Krippendorff’s alpha"))).to_be_visible()
    audit.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the committee pack (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"committee-pack-call-{call_id}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    assert Role.MODERATOR  # the moderator did all this with the moderator role
