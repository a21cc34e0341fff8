"""A network officer responds to a published summary, in a real browser, at 1280 px and
390×844, in French and in English: from the summary's report, « Répondre au nom du réseau »
starts the response; a first commitment is refused (not retained, without its reason: the
error summary focused and in view, the text kept), then saved with its reason and a cited
contribution inserted at the cursor; a second one is planned; the response is published
after its confirmation dialog; an update moves the second commitment to "in progress" with a
link. axe-core checks every page.

One world for the module (a published summary per journey, the officer signed in once);
the texts the pages show are read from the application's own catalog, in the journey's
language."""

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select

from engage.accountability.models import Response
from engage.extensions import db
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    AccessibilityAudit,
    assert_summary_in_view_and_focused,
)
from tests.conftest import empty_tables
from tests.factories import accountability as build
from tests.factories import summaries
from tests.factories.users import PASSWORD

JOURNEYS = [(DESKTOP, "fr"), (PHONE, "en"), (DESKTOP, "en"), (PHONE, "fr")]
IDS = ["1280-fr", "390x844-en", "1280-en", "390x844-fr"]


def _key(viewport, lang: str) -> str:
    return f"{viewport['width']}-{lang}"


@pytest.fixture(autouse=True)
def _clean_live_database():
    """The module's world is shared by its journeys (each answers its own summary) and
    emptied once, at the end (`world`)."""
    yield


@pytest.fixture(scope="module")
def world(live_app):
    from engage.consultations.services import ConsultationText

    with live_app.test_request_context("/en/"):
        officer = build.officer()
        found = {}
        for name in (_key(viewport, lang) for viewport, lang in JOURNEYS):
            moderator, consultation, items = summaries.closed_consultation(texts={
                "fr": ConsultationText(f"Trajets {name}", "", ""),
                "en": ConsultationText(f"Journeys {name}", "", "")})
            found[name] = {"summary": summaries.published(moderator, consultation, items).id,
                           "cited": items[0].id}
        db.session.commit()
        data = {"email": officer.email, "journeys": found}
    yield data
    empty_tables(live_app)


@pytest.fixture(scope="module")
def signed_in_state(browser, live_server, world):
    """The officer signs in once; each journey opens a context with that session."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/en/account/sign-in")
    page.locator("#email").fill(world["email"])
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state("load")
    state = context.storage_state()
    context.close()
    return state


def _words(live_app, lang: str):
    """The page's own words: `words(msgid, **values)` in the journey's language."""
    def words(message: str, **values) -> str:
        with live_app.test_request_context(f"/{lang}/"), force_locale(lang):
            return gettext(message, **values)
    return words


@pytest.mark.parametrize(("viewport", "lang"), JOURNEYS, ids=IDS)
def test_an_officer_responds_to_a_summary_then_updates_a_commitment(
        browser, live_server, live_app, world, signed_in_state, viewport, lang):
    words = _words(live_app, lang)
    journey = world["journeys"][_key(viewport, lang)]
    other = "en" if lang == "fr" else "fr"
    context = browser.new_context(viewport=viewport, locale=f"{lang}-FR", bypass_csp=True,
                                  storage_state=signed_in_state)
    page = context.new_page()
    audit = AccessibilityAudit(page)

    # From the summary's report: « Répondre au nom du réseau », then start the response.
    page.goto(f"{live_server}/{lang}/summaries/{journey['summary']}")
    audit.check()
    page.get_by_role("link", name=words("Respond for the network")).click()
    audit.check()
    page.get_by_role("button", name=words("Start the response")).click()
    page.wait_for_load_state("load")
    expect(page.get_by_text(words("No commitment yet."))).to_be_visible()
    audit.check()

    # A first commitment, not retained: refused without its reason, the text kept.
    page.get_by_role("link", name=words("Add a commitment")).click()
    audit.check()
    page.locator(f"#title_{lang}").fill("Navette gratuite" if lang == "fr" else "Free shuttle")
    page.locator(f"#title_{other}").fill("Free shuttle" if lang == "fr" else "Navette gratuite")
    text = page.locator(f"#text_{lang}")
    text.fill("Une navette vers l’hôpital. Fin." if lang == "fr"
              else "A shuttle to the hospital. End.")
    text.focus()
    text.press("Control+Home")
    for _ in range(len("Une navette vers l’hôpital." if lang == "fr"
                       else "A shuttle to the hospital.")):
        text.press("ArrowRight")
    cited = journey["cited"]
    page.locator(f"button[name=insert][value='{cited}']").click()  # at the cursor
    written = (f"Une navette vers l’hôpital. [#{cited}] Fin." if lang == "fr"
               else f"A shuttle to the hospital. [#{cited}] End.")
    expect(text).to_have_value(written)
    page.locator("#owner").fill("Direction des transports")
    page.locator("input[name=status][value=not_retained]").check()
    page.locator(".form-actions button[type=submit]").click()
    assert_summary_in_view_and_focused(page, viewport)
    expect(page.locator("#error-summary")).to_contain_text(
        words("Please say why this commitment is not retained."))
    expect(page.locator(f"#text_{lang}")).to_have_value(written)
    expect(page.locator("#owner")).to_have_value("Direction des transports")
    audit.check()
    page.locator(f"#reason_{lang}").fill("Le budget ne le permet pas." if lang == "fr"
                                         else "The budget does not allow it.")
    page.locator(".form-actions button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text(words("The commitment is added to the draft."))).to_be_visible()
    audit.check()

    # A second one, planned.
    page.get_by_role("link", name=words("Add a commitment")).click()
    page.locator(f"#title_{lang}").fill("Rembourser les trajets" if lang == "fr"
                                        else "Pay travel back")
    page.locator(".form-actions button[type=submit]").click()
    page.wait_for_load_state("load")
    audit.check()
    expect(page.locator("article.commitment")).to_have_count(2)

    # Published once confirmed.
    page.get_by_role("button", name=words("Publish the response")).click()
    dialog = page.get_by_role("dialog", name=words("Publish the network’s response?"))
    expect(dialog).to_be_visible()
    audit.check()
    dialog.get_by_role("button", name=words("Publish the response")).click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("link", name=words("Add an update"))).to_have_count(2)
    audit.check()

    # An update: the second commitment is in progress, with a link.
    page.locator("article.commitment").nth(1).get_by_role(
        "link", name=words("Add an update")).click()
    audit.check()
    page.locator(f"#text_{lang}").fill("Le premier remboursement est parti." if lang == "fr"
                                       else "The first payment went out.")
    page.locator("#status").select_option("in_progress")
    page.locator("details.attachments > summary").click()
    page.locator("#link_url_1").fill("https://example.org/remboursements")
    page.locator("#link_label_1").fill("Barème" if lang == "fr" else "Rates")
    page.locator(".form-actions button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text(words("The update is published."))).to_be_visible()
    second = page.locator("article.commitment").nth(1)
    expect(second.locator(".status-badge")).to_have_text(words("In progress"))
    expect(second.get_by_role("link", name="Barème" if lang == "fr" else "Rates")) \
        .to_have_attribute("href", "https://example.org/remboursements")
    audit.check()
    audit.assert_every_page_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()

    with live_app.app_context():
        response = db.session.scalar(select(Response).where(
            Response.summary_id == journey["summary"]))
        first, planned = response.commitments
        assert response.published_at is not None
        assert (first.status, [c.contribution_id for c in first.citations]) == \
            ("not_retained", [cited])
        assert planned.status == "in_progress"
        assert planned.updates[0].links[0]["url"] == "https://example.org/remboursements"
