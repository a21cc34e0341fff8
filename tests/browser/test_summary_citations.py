"""Citing contributions in a summary, in a real browser: a moderator finds contributions beside
the text, inserts their numbers where the cursor is (mouse and keyboard), saves and reads the
coverage figures; without JavaScript, "Insert" adds the citation at the end of the text and
keeps what was typed. axe-core checks every page visited with JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from engage.extensions import db
from engage.summaries.models import Summary
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories.summaries import citable_consultation
from tests.factories.users import PASSWORD

TEXTS = {
    "fr": {"insert": "Insérer [#{id}]", "search": "Mots ou numéro",
           "uncited": "Seulement celles qui ne sont pas encore citées dans le texte où j’insère",
           "inserted": "[#{id}] inséré dans le texte en français.",
           "added": "[#{id}] ajouté à la fin du texte en français.",
           "save": "Enregistrer le brouillon", "saved": "La synthèse est enregistrée.",
           "cited": "3 contributions citées.", "themes": "Thèmes couverts\u00a0: 2 sur 3.",
           "uncovered": "Aucune contribution citée pour ces thèmes\u00a0: Travail.",
           "formula": "Facilité de lecture (Kandel–Moles)",
           "error": "Merci de corriger les points suivants", "into": "le texte en français"},
    "en": {"insert": "Insert [#{id}]", "search": "Words or number",
           "uncited": "Only those not cited yet in the text I insert into",
           "inserted": "[#{id}] inserted in the French text.",
           "added": "[#{id}] added at the end of the French text.",
           "save": "Save the draft", "saved": "The summary is saved.",
           "cited": "3 contributions cited.", "themes": "Themes covered: 2 of 3.",
           "uncovered": "No contribution cited from these themes: Work.",
           "formula": "Reading ease (Kandel–Moles)",
           "error": "Please correct the following", "into": "the French text"},
}

IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= -1 && box.bottom <= innerHeight;
}"""


def build(live_app) -> dict:
    with live_app.app_context():
        moderator, _consultation, summary, _themes, items = citable_consultation(extra=2)
        db.session.commit()
        return {"email": moderator.email, "summary_id": summary.id,
                **{name: item.id for name, item in items.items()}}


def sign_in(page, live_server, lang, email, audit=None):
    page.goto(f"{live_server}/{lang}/account/sign-in")
    if audit:
        audit.check()
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cite_contributions_beside_the_text(page, live_server, live_app, audit, lang):
    words = TEXTS[lang]
    data = build(live_app)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, lang, data["email"], audit)
    audit.check()
    page.goto(f"{live_server}/{lang}/summaries/{data['summary_id']}/edit")
    audit.check()
    french = page.locator("#body_fr")
    picker = page.locator("#citation-picker")
    # Beside the text at 1280 px.
    text_box, picker_box = french.bounding_box(), picker.bounding_box()
    assert picker_box["x"] >= text_box["x"] + text_box["width"]
    assert picker_box["y"] < text_box["y"] + text_box["height"]

    # Unsaved words, then a search sent with Enter: the text is kept.
    french.fill("Le trajet est long. Fin.")
    page.get_by_label(words["search"]).fill("train")
    page.get_by_label(words["search"]).press("Enter")
    page.wait_for_load_state("load")
    audit.check()
    expect(french).to_have_value("Le trajet est long. Fin.")
    expect(picker.get_by_role("button", name=re.compile(r"\[#\d+\]"))).to_have_count(1)

    # With the mouse: at the cursor, the focus back in the text, said politely.
    french.click()
    french.press("Control+Home")
    for _ in range(len("Le trajet est long.")):
        french.press("ArrowRight")
    reply = picker.get_by_role("button", name=words["insert"].format(id=data["reply"]))
    reply.click()
    expect(french).to_have_value(f"Le trajet est long. [#{data['reply']}] Fin.")
    expect(french).to_be_focused()
    expect(picker.locator("[data-citation-status]")).to_have_text(
        words["inserted"].format(id=data["reply"]))
    expect(picker.locator(f"#cite-{data['reply']} [data-citation-cited]")).to_be_visible()

    # With the keyboard, from a new search; "not cited yet" follows the text.
    page.get_by_label(words["search"]).fill("")
    page.get_by_label(words["uncited"]).check()
    page.get_by_label(words["search"]).press("Enter")
    page.wait_for_load_state("load")
    audit.check()
    expect(french).to_have_value(f"Le trajet est long. [#{data['reply']}] Fin.")
    expect(picker.locator(f"#cite-{data['reply']}")).to_have_count(0)
    french.focus()
    french.press("Control+End")
    travel = picker.get_by_role("button", name=words["insert"].format(id=data["travel"]))
    travel.focus()
    expect(travel).to_be_focused()
    page.keyboard.press("Enter")
    expect(french).to_have_value(
        f"Le trajet est long. [#{data['reply']}] Fin. [#{data['travel']}]")
    expect(french).to_be_focused()
    expect(picker.locator(f"#cite-{data['travel']}")).to_be_hidden()
    # The tired one is tagged Fatigue; a hidden contribution is never offered.
    tired = picker.get_by_role("button", name=words["insert"].format(id=data["tired"]))
    tired.click()
    french.press("Control+End")
    french.type(" [#999999]")  # a number of no contribution: flagged, not counted

    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    audit.check()
    coverage = page.locator("#coverage-fr")
    # reply (no theme), travel (Transport), tired (Fatigue); the unknown one is not counted.
    expect(coverage).to_contain_text(words["cited"])
    expect(coverage).to_contain_text(words["themes"])
    expect(coverage).to_contain_text(words["uncovered"])
    expect(coverage).to_contain_text("[#999999]")
    expect(page.locator("#readability-fr")).to_contain_text(words["formula"])
    with live_app.app_context():
        body = db.session.get(Summary, data["summary_id"]).body("fr")
    assert body.count("[#") == 4

    # On a phone: the picker below the text, nothing wider than the screen.
    page.set_viewport_size(PHONE)
    page.reload()
    audit.check()
    text_box, picker_box = french.bounding_box(), picker.bounding_box()
    assert picker_box["y"] >= text_box["y"] + text_box["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_without_javascript_insert_keeps_the_text(browser, live_server, live_app, lang):
    words = TEXTS[lang]
    data = build(live_app)
    context = browser.new_context(viewport=PHONE, locale=f"{lang}-FR",
                                  java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, lang, data["email"])
    page.goto(f"{live_server}/{lang}/summaries/{data['summary_id']}/edit")
    french = page.locator("#body_fr")
    # Below the text on a phone, and nothing wider than the screen.
    assert page.locator("#citation-picker").bounding_box()["y"] > \
        french.bounding_box()["y"] + french.bounding_box()["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    french.fill("Le trajet est long.")
    page.get_by_label(words["into"]).check()  # the English page inserts in English at first
    page.get_by_role("button", name=words["insert"].format(id=data["travel"])).click()
    page.wait_for_load_state("load")
    expect(french).to_have_value(f"Le trajet est long. [#{data['travel']}]")
    expect(page.locator("#citation-added")).to_have_text(
        words["added"].format(id=data["travel"]))
    assert page.url.endswith("#citation-added")
    assert page.evaluate(IN_VIEW, "#citation-added")

    # Too long once the citation is added: the page opens at the error summary, text kept.
    long_text = "a" * 29999
    french.fill(long_text)
    page.get_by_role("button", name=words["insert"].format(id=data["tired"])).click()
    page.wait_for_load_state("load")
    expect(page.locator("#error-summary")).to_contain_text(words["error"])
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.evaluate(IN_VIEW, "#error-summary")
    assert french.input_value() == long_text
    with live_app.app_context():
        assert db.session.get(Summary, data["summary_id"]).body("fr") == ""
    context.close()
