"""Themes in bulk, in a real browser at 1280×900, in French and in English: a moderator filters
a consultation's contributions, ticks them all with "select all on this page" (JavaScript),
unticks one with the keyboard, gives them a theme in one action; then applies a suggested
phrase in one click. axe-core checks every page. And both pages at 390 px wide.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engage.consultations.models import Contribution, ThemeTranslation
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry, ContributionTheme
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories.moderation import themes_world
from tests.factories.users import PASSWORD

NBSP = "\u00a0"
WORDS = {
    "en": {
        "email": "Email address",
        "password": "Password",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "heading": "Themes of “Living after cancer”",
        "text": "Words in the text",
        "filter": "Filter",
        "matching": "4 contributions match the filters",
        "none_ticked": "Please tick at least one contribution, or choose all the contributions "
                       "matching the filters.",
        "select_all": "Select all on this page",
        "travel": "Travel",
        "apply": "Apply",
        "given": "The theme “Travel” is given to 3 contributions.",
        "suggested": "Suggested themes",
        "suggested_heading": "Suggested themes for “Living after cancer”",
        "covers": "Covers 3 contributions",
        "create": "Create the theme “Retour au travail” and give it to these 3 contributions",
        "applied": "The theme “Retour au travail” is given to 3 contributions.",
        "none_left": "No suggestion for now",
    },
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "sign_in": "Se connecter",
        "sign_out": "Se déconnecter",
        "heading": f"Thèmes de «{NBSP}Vivre après un cancer{NBSP}»",
        "text": "Mots du texte",
        "filter": "Filtrer",
        "matching": "4 contributions correspondent aux filtres",
        "none_ticked": "Veuillez cocher au moins une contribution, ou choisir toutes les "
                       "contributions correspondant aux filtres.",
        "select_all": "Tout sélectionner sur cette page",
        "travel": "Transport",
        "apply": "Appliquer",
        "given": f"Le thème «{NBSP}Transport{NBSP}» est donné à 3 contributions.",
        "suggested": "Thèmes suggérés",
        "suggested_heading": f"Thèmes suggérés pour «{NBSP}Vivre après un cancer{NBSP}»",
        "covers": "Couvre 3 contributions",
        "create": f"Créer le thème «{NBSP}Retour au travail{NBSP}» et le donner à ces "
                  "3 contributions",
        "applied": f"Le thème «{NBSP}Retour au travail{NBSP}» est donné à 3 contributions.",
        "none_left": "Aucune suggestion pour l’instant",
    },
}


def sign_in(page, live_server, audit, lang: str, email: str) -> None:
    words = WORDS[lang]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page.get_by_role("button", name=words["sign_out"])).to_be_visible()
    audit.check()


def themes_of(live_app, contribution_id: int) -> set[str]:
    """The French names of a contribution's themes."""
    with live_app.app_context():
        item = db.session.get(Contribution, contribution_id)
        ids = set(db.session.scalars(select(ContributionTheme.theme_id).where(
            ContributionTheme.contribution_id == contribution_id)))
        ids |= {item.theme_id} if item.theme_id else set()
        return set(db.session.scalars(select(ThemeTranslation.label).where(
            ThemeTranslation.theme_id.in_(ids), ThemeTranslation.language == "fr")))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_moderator_gives_themes_to_many_contributions_at_once(page, live_server, live_app,
                                                               audit, lang):
    words = WORDS[lang]
    data = themes_world(live_app, moderator_language=lang)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, audit, lang, data["moderator_email"])
    main = page.locator("main")

    page.goto(f"{live_server}/{lang}/moderation/consultations/{data['consultation_id']}/themes")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    audit.check()

    # Filter by a word: the list and its count follow, the filter stays in the address.
    page.get_by_label(words["text"]).fill("travail")
    page.get_by_role("button", name=words["filter"], exact=True).click()
    expect(page.get_by_role("heading", level=2, name=words["matching"])).to_be_visible()
    audit.check()
    boxes = main.locator('input[name="bulk-contributions"]')
    expect(boxes).to_have_count(4)

    # "Apply" with nothing ticked: the page opens at the error, the filter kept.
    page.locator("#bulk-theme").select_option(label=words["travel"])
    page.get_by_role("button", name=words["apply"], exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(words["none_ticked"])
    expect(summary).to_be_focused()
    expect(page.get_by_label(words["text"])).to_have_value("travail")
    expect(boxes).to_have_count(4)
    audit.check()

    # "Select all on this page" (JavaScript) ticks the four; one is unticked with the
    # keyboard, and the box says "some".
    select_all = page.get_by_label(words["select_all"])
    select_all.check()
    for index in range(4):
        expect(boxes.nth(index)).to_be_checked()
    hidden = page.locator(f"#bulk-contribution-{data['hidden']}")
    hidden.focus()
    page.keyboard.press("Space")
    expect(hidden).not_to_be_checked()
    assert select_all.evaluate("box => box.indeterminate") is True

    # The theme, then "Apply" from the keyboard.
    page.locator("#bulk-theme").select_option(label=words["travel"])
    page.get_by_role("button", name=words["apply"], exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(words["given"])).to_be_visible()
    expect(page.get_by_label(words["text"])).to_have_value("travail")
    audit.check()
    for name in ("work", "work_again", "position"):
        assert themes_of(live_app, data[name]) == {"Transport"}
    assert themes_of(live_app, data["hidden"]) == set()

    # A suggested phrase, applied in one click to exactly the contributions holding it.
    page.get_by_role("link", name=words["suggested"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["suggested_heading"])
    expect(main).to_contain_text(words["covers"])
    audit.check()
    page.get_by_role("button", name=words["create"]).click()
    expect(page.get_by_text(words["applied"])).to_be_visible()
    expect(main).to_contain_text(words["none_left"])
    audit.check()
    for name in ("work", "work_again", "position"):
        assert themes_of(live_app, data[name]) == {"Transport", "Retour au travail"}
    assert themes_of(live_app, data["hidden"]) == set()
    with live_app.app_context():
        tagged = db.session.scalars(select(AuditEntry.target_id).where(
            AuditEntry.action == AuditAction.TAG)).all()
    assert sorted(tagged) == sorted(2 * [data["work"], data["work_again"], data["position"]])


def test_the_themes_pages_fit_a_phone(page, live_server, live_app, audit):
    data = themes_world(live_app)
    sign_in(page, live_server, audit, "en", data["moderator_email"])
    page.set_viewport_size(PHONE)
    base = f"{live_server}/en/moderation/consultations/{data['consultation_id']}/themes"
    for address in (base, f"{base}/suggestions"):
        page.goto(address)
        audit.check()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
