"""A newcomer's first visit, in a real browser."""

import re

from playwright.sync_api import expect

from engage.accounts.models import User
from engage.extensions import db
from tests.conftest import link_in, outbox

PASSWORD = "une phrase de passe assez longue"


def test_newcomer_registers_in_french_confirms_signs_in_and_switches_to_english(
    page, live_server, live_app, audit
):
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/fr/")  # the browser asks for French
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    audit.check()

    page.get_by_role("link", name="Créer un compte").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    audit.check()

    # A first try without consent: the error is on the form, the text kept.
    page.get_by_label("Adresse e-mail").fill("nadia@example.org")
    page.get_by_label("Nom affiché").fill("Nadia")
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    page.get_by_label("Répétez le mot de passe").fill(PASSWORD)
    page.get_by_label("Je participe en tant que").select_option("patient")
    page.get_by_label("Département").select_option("93")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("consentement")
    expect(page.get_by_label("Nom affiché")).to_have_value("Nadia")
    audit.check()

    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    page.get_by_label("Répétez le mot de passe").fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("J’ai lu la notice")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    audit.check()

    [message] = outbox(live_app, "nadia@example.org")
    assert message.language == "fr"
    page.goto(live_server + link_in(message))
    expect(page.get_by_text("votre adresse e-mail est confirmée")).to_be_visible()
    audit.check()

    page.get_by_label("Adresse e-mail").fill("nadia@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Bienvenue, Nadia.")).to_be_visible()
    audit.check()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check()

    page.get_by_role("link", name="My account").click()
    audit.check()
    page.get_by_role("radio", name="English").check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    audit.check()
    with live_app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "nadia@example.org"))
        assert user.language == "en"

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    audit.check()


def test_small_screen_has_no_horizontal_scroll(page, live_server, audit):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/fr/", "/fr/account/register", "/en/account/sign-in"]:
        page.goto(live_server + path)
        audit.check()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at 320 px"


def test_keyboard_user_reaches_the_content_with_the_skip_link(page, live_server, audit):
    page.goto(f"{live_server}/en/about")
    audit.check()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
