"""Removing a passage in a real browser (issue 17, item 3), with an accessibility check of every
page: a moderator selects one passage in the text and types another with straight quotes in
a text written with curly ones, checks the preview, then confirms; without JavaScript, the
passage is typed, and a mistake opens the page at its error summary.

The French journey passes once the catalog entries of this change are merged."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories.moderation import redaction_world
from tests.factories.users import PASSWORD

WORDS = {
    "fr": {
        "sign_in": ("Adresse e-mail", "Mot de passe", "Se connecter"),
        "welcome": "Bienvenue",
        "remove": "Supprimer un passage",
        "passages": "Passages à supprimer",
        "note": "Message pour l’auteur ou l’autrice (facultatif)",
        "preview": "Prévisualiser la suppression",
        "check": "Vérifier la suppression",
        "count": "2 occurrences seront remplacées par «\u00a0[passage supprimé par la "
                 "modération]\u00a0».",
        "confirm": "Supprimer ces 2 passages",
        "done": "Le passage est supprimé.",
        "added": "Ajouté aux passages à supprimer",
        "wrong": "l'hopital",
        "not_found": "Ce passage ne figure pas dans le texte\u00a0: «\u00a0l'hopital\u00a0».",
        "selected": "depuis mars",
        "typed": "l'hôpital Saint-Louis pour une \"rechute\"",
        "removed": "l’hôpital Saint-Louis pour une «\u00a0rechute\u00a0»",
        "result": "Je suis suivie à [passage supprimé par la modération] [passage supprimé par "
                  "la modération]. Le centre d’essai était trop loin.",
        "email": "Le reste de votre texte reste publié.",
    },
    "en": {
        "sign_in": ("Email address", "Password", "Sign in"),
        "welcome": "Welcome",
        "remove": "Remove a passage",
        "passages": "Passages to remove",
        "note": "Note for the author (optional)",
        "preview": "Preview the removal",
        "check": "Check the removal",
        "count": "2 occurrences will be replaced by “[passage removed by moderation]”.",
        "confirm": "Remove these 2 passages",
        "done": "The passage is removed.",
        "added": "Added to the passages to remove",
        "wrong": "I'm treated at Saint-Louis",  # the quotes forgotten
        "not_found": "This passage is not in the text: “I'm treated at Saint-Louis”.",
        "selected": "since March",
        "typed": "I'm treated at \"Saint-Louis\" hospital",
        "removed": "I’m treated at “Saint-Louis” hospital",
        "result": "[passage removed by moderation] for a relapse [passage removed by "
                  "moderation]. The trial centre was too far.",
        "email": "The rest of your text stays published.",
    },
}

# Selects `passage` inside the current text, as a mouse would, and releases the button.
SELECT = """([passage]) => {
  const source = document.getElementById('redaction-source');
  const node = source.firstChild;
  const start = node.textContent.indexOf(passage);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + passage.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  source.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"

SUMMARY_IN_VIEW = """() => {
  const summary = document.getElementById('error-summary');
  const box = summary.getBoundingClientRect();
  return {focused: document.activeElement === summary, top: box.top, height: innerHeight};
}"""


def sign_in(page, live_server, check, email, lang):
    email_label, password_label, button = WORDS[lang]["sign_in"]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    check()
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".flash")).to_contain_text(WORDS[lang]["welcome"])
    check()


def summary_in_view_and_focused(page):
    expect(page.locator("#error-summary")).to_be_focused()  # autofocus, once rendered
    place = page.evaluate(SUMMARY_IN_VIEW)
    assert place["focused"] and -1 <= place["top"] < DESKTOP["height"] / 2, place


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_select_one_passage_type_another_preview_and_confirm(page, live_server, live_app,
                                                             audit, lang):
    words = WORDS[lang]
    page.set_viewport_size(DESKTOP)
    data = redaction_world(live_app, author_language=lang, text_language=lang, reports=1,
                           moderator_language=lang)
    sign_in(page, live_server, audit.check, data["moderator_email"], lang)
    page.goto(f"{live_server}/{lang}/moderation/items/contribution/{data['item_id']}")
    audit.check()
    page.get_by_role("link", name=words["remove"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["remove"])
    audit.check()

    # A passage not in the text (accents count): the form comes back at its error summary.
    passages = page.get_by_label(words["passages"])
    passages.fill(words["wrong"])
    page.get_by_role("button", name=words["preview"]).click()
    summary_in_view_and_focused(page)
    expect(page.locator("#error-summary")).to_contain_text(words["not_found"])
    expect(passages).to_have_value(words["wrong"])
    audit.check()
    passages.fill("")

    # With JavaScript, a passage selected in the text goes to the field, and is announced.
    expect(page.locator("#redaction-selection-hint")).to_be_visible()
    page.evaluate(SELECT, [words["selected"]])
    expect(passages).to_have_value(words["selected"])
    expect(page.locator("[aria-live=polite]").filter(has_text=words["added"])).to_have_text(
        re.compile(re.escape(words["selected"])))
    # Another typed on a keyboard: straight quotes in a text with curly ones.
    passages.press("End")
    passages.press("Enter")
    passages.press_sequentially(words["typed"])
    page.get_by_label(words["note"]).fill("Saint-Louis")
    page.get_by_role("button", name=words["preview"]).click()

    # The preview: exactly what goes, where; nothing changed yet.
    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    expect(page.locator("#redaction-count")).to_contain_text(words["count"])
    removed = page.locator("#redaction-preview del")
    expect(removed).to_have_count(2)
    expect(removed.first).to_contain_text(words["removed"])
    expect(removed.last).to_contain_text(words["selected"])
    expect(passages).to_have_value(f"{words['selected']}\n{words['typed']}")
    expect(page.get_by_label(words["note"])).to_have_value("Saint-Louis")
    audit.check()
    page.set_viewport_size(PHONE)  # the preview fits a phone's width
    assert page.evaluate(FITS)
    audit.check()
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.locator(".flash")).to_contain_text(words["done"])
    expect(page.locator(".moderated-text")).to_have_text(words["result"])
    audit.check()
    with live_app.app_context():
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert entry.action == AuditAction.REDACT and entry.after_data["replaced"] == 2
        [email] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == data["author_email"])).all()
        assert words["email"] in email.body


def test_without_javascript_the_passage_is_typed(browser, live_server, live_app):
    """The same pages (checked by axe in the journey above: axe needs JavaScript), the passage
    typed, the selection hint never shown."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="en-GB",
                                  java_script_enabled=False)
    page = context.new_page()
    words = WORDS["en"]
    data = redaction_world(live_app, text_language="en")
    sign_in(page, live_server, lambda: None, data["moderator_email"], "en")
    page.goto(f"{live_server}/en/moderation/items/contribution/{data['item_id']}/redact")
    expect(page.locator("#redaction-selection-hint")).to_be_hidden()
    passages = page.get_by_label(words["passages"])
    passages.fill(words["wrong"])
    page.get_by_role("button", name=words["preview"]).click()
    summary_in_view_and_focused(page)
    expect(page.locator("#error-summary")).to_contain_text(words["not_found"])
    expect(passages).to_have_value(words["wrong"])
    passages.fill(words["typed"])
    page.get_by_role("button", name=words["preview"]).click()
    expect(page.locator("#redaction-count")).to_contain_text(
        "1 occurrence will be replaced by “[passage removed by moderation]”.")
    page.get_by_role("button", name="Remove this passage").click()
    expect(page.locator(".flash")).to_contain_text(words["done"])
    expect(page.locator(".moderated-text")).to_have_text(
        "[passage removed by moderation] for a relapse since March. The trial centre was too "
        "far.")
    context.close()
