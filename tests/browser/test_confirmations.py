"""Confirmation before what cannot be undone (engage/core/confirm.py), in a real browser at
1280×900, in French and in English: a moderator blocks an author and hides two items in bulk.

With JavaScript, the dialog: named by its title, described by its statement, the focus inside
it, Escape cancels and gives the focus back to the button, "Confirm" acts; the bulk dialog
counts the selected items. Without JavaScript, the second page: "Cancel" goes back, the
confirming button acts. axe-core checks every page, the open dialog included.
"""

import re

import pytest
from playwright.sync_api import expect

from engage.accounts.models import User
from engage.consultations.models import Contribution
from engage.core.moderated import file_report
from engage.extensions import db
from tests.browser.conftest import DESKTOP
from tests.factories import consultations as builders
from tests.factories.users import PASSWORD

NBSP = "\u00a0"
WORDS = {
    "en": {
        "email": "Email address",
        "password": "Password",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "reason": "Why is this person blocked?",
        "block": "Block",
        "block_title": "Block Pat Author?",
        "block_what": "Pat Author will still be able to read, but no longer to write anything: "
                      "contributions, replies, comments or reviews. They are told at once by "
                      "email, with your reason.",
        "block_cannot": "The email cannot be taken back, even if you unblock them later.",
        "block_confirm": "Block this person",
        "cancel": "Cancel",
        "blocked": "Pat Author is blocked: they can read, not write.",
        "action": "Action on the selected items",
        "hide_reason": "Reason (to hide)",
        "apply": "Apply to the selected items",
        "hide_title": "Hide the selected items?",
        "hide_what": "2 selected items will be hidden from participants, and their authors "
                     "told why.",
        "hide_cannot": "Their authors are told at once: that cannot be taken back, even if you "
                       "restore the items later.",
        "hide_confirm": "Hide the selected items",
        "done": "Done for 2 item(s).",
    },
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "sign_in": "Se connecter",
        "sign_out": "Se déconnecter",
        "reason": f"Pourquoi bloquer cette personne{NBSP}?",
        "block": "Bloquer",
        "block_title": f"Bloquer Pat Author{NBSP}?",
        "block_what": f"Pat Author pourra toujours lire, mais plus rien écrire{NBSP}: ni "
                      "contribution, ni réponse, ni commentaire, ni relecture. Cette personne est "
                      "prévenue aussitôt par e-mail, avec votre motif.",
        "block_cannot": "L’e-mail ne pourra pas être repris, même si vous débloquez cette "
                        "personne plus tard.",
        "block_confirm": "Bloquer cette personne",
        "cancel": "Annuler",
        "blocked": f"Pat Author est bloqué·e{NBSP}: cette personne peut lire, mais plus écrire.",
        "action": "Action sur les éléments sélectionnés",
        "hide_reason": "Motif (pour masquer)",
        "apply": "Appliquer aux éléments sélectionnés",
        "hide_title": f"Masquer les éléments sélectionnés{NBSP}?",
        "hide_what": "2 éléments sélectionnés seront masqués pour les participantes et "
                     "participants, et leurs auteurs et autrices informés du motif.",
        "hide_cannot": f"Leurs auteurs et autrices sont prévenus aussitôt{NBSP}: cela ne pourra "
                       "pas être repris, même si vous rétablissez les éléments plus tard.",
        "hide_confirm": "Masquer les éléments sélectionnés",
        "done": "Fait pour 2 élément(s).",
    },
}
LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


def build(live_app, lang: str) -> dict:
    """A moderator; Pat Author, whose two contributions have been reported."""
    with live_app.app_context():
        moderator = builders.user("moderator", email="mona@example.org", display_name="Mona",
                                  language=lang)
        consultation = builders.consultation("open", author=moderator)
        author = builders.user("participant", display_name="Pat Author", language=lang)
        items = [builders.contribution(consultation, author, f"Rude words, number {number}.",
                                       language="en") for number in (1, 2)]
        for item in items:
            file_report(builders.user("participant"), item, "offensive")
        db.session.commit()
        return {"author": author.id, "items": [item.id for item in items]}


def is_blocked(live_app, user_id: int) -> bool:
    with live_app.app_context():
        return db.session.get(User, user_id).blocked_at is not None


def statuses(live_app, item_ids) -> set[str]:
    with live_app.app_context():
        return {db.session.get(Contribution, item_id).moderation_status for item_id in item_ids}


def sign_in(page, live_server, audit, lang: str) -> None:
    words = WORDS[lang]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.get_by_label(words["email"]).fill("mona@example.org")
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page.get_by_role("button", name=words["sign_out"])).to_be_visible()
    audit.check()


def select_for_hiding(page, item_ids, words) -> None:
    for item_id in item_ids:
        page.locator(f"#select-contribution-{item_id}").check()
    page.get_by_label(words["action"]).select_option("hide")
    page.get_by_label(words["hide_reason"]).select_option("offensive")


@LANGUAGES
def test_with_javascript_a_dialog_asks_first(page, live_server, live_app, audit, lang):
    words = WORDS[lang]
    data = build(live_app, lang)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, audit, lang)

    # Blocking: the dialog says what will happen; Escape changes nothing.
    page.goto(f"{live_server}/{lang}/moderation/users/{data['author']}")
    audit.check()
    page.get_by_label(words["reason"]).fill("Insults, again.")
    block = page.get_by_role("button", name=words["block"], exact=True)
    block.click()
    dialog = page.get_by_role("dialog", name=words["block_title"])
    expect(dialog).to_be_visible()
    expect(dialog).to_have_accessible_description(f"{words['block_what']} "
                                                  f"{words['block_cannot']}")
    expect(dialog.get_by_role("button", name=words["cancel"])).to_be_focused()
    audit.check()  # the page with its dialog open
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(block).to_be_focused()
    assert not is_blocked(live_app, data["author"])
    # "Cancel" too; then the confirming button blocks.
    block.click()
    dialog.get_by_role("button", name=words["cancel"]).click()
    expect(dialog).to_be_hidden()
    expect(block).to_be_focused()
    block.click()
    dialog.get_by_role("button", name=words["block_confirm"]).click()
    expect(page.get_by_text(words["blocked"])).to_be_visible()
    audit.check()
    assert is_blocked(live_app, data["author"])

    # Hiding in bulk: the dialog counts the selected items.
    page.goto(f"{live_server}/{lang}/moderation/")
    audit.check()
    select_for_hiding(page, data["items"], words)
    page.get_by_role("button", name=words["apply"]).click()
    dialog = page.get_by_role("dialog", name=words["hide_title"])
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(words["hide_what"])
    expect(dialog).to_contain_text(words["hide_cannot"])
    audit.check()
    assert statuses(live_app, data["items"]) == {"published"}
    dialog.get_by_role("button", name=words["hide_confirm"]).click()
    expect(page.get_by_text(words["done"])).to_be_visible()
    audit.check()
    assert statuses(live_app, data["items"]) == {"hidden"}


class ScriptlessAudit:
    """axe-core runs in the page, so not where JavaScript is off: each page of the context
    without it is checked as that browser has it (its scripts removed), served at its own URL
    to a page of the usual audit."""

    SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)

    def __init__(self, page, checker, audit):
        self.page, self.checker, self.audit = page, checker, audit
        self.visited: list[str] = []
        self.checked: set[str] = set()
        page.on("load", lambda: self.visited.append(page.url.split("#")[0]))

    def check(self):
        self.page.wait_for_load_state("load")
        url = self.page.url.split("#")[0]
        markup = self.SCRIPT.sub("", self.page.content())

        def is_this_page(address: str) -> bool:
            return address == url

        def serve(route):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=markup)

        self.checker.route(is_this_page, serve)
        try:
            self.checker.goto(url)
        finally:
            self.checker.unroute(is_this_page, serve)
        self.checked.add(url)
        try:
            self.audit.check()
        except AssertionError as problem:
            raise AssertionError(f"without JavaScript: {problem}") from None

    def assert_every_page_checked(self):
        unchecked = [url for url in self.visited if url not in self.checked]
        assert not unchecked, f"pages visited without an accessibility check: {unchecked}"


@LANGUAGES
def test_without_javascript_a_second_page_asks_first(browser, page, live_server, live_app, audit,
                                                     lang):
    words = WORDS[lang]
    data = build(live_app, lang)
    page.set_viewport_size(DESKTOP)
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale=f"{lang}-FR",
                                  java_script_enabled=False)
    scriptless = context.new_page()
    checks = ScriptlessAudit(scriptless, page, audit)
    sign_in(scriptless, live_server, checks, lang)
    main = scriptless.locator("main")

    # Blocking: the second page says what will happen; "Cancel" goes back, nothing done.
    user_page = f"{live_server}/{lang}/moderation/users/{data['author']}"
    scriptless.goto(user_page)
    checks.check()
    scriptless.get_by_label(words["reason"]).fill("Insults, again.")
    scriptless.get_by_role("button", name=words["block"], exact=True).click()
    expect(scriptless.get_by_role("heading", level=1)).to_have_text(words["block_title"])
    expect(main).to_contain_text(words["block_what"])
    expect(main).to_contain_text(words["block_cannot"])
    checks.check()
    scriptless.get_by_role("link", name=words["cancel"]).click()
    expect(scriptless).to_have_url(user_page)
    checks.check()
    assert not is_blocked(live_app, data["author"])
    scriptless.get_by_label(words["reason"]).fill("Insults, again.")
    scriptless.get_by_role("button", name=words["block"], exact=True).click()
    checks.check()
    scriptless.get_by_role("button", name=words["block_confirm"]).click()
    expect(scriptless.get_by_text(words["blocked"])).to_be_visible()
    checks.check()
    assert is_blocked(live_app, data["author"])

    # Hiding in bulk: the second page says how many; its button hides them.
    scriptless.goto(f"{live_server}/{lang}/moderation/")
    checks.check()
    select_for_hiding(scriptless, data["items"], words)
    scriptless.get_by_role("button", name=words["apply"]).click()
    expect(scriptless.get_by_role("heading", level=1)).to_have_text(words["hide_title"])
    expect(main).to_contain_text(words["hide_what"])
    expect(main).to_contain_text(words["hide_cannot"])
    checks.check()
    assert statuses(live_app, data["items"]) == {"published"}
    scriptless.get_by_role("button", name=words["hide_confirm"]).click()
    expect(scriptless.get_by_text(words["done"])).to_be_visible()
    checks.check()
    assert statuses(live_app, data["items"]) == {"hidden"}
    checks.assert_every_page_checked()
    context.close()
