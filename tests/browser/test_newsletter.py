"""The newsletter, on a phone (390×844) and a desktop (1280 px), in French and in English: a
visitor opens the archive, subscribes (an invalid address first: refused, the error summary
focused and the text kept), follows the confirmation link of the email (read from the
outbox), is confirmed, receives an issue, and unsubscribes in one click from its link.
axe-core checks every page visited."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.newsletter import queries, services
from engage.newsletter.models import Issue, Subscriber
from tests.browser.conftest import (
    JOURNEYS,
    AccessibilityAudit,
    assert_summary_in_view_and_focused,
)
from tests.conftest import empty_tables
from tests.factories.newsletter import TITLES, published_content

TEXTS = {
    "fr": {
        "archive": "La lettre d’information",
        "subscribe": "S’abonner à la lettre d’information",
        "email": "Adresse e-mail",
        "language": "Français",
        "send": "S’abonner",
        "invalid": "Merci de saisir une adresse e-mail valide",
        "check": "Vérifiez votre messagerie",
        "issue": "Lettre d’information, numéro 1",
        "confirmed": "Votre abonnement est confirmé",
        "unsubscribe_page": "Se désabonner de la lettre d’information",
        "unsubscribe": "Se désabonner",
        "unsubscribed": "Vous êtes désabonné·e",
    },
    "en": {
        "archive": "The newsletter",
        "subscribe": "Subscribe to the newsletter",
        "email": "Email address",
        "language": "English",
        "send": "Subscribe",
        "invalid": "Please enter a valid email address",
        "check": "Check your email",
        "issue": "Newsletter, issue no. 1",
        "confirmed": "Your subscription is confirmed",
        "unsubscribe_page": "Unsubscribe from the newsletter",
        "unsubscribe": "Unsubscribe",
        "unsubscribed": "You are unsubscribed",
    },
}
LINK = re.compile(r"https?://[^/\s]+(/\S+)")


@pytest.fixture(scope="module")
def content(live_app):
    """Something published of each kind, for the issue the visitor receives."""
    with live_app.test_request_context("/en/"):
        published_content()
        db.session.commit()
    yield
    empty_tables(live_app)


@pytest.fixture(autouse=True)
def _clean_live_database(live_app):
    """The published content is shared by the module; each journey starts with no issue,
    no subscriber and an empty outbox."""
    yield
    with live_app.app_context():
        for model in (Issue, Subscriber, OutboxMessage):
            db.session.execute(delete(model))
        db.session.commit()


def _last_email_to(live_app, address: str) -> OutboxMessage:
    with live_app.app_context():
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == address).order_by(OutboxMessage.id.desc())).first()
        assert message is not None, address
        db.session.expunge(message)
        return message


@JOURNEYS
def test_a_visitor_subscribes_and_unsubscribes_in_one_click(
        browser, live_app, live_server, content, screen, lang):
    words = TEXTS[lang]
    address = f"visitor-{lang}-{screen['width']}@example.org"
    context = browser.new_context(viewport=screen, locale=f"{lang}-FR", bypass_csp=True)
    page = context.new_page()
    audit = AccessibilityAudit(page)

    page.goto(f"{live_server}/{lang}/newsletter/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["archive"])
    audit.check()
    page.get_by_role("link", name=words["subscribe"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["subscribe"])
    audit.check()

    # An address that is not one: refused, said at the top, what was typed kept.
    page.get_by_label(words["email"]).fill("not an address")
    page.get_by_role("button", name=words["send"], exact=True).click()
    assert_summary_in_view_and_focused(page, screen)
    expect(page.locator("#error-summary")).to_contain_text(words["invalid"])
    expect(page.get_by_label(words["email"])).to_have_value("not an address")
    audit.check()

    page.get_by_label(words["email"]).fill(address)
    page.get_by_label(words["language"], exact=True).check()
    page.get_by_role("button", name=words["send"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    audit.check()

    # The confirmation link of the email.
    confirmation = _last_email_to(live_app, address)
    page.goto(live_server + LINK.search(confirmation.body).group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["confirmed"])
    expect(page.get_by_text(address)).to_be_visible()
    audit.check()

    # An issue arrives; its one-click link unsubscribes.
    with live_app.app_context():
        assert services.send_issue() is not None
        db.session.commit()
    issue = _last_email_to(live_app, address)
    assert TITLES["commitment"][lang] in issue.body
    # Its page in the archive, from the link of the email.
    on_the_site = re.search(rf"https?://[^/\s]+(/{lang}/newsletter/1)\s", issue.body)
    page.goto(live_server + on_the_site.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["issue"])
    expect(page.get_by_role("link", name=TITLES["project"][lang]).first).to_be_visible()
    audit.check()
    unsubscribe = LINK.match(issue.headers["List-Unsubscribe"].strip("<>")).group(1)
    page.goto(live_server + unsubscribe)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["unsubscribe_page"])
    audit.check()
    with live_app.app_context():
        assert queries.subscription_of(address) is not None  # opening the page changed nothing
    page.get_by_role("button", name=words["unsubscribe"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["unsubscribed"])
    audit.check()
    with live_app.app_context():
        assert queries.subscription_of(address) is None
    audit.assert_every_page_checked()
    context.close()
