"""My space, on the demo data, on a phone (390×844, in French) and a desktop (1280 px, in
English): a patient representative whose contribution got a reply and was cited in the
published summary opens My space from the header (the unread count shown), reads both
notifications ("your words were used"), marks them read, one then all, and chooses a daily
digest for replies. axe-core checks every page visited."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select, update

from engage.accounts.models import User
from engage.consultations import participation
from engage.consultations.models import ConsultationTranslation, Contribution
from engage.core import registry
from engage.core.commands import DEMO_PASSWORD
from engage.core.notifications import Notification, NotificationPreference
from engage.demo import load_accounts
from engage.extensions import db
from tests.browser.conftest import AccessibilityAudit
from tests.conftest import empty_tables

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
REPRESENTATIVE = "representative@example.org"

TEXTS = {
    "fr": {
        "sign_in": ("Adresse e-mail", "Mot de passe", "Se connecter"),
        "space": "Mon espace",
        "unread": "4 notifications non lues",
        "reply": "Jane Participant a répondu à votre contribution dans «\u00a0Vivre après un "
                 "cancer\u00a0».",
        "cited": "Vos mots ont été repris\u00a0: la synthèse de «\u00a0Accès aux essais "
                 "cliniques\u00a0» cite votre contribution.",
        "mark": "Marquer comme lue",
        "marked": "La notification est marquée comme lue.",
        "all": "Toutes mes notifications",
        "mark_all": "Tout marquer comme lu",
        "none": "Vous n’avez aucune notification non lue.",
        "choose": "Choisir comment je les reçois",
        "reply_kind": "Une réponse à l’une de mes contributions",
        "daily": "Dans un e-mail récapitulatif quotidien",
        "save": "Enregistrer mes choix",
        "saved": "Vos choix sont enregistrés.",
    },
    "en": {
        "sign_in": ("Email address", "Password", "Sign in"),
        "space": "My space",
        "unread": "4 unread notifications",
        "reply": "Jane Participant replied to your contribution in “Living after cancer”.",
        "cited": "Your words were used: the summary of “Access to clinical trials” cites "
                 "your contribution.",
        "mark": "Mark as read",
        "marked": "The notification is marked as read.",
        "all": "All my notifications",
        "mark_all": "Mark all as read",
        "none": "You have no unread notification.",
        "choose": "Choose how I receive them",
        "reply_kind": "A reply to one of my contributions",
        "daily": "In a daily email digest",
        "save": "Save my choices",
        "saved": "Your choices are saved.",
    },
}


@pytest.fixture(scope="module")
def demo(live_app):
    """The demo data, where the representative's contribution is cited in the published
    summary of "Access to clinical trials" (the summary's approval notified her), and the
    participant replies to her contribution in "Living after cancer"."""
    with live_app.test_request_context("/en/"):
        load_accounts(DEMO_PASSWORD)
        for loader in registry.of().demo_loaders:
            loader()
        representative = db.session.scalar(select(User).where(User.email == REPRESENTATIVE))
        participant = db.session.scalar(select(User).where(
            User.email == "participant@example.org"))
        hers = db.session.scalar(
            select(Contribution)
            .join(ConsultationTranslation,
                  ConsultationTranslation.consultation_id == Contribution.consultation_id)
            .where(ConsultationTranslation.title == "Vivre après un cancer",
                   Contribution.author_id == representative.id,
                   Contribution.parent_id.is_(None), Contribution.association_id.is_(None)))
        participation.post_reply(participant, hers, "Je suis d’accord : personne ne m’en a "
                                                    "parlé.", language="fr")
        db.session.commit()
        user_id = representative.id
    yield user_id
    empty_tables(live_app)


@pytest.fixture(autouse=True)
def _clean_live_database():
    """The demo world is shared by the module: `unread_again` puts back what a journey did."""
    yield


@pytest.fixture
def unread_again(live_app, demo):
    """Each journey starts with the representative's notifications unread, choices unmade."""
    with live_app.app_context():
        db.session.execute(update(Notification).where(Notification.user_id == demo)
                           .values(read_at=None))
        db.session.execute(delete(NotificationPreference).where(
            NotificationPreference.user_id == demo))
        db.session.commit()
        kinds = sorted(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == demo)))
    # The network's demo response answers her words too (engage/accountability/demo.py).
    assert kinds == ["cited", "commitment_response", "reply", "summary_published"]


def _sign_in(page, audit, live_server, lang):
    words = TEXTS[lang]["sign_in"]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.get_by_label(words[0]).fill(REPRESENTATIVE)
    page.get_by_label(words[1]).fill(DEMO_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state("load")
    audit.check()
    page.goto(f"{live_server}/{lang}/")  # the journey's language (hers is French)
    audit.check()


def _header_link(page, lang, viewport):
    if viewport is PHONE:  # the menu is closed behind its button, which shows the count
        toggle = page.locator("summary.menu-toggle")
        expect(toggle.locator(".nav-count")).to_contain_text(re.compile(r"^\d+\b"))
        toggle.click()
    return page.locator("header").get_by_role("link", name=TEXTS[lang]["space"])


def _notification(page, text):
    return page.locator("li.notification").filter(has_text=text)


@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "fr"), (DESKTOP, "en")],
                         ids=["phone-fr", "desktop-en"])
def test_a_representative_reads_that_her_words_were_used(
        browser, live_server, demo, unread_again, viewport, lang):
    words = TEXTS[lang]
    context = browser.new_context(viewport=viewport, locale=f"{lang}-FR", bypass_csp=True)
    page = context.new_page()
    audit = AccessibilityAudit(page)
    _sign_in(page, audit, live_server, lang)

    # The header shows the unread count, said in words to a screen reader.
    link = _header_link(page, lang, viewport)
    expect(link).to_be_visible()
    expect(link).to_have_accessible_name(f"{words['space']} {words['unread']}")
    expect(link.locator(".nav-count")).to_contain_text("4")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["space"])
    audit.check()

    # Both notifications, worded in the page's language, each leading to its object.
    reply, cited = _notification(page, words["reply"]), _notification(page, words["cited"])
    expect(reply).to_have_count(1)
    expect(cited).to_have_count(1)
    expect(cited.get_by_role("link")).to_have_attribute("href", f"/{lang}/summaries/1")
    # What the network did with them: the notification leads to the commitment.
    expect(page.locator(f"li.notification a[href^='/{lang}/impact/commitments/']")
           ).to_have_count(1)

    # Mark the citation read: back at the same place, one fewer in the header.
    cited.get_by_role("button", name=words["mark"]).click()
    page.wait_for_load_state("load")
    audit.check()
    expect(page.get_by_text(words["marked"])).to_be_visible()
    expect(_notification(page, words["cited"]).get_by_role("button")).to_have_count(0)
    expect(page.locator("header .nav-count").first).to_contain_text("3")

    # Every notification, then all read at once.
    page.get_by_role("link", name=words["all"]).click()
    audit.check()
    page.get_by_role("button", name=words["mark_all"]).click()
    page.wait_for_load_state("load")
    audit.check()
    expect(page.get_by_text(words["none"])).to_be_visible()
    expect(page.locator("header .nav-count")).to_have_count(0)

    # A daily digest for replies, kept once saved.
    page.get_by_role("link", name=words["choose"]).click()
    audit.check()
    group = page.get_by_role("group", name=words["reply_kind"])
    group.get_by_label(words["daily"]).check()
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_load_state("load")
    audit.check()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    expect(page.get_by_role("group", name=words["reply_kind"]).get_by_label(
        words["daily"])).to_be_checked()
    audit.assert_every_page_checked()
    context.close()


def test_a_notification_reads_in_the_language_chosen_after_it_was_made(
        browser, live_server, demo, unread_again):
    """Made while the representative read French; shown in English after the switch."""
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    audit = AccessibilityAudit(page)
    _sign_in(page, audit, live_server, "fr")
    page.goto(f"{live_server}/fr/my-space/notifications")
    audit.check()
    expect(_notification(page, TEXTS["fr"]["reply"])).to_have_count(1)
    page.locator(".language-switch").get_by_role("link", name="English").click()
    audit.check()
    expect(page).to_have_url(f"{live_server}/en/my-space/notifications")
    expect(_notification(page, TEXTS["en"]["reply"])).to_have_count(1)
    expect(_notification(page, TEXTS["en"]["cited"])).to_have_count(1)
    audit.assert_every_page_checked()
    context.close()
