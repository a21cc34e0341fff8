"""From contributions to a published outcome, the moderators' way, at 1280 px in French and
English: a moderator gives a theme to 50 contributions in one action (filter, "all matching",
Apply), starts the summary, cites 10 of them through the picker beside the text, saves and
sends it for review; a second moderator approves and publishes it through the confirmation
dialog. axe-core checks every page.

The pages and clicks are counted (`Walk`), for the closing note: before this round, theming
was one contribution at a time (a page each) and the editor listed no contribution to cite.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.summaries.models import Summary, SummaryStatus
from tests.browser.conftest import DESKTOP
from tests.factories import consultations, stored
from tests.factories.users import PASSWORD, user

NBSP = "\u00a0"
TEXTS = {
    "fr": {
        "email": "Adresse e-mail", "password": "Mot de passe", "sign_in": "Se connecter",
        "sign_out": "Se déconnecter", "words": "Mots du texte", "filter": "Filtrer",
        "all": "Les 50 contributions correspondant aux filtres", "apply": "Appliquer",
        "given": f"Le thème «{NBSP}Transport{NBSP}» est donné à 50 contributions.",
        "start": "Commencer la synthèse", "search": "Mots ou numéro", "insert": "Insérer",
        "show": "Afficher ces contributions", "save": "Enregistrer le brouillon",
        "saved": "La synthèse est enregistrée.", "cited": "10 contributions citées.",
        "send": "Envoyer en relecture",
        "sent": f"La synthèse est envoyée en relecture{NBSP}: un autre modérateur ou une "
                "autre modératrice doit l’approuver.",
        "approve": "Approuver et publier",
        "published": "La synthèse est publiée.",
    },
    "en": {
        "email": "Email address", "password": "Password", "sign_in": "Sign in",
        "sign_out": "Sign out", "words": "Words in the text", "filter": "Filter",
        "all": "All 50 contributions matching the filters", "apply": "Apply",
        "given": "The theme “Transport” is given to 50 contributions.",
        "start": "Start the summary", "search": "Words or number", "insert": "Insert",
        "show": "Show these contributions", "save": "Save the draft",
        "saved": "The summary is saved.", "cited": "10 contributions cited.",
        "send": "Send for review",
        "sent": "The summary is sent for review: another moderator must approve it.",
        "approve": "Approve and publish",
        "published": "The summary is published.",
    },
}


class Walk:
    """Counts what a moderator does: pages loaded (in the main frame) and clicks."""

    def __init__(self, page):
        self.pages = 0
        self.clicks = 0
        page.on("load", lambda: setattr(self, "pages", self.pages + 1))

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()


def world(live_app, lang: str) -> dict:
    """A closed consultation: 50 contributions about transport (each naming the hospital
    they travel to), 5 about something else; two moderators who read `lang`."""
    with stored(live_app):
        writer = user("moderator", language=lang, display_name="Mona")
        approver = user("moderator", language=lang, display_name="Max")
        transport = consultations.theme("Transport", "Transport")
        consultation = consultations.consultation("closed", author=writer, themes=[transport])
        people = [user("participant", language="fr") for _ in range(5)]
        about_transport = [consultations.contribution(
            consultation, people[n % 5], f"Les transports jusqu’à l’hôpital {n} coûtent cher.",
            language="fr").id for n in range(50)]
        for n in range(5):
            consultations.contribution(consultation, people[n], f"Autre sujet numéro {n}.",
                                       language="fr")
        db.session.flush()
        return {"writer": writer.email, "approver": approver.email,
                "consultation": consultation.id, "transport": about_transport,
                "theme": transport.id}


def sign_in(page, walk, audit, live_server, lang, email):
    words = TEXTS[lang]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    walk.click(page.get_by_role("button", name=words["sign_in"]))
    expect(page.get_by_role("button", name=words["sign_out"])).to_be_visible()
    audit.check()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_fifty_contributions_themed_ten_cited_and_the_summary_published(
        page, live_server, live_app, audit, lang):
    words = TEXTS[lang]
    data = world(live_app, lang)
    page.set_viewport_size(DESKTOP)
    walk = Walk(page)
    sign_in(page, walk, audit, live_server, lang, data["writer"])

    # Themes: the 50 about transport, in one action.
    page.goto(f"{live_server}/{lang}/moderation/consultations/{data['consultation']}/themes")
    audit.check()
    page.get_by_label(words["words"]).fill("transports")
    walk.click(page.get_by_role("button", name=words["filter"], exact=True))
    audit.check()
    walk.click(page.get_by_label(words["all"]))
    page.locator("#bulk-theme").select_option(label="Transport")
    walk.click(page.get_by_role("button", name=words["apply"], exact=True))
    expect(page.get_by_text(words["given"])).to_be_visible()
    audit.check()
    with live_app.app_context():
        tagged = set(db.session.scalars(select(ContributionTheme.contribution_id).where(
            ContributionTheme.theme_id == data["theme"])))
    assert tagged == set(data["transport"])

    # The summary: started from the summaries' page, 10 contributions cited with the picker.
    page.goto(f"{live_server}/{lang}/summaries/manage")
    audit.check()
    walk.click(page.get_by_role("button", name=re.compile(f"^{words['start']}")).first)
    expect(page).to_have_url(re.compile(r"/summaries/\d+/edit"))
    audit.check()
    summary_id = int(re.search(r"/summaries/(\d+)/edit", page.url).group(1))
    picker = page.locator("#citation-picker")
    page.get_by_label(words["search"]).fill("transports")
    walk.click(picker.get_by_role("button", name=words["show"]))
    audit.check()
    cited = data["transport"][:10]
    for language, intro in (("fr", "Le coût des transports revient souvent."),
                            ("en", "The cost of transport comes up often.")):
        text = page.locator(f"#body_{language}")
        walk.click(text)
        text.fill(intro)  # typing in a text makes it where the picker inserts
        for number in cited:
            walk.click(picker.get_by_role("button", name=f"{words['insert']} [#{number}]"))
        expect(text).to_have_value(re.compile(rf"^{re.escape(intro)}( \[#\d+\]){{10}}$"))
    walk.click(page.get_by_role("button", name=words["save"]))
    expect(page.get_by_text(words["saved"])).to_be_visible()
    expect(page.locator("#coverage-fr")).to_contain_text(words["cited"])
    expect(page.locator("#coverage-en")).to_contain_text(words["cited"])
    audit.check()
    walk.click(page.get_by_role("button", name=words["send"]))
    expect(page.get_by_text(words["sent"])).to_be_visible()
    audit.check()
    writer_pages, writer_clicks = walk.pages, walk.clicks

    # The second moderator publishes it, after the dialog that says what it does.
    page.context.clear_cookies()
    sign_in(page, walk, audit, live_server, lang, data["approver"])
    page.goto(f"{live_server}/{lang}/summaries/{summary_id}/edit")
    audit.check()
    walk.click(page.get_by_role("button", name=words["approve"]))
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    audit.check()  # the open dialog too
    walk.click(dialog.get_by_role("button", name=words["approve"]))
    expect(page.get_by_text(words["published"])).to_be_visible()
    audit.check()
    with live_app.app_context():
        summary = db.session.get(Summary, summary_id)
        assert summary.status == SummaryStatus.PUBLISHED
        assert all(f"[#{number}]" in summary.body(language)
                   for number in cited for language in ("fr", "en"))

    # What it took (for the closing note): the writer, then the approver.
    print(f"\n[{lang}] writer: {writer_pages} pages, {writer_clicks} clicks; approver: "
          f"{walk.pages - writer_pages} pages, {walk.clicks - writer_clicks} clicks")
    assert writer_pages <= 10 and walk.pages - writer_pages <= 4
