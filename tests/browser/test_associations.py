"""Associations in the browser, on the demo data, on a phone in French (with and without
JavaScript) and on a desktop in English: an administrator records a new accredited
association (a first try without the number and the date opens at the error summary); a
moderator declines a representation request (without a message first: refused, at the error
summary), and the person reads the moderators' note in My space. axe-core checks every page
visited when JavaScript runs (axe is a script: it cannot run without it)."""

import pytest
from playwright.sync_api import expect

from engage.accounts.models import Association, Membership, User
from engage.extensions import db
from tests.browser.conftest import (
    AccessibilityAudit,
    assert_summary_in_view_and_focused,
    load_demo_data,
    signed_in,
)
from tests.conftest import changes_undone, empty_tables, take_snapshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CASES = pytest.mark.parametrize(
    ("viewport", "lang", "javascript"),
    [(PHONE, "fr", True), (PHONE, "fr", False), (DESKTOP, "en", True)],
    ids=["phone-fr", "phone-fr-without-javascript", "desktop-en"])

TEXTS = {
    "fr": {
        "demo": "Agréée au niveau national · agrément n°\u00a0N2021RN0147 du 8 novembre 2021",
        "add": "Ajouter une association",
        "not_accredited": "Non agréée",
        "national": "Agréée au niveau national",
        "number": "Numéro d’agrément",
        "date": "Date de l’agrément",
        "missing": ("Veuillez saisir le numéro d’agrément.",
                    "Veuillez saisir la date de l’agrément."),
        "save": "Enregistrer",
        "saved": "Agréée au niveau national · agrément n°\u00a0N2024RN0031 du 2 avril 2024",
        "decline": "Refuser",
        "message": "Message à Jane Participant",
        "needed": "Veuillez indiquer à la personne pourquoi sa demande est refusée.",
        "reason": "L’association n’a pas trace de votre mandat.",
        "declined": "La demande a été refusée.",
        "note": "Message de l’équipe de modération\u00a0: L’association n’a pas trace de "
                "votre mandat.",
    },
    "en": {
        "demo": "Nationally accredited · no. N2021RN0147, granted on November 8, 2021",
        "add": "Add an association",
        "not_accredited": "Not accredited",
        "national": "Nationally accredited",
        "number": "Accreditation number",
        "date": "Date of the accreditation",
        "missing": ("Please enter the accreditation number.",
                    "Please enter the date of the accreditation."),
        "save": "Save",
        "saved": "Nationally accredited · no. N2024RN0031, granted on April 2, 2024",
        "decline": "Decline",
        "message": "Message to Jane Participant",
        "needed": "Please tell the person why their request is declined.",
        "reason": "The association has no record of your mandate.",
        "declined": "The request has been declined.",
        "note": "Note from the moderators: The association has no record of your mandate.",
    },
}

@pytest.fixture(scope="module")
def demo(live_app):
    """The demo data, loaded once for the module (seconds each time); a copy of the database
    as loaded undoes each journey (`_clean_live_database`)."""
    with live_app.app_context():
        load_demo_data(live_app)
    snapshot = take_snapshot(live_app)
    yield snapshot
    snapshot.close()
    empty_tables(live_app)


@pytest.fixture(autouse=True)
def _clean_live_database(live_app, demo):
    """Instead of emptying the tables after each journey (tests/browser/conftest.py): the
    demo data as loaded, for the next one."""
    with changes_undone(live_app, demo):
        yield


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


class _Audit:
    """axe-core on each page when JavaScript runs; nothing to run it with otherwise."""

    def __init__(self, page, javascript):
        self.audit = AccessibilityAudit(page) if javascript else None

    def check(self):
        if self.audit is not None:
            self.audit.check()

    def done(self):
        if self.audit is not None:
            self.audit.assert_every_page_checked()


@CASES
def test_an_administrator_records_an_accredited_association(
        browser, live_server, live_app, demo, viewport, lang, javascript):
    words = TEXTS[lang]
    context, page = signed_in(browser, live_server, viewport, lang, "admin@example.org",
                              javascript=javascript)
    audit = _Audit(page, javascript)
    page.goto(f"{live_server}/{lang}/admin/associations")
    expect(page.locator("main")).to_contain_text(words["demo"])
    audit.check()
    page.get_by_role("link", name=words["add"]).click()
    page.wait_for_load_state("load")
    expect(page.get_by_label(words["not_accredited"])).to_be_checked()
    _no_horizontal_scroll(page)
    audit.check()
    page.locator("#name").fill("Patients du Val-de-Marne")
    page.get_by_label(words["national"]).check()
    page.get_by_role("button", name=words["save"]).click()
    assert_summary_in_view_and_focused(page, viewport)
    for message in words["missing"]:
        expect(page.locator("#error-summary")).to_contain_text(message)
    expect(page.get_by_label(words["national"])).to_be_checked()
    expect(page.locator("#name")).to_have_value("Patients du Val-de-Marne")
    _no_horizontal_scroll(page)
    audit.check()
    page.get_by_label(words["number"]).fill("N2024RN0031")
    page.get_by_label(words["date"]).fill("2024-04-02")
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_load_state("load")
    card = page.locator("li.card", has_text="Patients du Val-de-Marne")
    expect(card).to_contain_text(words["saved"])
    audit.check()
    audit.done()
    context.close()


@CASES
def test_a_moderator_declines_with_a_message_the_person_reads(
        browser, live_server, live_app, demo, viewport, lang, javascript):
    words = TEXTS[lang]
    with live_app.app_context():
        person = db.session.scalar(db.select(User).where(
            User.email == "participant@example.org"))
        association = db.session.scalar(db.select(Association).where(
            Association.name == "Vivre après un cancer"))
        db.session.add(Membership(user=person, association=association,
                                  message="Membre du bureau"))
        db.session.commit()
    context, page = signed_in(browser, live_server, viewport, lang, "moderator@example.org",
                              javascript=javascript)
    audit = _Audit(page, javascript)
    page.goto(f"{live_server}/{lang}/admin/representation-requests")
    _no_horizontal_scroll(page)
    audit.check()
    page.get_by_role("button", name=words["decline"]).click()
    assert_summary_in_view_and_focused(page, viewport)
    expect(page.locator("#error-summary")).to_contain_text(words["needed"])
    _no_horizontal_scroll(page)
    audit.check()
    page.get_by_label(words["message"]).fill(words["reason"])
    page.get_by_role("button", name=words["decline"]).click()
    page.wait_for_load_state("load")
    expect(page.locator("main")).to_contain_text(words["declined"])
    audit.check()
    audit.done()
    context.close()

    context, page = signed_in(browser, live_server, viewport, lang, "participant@example.org",
                              javascript=javascript)
    audit = _Audit(page, javascript)
    page.goto(f"{live_server}/{lang}/my-space/")
    expect(page.locator("section", has=page.locator("#associations-heading"))).to_contain_text(
        words["note"])
    _no_horizontal_scroll(page)
    audit.check()
    audit.done()
    context.close()
