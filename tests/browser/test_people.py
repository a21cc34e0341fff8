"""People management in a real browser, at 1280 px, in French and in English: an
administrator invites a person (a mistyped address first, refused on the form), who accepts
in their own browser (password and consent) and is signed in; the administrator finds them
in the list, changes their role (a missing reason first, refused on the form), then
deactivates the account: the person's session ends and signing in again says why. axe-core
checks every page of both browsers."""

import re

import pytest
from playwright.sync_api import expect

from engage.extensions import db
from tests.browser.conftest import DESKTOP, PHONE, AccessibilityAudit
from tests.conftest import link_in, outbox
from tests.factories import users as people
from tests.factories.users import PASSWORD

NEW_PASSWORD = "une phrase de passe assez longue"
NAME = "Inès Nouvelle"
EMAIL = "ines@example.org"

TEXTS = {
    "fr": {
        "email": "Adresse e-mail", "password": "Mot de passe", "sign_in": "Se connecter",
        "sign_out": "Se déconnecter", "management": "Gestion", "users": "Utilisateur·rices",
        "invite": "Inviter une personne", "name": "Nom (obligatoire)",
        "send": "Envoyer l’invitation",
        "language": "Français",
        "bad_email": "Merci de saisir une adresse e-mail valide",
        "invited": "l’invitation a été envoyée à ines@example.org",
        "accept": "Acceptez votre invitation",
        "new_password": "Mot de passe (obligatoire)",
        "repeat": "Répétez le mot de passe (obligatoire)",
        "consent": "J’ai lu la notice de confidentialité",
        "accept_button": "Accepter et me connecter",
        "welcome": "Bienvenue, Inès Nouvelle. Votre compte est prêt.",
        "search": "Rechercher par nom ou e-mail", "state": "État du compte",
        "search_button": "Rechercher",
        "new_role": "Nouveau rôle", "reason": "Motif du changement",
        "change": "Changer le rôle",
        "no_reason": "Veuillez indiquer pourquoi le rôle change.",
        "role_changed": "Le rôle de Inès Nouvelle est maintenant\u00a0: Modérateur·rice.",
        "deactivation_reason": "Motif de la désactivation",
        "deactivate": "Désactiver le compte",
        "deactivated": "Le compte de Inès Nouvelle est désactivé",
        "refused": "Ce compte a été désactivé par un administrateur ou une administratrice.",
    },
    "en": {
        "email": "Email address", "password": "Password", "sign_in": "Sign in",
        "sign_out": "Sign out", "management": "Management", "users": "Users",
        "invite": "Invite a person", "name": "Name (required)", "send": "Send the invitation",
        "language": "English",
        "bad_email": "Please enter a valid email address",
        "invited": "the invitation has been sent to ines@example.org",
        "accept": "Accept your invitation",
        "new_password": "Password (required)",
        "repeat": "Repeat the password (required)",
        "consent": "I have read the privacy notice",
        "accept_button": "Accept and sign in",
        "welcome": "Welcome, Inès Nouvelle. Your account is ready.",
        "search": "Search by name or email", "state": "Account state",
        "search_button": "Search",
        "new_role": "New role", "reason": "Reason for the change",
        "change": "Change the role",
        "no_reason": "Please say why the role changes.",
        "role_changed": "The role of Inès Nouvelle is now: Moderator.",
        "deactivation_reason": "Reason for the deactivation",
        "deactivate": "Deactivate the account",
        "deactivated": "The account of Inès Nouvelle is deactivated",
        "refused": "This account has been deactivated by an administrator.",
    },
}


def sign_in(page, live_server, audit, lang, email, password):
    words = TEXTS[lang]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(password)
    page.get_by_role("button", name=words["sign_in"], exact=True).click()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_administrator_invites_a_person_then_changes_their_role_and_deactivates_them(
        page, browser, live_server, live_app, audit, lang):
    words = TEXTS[lang]
    page.set_viewport_size(DESKTOP)
    with live_app.app_context():
        people.user("admin", email="ada@example.org", display_name="Ada Admin", language=lang)
        db.session.commit()
    main = page.locator("main")

    # The administrator opens the list of users from the menu, then the invitation form.
    sign_in(page, live_server, audit, lang, "ada@example.org", PASSWORD)
    expect(page.get_by_role("button", name=words["sign_out"])).to_be_visible()
    audit.check()
    page.locator(".nav-group summary", has_text=words["management"]).click()
    page.get_by_role("link", name=words["users"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["users"])
    audit.check()
    page.get_by_role("link", name=words["invite"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["invite"])
    audit.check()

    # A mistyped address: refused on the form, which opens at the error summary.
    page.get_by_label(words["name"], exact=True).fill(NAME)
    page.get_by_label(words["email"]).fill("ines@")
    page.get_by_role("radio", name=words["language"]).check()
    page.get_by_role("button", name=words["send"]).click()
    expect(page).to_have_url(re.compile("#error-summary$"))
    expect(page.get_by_role("alert")).to_contain_text(words["bad_email"])
    expect(page.get_by_label(words["name"], exact=True)).to_have_value(NAME)
    audit.check()
    page.get_by_label(words["email"]).fill(EMAIL)
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_text(words["invited"])).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    audit.check()

    # The person follows the link in their own browser, chooses a password and consents.
    [message] = outbox(live_app, EMAIL)
    assert message.language == lang
    theirs = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="fr-FR")
    their_page = theirs.new_page()
    their_audit = AccessibilityAudit(their_page)
    their_page.goto(live_server + link_in(message))
    expect(their_page.get_by_role("heading", level=1)).to_have_text(words["accept"])
    their_audit.check()
    their_page.get_by_label(words["new_password"], exact=True).fill(NEW_PASSWORD)
    their_page.get_by_label(words["repeat"], exact=True).fill(NEW_PASSWORD)
    their_page.get_by_role("checkbox", name=re.compile(words["consent"])).check()
    their_page.get_by_role("button", name=words["accept_button"]).click()
    expect(their_page.get_by_text(words["welcome"])).to_be_visible()
    expect(their_page.get_by_role("button", name=words["sign_out"])).to_be_visible()
    their_audit.check()

    # The administrator finds them among the active accounts.
    page.locator(".breadcrumb").get_by_role("link", name=words["users"]).click()
    audit.check()
    page.get_by_label(words["search"]).fill("ines")
    page.get_by_label(words["state"]).select_option("active")
    page.get_by_role("button", name=words["search_button"], exact=True).click()
    expect(page.get_by_role("region", name=words["users"])).to_contain_text(EMAIL)
    audit.check()
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    audit.check()

    # A role change needs a reason: refused on the form, then done.
    page.get_by_label(words["new_role"]).select_option("moderator")
    page.get_by_role("button", name=words["change"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["no_reason"])
    expect(page.get_by_label(words["new_role"])).to_have_value("moderator")
    audit.check()
    page.get_by_label(words["reason"]).fill("Joins the moderation team")
    page.get_by_role("button", name=words["change"]).click()
    expect(page.get_by_text(words["role_changed"])).to_be_visible()
    expect(main).to_contain_text("Joins the moderation team")
    audit.check()

    # The account is deactivated: the person's session ends, and signing in says why.
    page.get_by_label(words["deactivation_reason"]).fill("Left the network")
    page.get_by_role("button", name=words["deactivate"]).click()
    expect(page.get_by_text(words["deactivated"])).to_be_visible()
    audit.check()
    their_page.reload()
    expect(their_page.get_by_role("link", name=words["sign_in"], exact=True)).to_be_visible()
    their_audit.check()
    sign_in(their_page, live_server, their_audit, lang, EMAIL, NEW_PASSWORD)
    expect(their_page.get_by_role("alert")).to_contain_text(words["refused"])
    their_audit.check()
    their_audit.assert_every_page_checked()
    theirs.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_people_pages_fit_a_phone(page, live_server, live_app, audit, lang):
    """At 390 px: nothing scrolls sideways but the tables, each in its own region."""
    page.set_viewport_size(PHONE)
    with live_app.app_context():
        people.user("admin", email="ada@example.org", display_name="Ada Admin", language=lang)
        person = people.person_in_state("deactivated", display_name="Daniel Longuenom-Dupont",
                                        email="daniel.longuenom-dupont@example.org")
        db.session.commit()
        person_id = person.id
    sign_in(page, live_server, audit, lang, "ada@example.org", PASSWORD)
    expect(page.locator(".flash")).to_be_visible()
    audit.check()
    for path in ("admin/users", f"admin/users/{person_id}", "admin/users/invite"):
        page.goto(f"{live_server}/{lang}/{path}")
        audit.check()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at 390 px"
        for region in page.locator(".table-scroll").all():
            expect(region).to_have_attribute("role", "region")
            expect(region).to_have_attribute("tabindex", "0")
