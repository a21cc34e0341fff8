"""Consultations in a real browser: the representative's journey (answering, contributing,
giving her association's position, replying, supporting, reporting, reading about a reply
and a citation in My space, reading results) at 1280 px and 390×844, in French and English;
small screens; a moderator creating a consultation. axe-core checks every page visited."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engage.accounts import services as accounts
from engage.accounts.models import Association, User
from engage.consultations import participation
from engage.consultations.demo import load_demo
from engage.consultations.models import (
    ConsultationResponse,
    ConsultationTranslation,
    Contribution,
)
from engage.core.commands import DEMO_PASSWORD
from engage.core.moderated import Report
from engage.demo import load_accounts
from engage.extensions import db
from engage.summaries.demo import load_demo as load_summaries_demo
from tests.browser.conftest import JOURNEYS, header_link

REPRESENTATIVE = "representative@example.org"
# She speaks for "Ensemble contre le cancer du sein en Île-de-France", which has already
# given its position in "Living after cancer"; the test makes her a representative of this
# one too, so that she can give its position there.
SECOND_ASSOCIATION = "Vivre après un cancer"
FIRST_ASSOCIATION = "Ensemble contre le cancer du sein en Île-de-France"

TEXTS = {
    "fr": {
        "sign_in": "Se connecter",
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "welcome": "Bienvenue, Rose Représentante.",
        "living": "Vivre après un cancer",
        "answer": "Répondre au questionnaire",
        "free_text": "Qu’aimeriez-vous dire aux chercheuses et aux chercheurs\u00a0?",
        "free_answer": "Écoutez les proches.",
        "send_answers": "Envoyer mes réponses",
        "answer_please": "Merci de répondre à cette question.",
        "capacity": "Proche aidant·e",
        "difficulties": ["Fatigue persistante", "Retour au travail"],
        "ranking": ["Vie professionnelle", "Fatigue et sommeil", "Troubles cognitifs",
                    "Activité physique adaptée"],
        "answers_saved": "Merci, vos réponses sont enregistrées.",
        "contribute": "Contribuer",
        "your_contribution": "Votre contribution",
        "theme": "Thème",
        "late_effects": "Effets tardifs des traitements",
        "work": "Retour au travail",
        "post_as": "Publier en tant que",
        "myself": "Moi-même",
        "already_spoken": "Votre association {} a déjà donné sa position dans cette "
                          "consultation.",
        "publish": "Publier ma contribution",
        "published": "Merci, votre contribution est publiée.",
        "mine": ("Les proches ont aussi besoin de *répit*.",
                 "Les proches ont aussi besoin de répit."),
        "position": ("Notre association demande des recherches sur le *maintien dans "
                     "l’emploi*.",
                     "Notre association demande des recherches sur le maintien dans "
                     "l’emploi."),
        "positions": "Prises de position d’associations",
        "posted_by": "Prise de position d’association, publiée par Rose Représentante",
        "reply_to_paul": "Répondre à Paul Relecteur",
        "paul_heading": "Contribution de Paul Relecteur",
        "your_reply": "Votre réponse",
        "publish_reply": "Publier ma réponse",
        "reply_published": "Merci, votre réponse est publiée.",
        "my_reply": "Beaucoup de nos adhérentes disent la même chose.",
        "support_alice": "Soutenir la contribution d’Alice Admin",  # elided on the page
        "supported": "Vous soutenez cette contribution.",
        "two_supports": "2 soutiens",
        "report_paul": "Signaler la contribution de Paul Relecteur",
        "report_heading": "Signaler une contribution",
        "off_topic": "Hors sujet",
        "send_report": "Envoyer le signalement",
        "reported": "Les modérateurs vont examiner cette contribution.",
        "space": "Mon espace",
        "unread": "3 notifications non lues",
        "reply_note": "Jane Participant a répondu à votre contribution dans «\u00a0Vivre "
                      "après un cancer\u00a0».",
        "cited_note": "Vos mots ont été repris\u00a0: la synthèse de «\u00a0Accès aux essais "
                      "cliniques\u00a0» cite votre contribution.",
        "rose_heading": "Contribution de Rose Représentante",
        "trials": "Accès aux essais cliniques",
        "results": "Résultats du questionnaire",
        "grouped": "Autres réponses (groupes de moins de 5 personnes)",
        "dont_know": "Je ne sais pas",
    },
    "en": {
        "sign_in": "Sign in",
        "email": "Email address",
        "password": "Password",
        "living": "Living after cancer",
        "answer": "Answer the questionnaire",
        "free_text": "What would you like to tell researchers?",
        "free_answer": "Listen to carers.",
        "send_answers": "Send my answers",
        "answer_please": "Please answer this question.",
        "capacity": "Carer",
        "difficulties": ["Lasting fatigue", "Return to work"],
        "ranking": ["Working life", "Fatigue and sleep", "Cognitive problems",
                    "Adapted physical activity"],
        "answers_saved": "Thank you, your answers are saved.",
        "contribute": "Contribute",
        "your_contribution": "Your contribution",
        "theme": "Theme",
        "late_effects": "Late effects of treatment",
        "work": "Return to work",
        "post_as": "Post as",
        "myself": "Myself",
        "already_spoken": "Your association {} has already given its position in this "
                          "consultation.",
        "publish": "Publish my contribution",
        "published": "Thank you, your contribution is published.",
        "mine": ("Carers need *respite* too.", "Carers need respite too."),
        "position": ("Our association asks for research on *staying in work*.",
                     "Our association asks for research on staying in work."),
        "positions": "Association positions",
        "posted_by": "Association position, posted by Rose Représentante",
        "reply_to_paul": "Reply to Paul Relecteur",
        "paul_heading": "Contribution of Paul Relecteur",
        "your_reply": "Your reply",
        "publish_reply": "Publish my reply",
        "reply_published": "Thank you, your reply is published.",
        "my_reply": "Many of our members say the same.",
        "support_alice": "Support the contribution of Alice Admin",
        "supported": "You support this contribution.",
        "two_supports": "2 supports",
        "report_paul": "Report the contribution of Paul Relecteur",
        "report_heading": "Report a contribution",
        "off_topic": "Off-topic",
        "send_report": "Send the report",
        "reported": "The moderators will look at this contribution.",
        "space": "My space",
        "unread": "3 unread notifications",
        "reply_note": "Jane Participant replied to your contribution in “Living after "
                      "cancer”.",
        "cited_note": "Your words were used: the summary of “Access to clinical trials” "
                      "cites your contribution.",
        "rose_heading": "Contribution of Rose Représentante",
        "trials": "Access to clinical trials",
        "results": "Results of the questionnaire",
        "grouped": "Other answers (groups under 5 people)",
        "dont_know": "I don’t know",
    },
}
JANES_REPLY = "I agree: nobody told me about it either."


def _load_demo(live_app):
    with live_app.app_context():
        load_accounts(DEMO_PASSWORD)
        load_demo()
        db.session.commit()


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _association(name):
    return db.session.scalar(select(Association).where(Association.name == name))


@pytest.fixture
def representative_world(live_app):
    """The demo accounts and consultations, and the published summary of "Access to
    clinical trials" citing the representative (its approval notified her: the other
    areas' demo data is not needed). She now also represents the association "Vivre après
    un cancer", which has no position yet in "Living after cancer", and the participant
    has replied to her contribution there. Returns the association's id."""
    with live_app.test_request_context("/en/"):
        load_accounts(DEMO_PASSWORD)
        load_demo()
        load_summaries_demo()
        representative = _user(REPRESENTATIVE)
        association = _association(SECOND_ASSOCIATION)
        membership = accounts.request_representation(representative, association,
                                                     "Mandatée par le bureau")
        accounts.decide_representation(_user("moderator@example.org"), membership, True)
        hers = db.session.scalar(
            select(Contribution)
            .join(ConsultationTranslation,
                  ConsultationTranslation.consultation_id == Contribution.consultation_id)
            .where(ConsultationTranslation.title == "Living after cancer",
                   Contribution.author_id == representative.id,
                   Contribution.parent_id.is_(None), Contribution.association_id.is_(None)))
        participation.post_reply(_user("participant@example.org"), hers, JANES_REPLY,
                                 language="en")
        db.session.commit()
        return association.id


@JOURNEYS
def test_representative_answers_contributes_gives_a_position_and_reads_notifications(
    page, live_server, live_app, audit, representative_world, screen, lang
):
    words = TEXTS[lang]
    page.set_viewport_size(screen)
    page.goto(f"{live_server}/{lang}/consultations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    audit.check()

    # She signs in from the header (on a phone, through the menu).
    header_link(page, words["sign_in"]).click()
    audit.check()
    page.get_by_label(words["email"]).fill(REPRESENTATIVE)
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    # Home in her own language, French, welcomed in French whatever the form's language.
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/fr/"))
    expect(page.get_by_text(TEXTS["fr"]["welcome"])).to_be_visible()
    audit.check()

    # The consultation, in the journey's language (hers is French: she lands on /fr/).
    page.goto(f"{live_server}/{lang}/consultations/")
    audit.check()
    page.get_by_role("link", name=words["living"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["living"])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    audit.check()

    # The questionnaire: a first try without the required answers.
    page.get_by_role("link", name=words["answer"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire")
    audit.check()
    page.get_by_label(words["free_text"]).fill(words["free_answer"])
    page.get_by_role("button", name=words["send_answers"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["answer_please"])
    expect(page.get_by_label(words["free_text"])).to_have_value(words["free_answer"])
    audit.check()
    page.get_by_role("radio", name=words["capacity"]).check()
    for difficulty in words["difficulties"]:
        page.get_by_role("checkbox", name=difficulty).check()
    page.get_by_role("radio", name="4", exact=True).check()
    for rank, option in enumerate(words["ranking"], start=1):
        page.get_by_label(option).select_option(str(rank))
    page.get_by_role("button", name=words["send_answers"]).click()
    expect(page.get_by_text(words["answers_saved"])).to_be_visible()
    audit.check()

    # A contribution in her own name. "Post as" offers only the association that has not
    # spoken here yet.
    contribute = page.get_by_role("region", name=words["contribute"])
    expect(contribute.get_by_text(words["already_spoken"].format(FIRST_ASSOCIATION))
           ).to_be_visible()
    expect(contribute.get_by_label(words["post_as"]).locator("option")).to_have_text(
        [words["myself"], SECOND_ASSOCIATION])
    contribute.get_by_label(words["your_contribution"]).fill(words["mine"][0])
    contribute.get_by_label(words["theme"]).select_option(label=words["late_effects"])
    contribute.get_by_role("button", name=words["publish"]).click()
    expect(page.get_by_text(words["published"])).to_be_visible()
    expect(page.locator("article", has_text=words["mine"][1])).to_be_visible()
    expect(page.locator("article.position", has_text=words["mine"][1])).to_have_count(0)
    audit.check()

    # Her association's position, listed as the association's.
    contribute = page.get_by_role("region", name=words["contribute"])
    contribute.get_by_label(words["your_contribution"]).fill(words["position"][0])
    contribute.get_by_label(words["theme"]).select_option(label=words["work"])
    contribute.get_by_label(words["post_as"]).select_option(label=SECOND_ASSOCIATION)
    contribute.get_by_role("button", name=words["publish"]).click()
    expect(page.get_by_text(words["published"])).to_be_visible()
    positions = page.get_by_role("region", name=words["positions"])
    ours = positions.locator("article", has=page.get_by_role(
        "heading", name=SECOND_ASSOCIATION, exact=True))
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text(words["posted_by"])
    expect(ours).to_contain_text(words["position"][1])
    # One position per association: now both have spoken, "Post as" is gone.
    contribute = page.get_by_role("region", name=words["contribute"])
    expect(contribute.get_by_text(words["already_spoken"].format(SECOND_ASSOCIATION))
           ).to_be_visible()
    expect(contribute.get_by_label(words["post_as"])).to_have_count(0)
    audit.check()

    # A reply to someone else's contribution.
    page.get_by_role("link", name=words["reply_to_paul"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["paul_heading"])
    audit.check()
    page.get_by_label(words["your_reply"]).fill(words["my_reply"])
    page.get_by_role("button", name=words["publish_reply"]).click()
    expect(page.get_by_text(words["reply_published"])).to_be_visible()
    expect(page.get_by_text(words["my_reply"])).to_be_visible()
    audit.check()

    # Support one.
    page.get_by_role("link", name=words["living"], exact=True).click()
    audit.check()
    page.get_by_role("button", name=words["support_alice"]).click()
    expect(page.get_by_text(words["supported"])).to_be_visible()
    alice = page.locator("article", has=page.get_by_role("heading", name="Alice Admin"))
    expect(alice.locator(".support-count").first).to_have_text(words["two_supports"])
    audit.check()

    # Report one (Paul's own contribution, not his reply to Alice's).
    pauls = page.locator("article", has=page.get_by_role(
        "heading", level=3, name="Paul Relecteur"))
    pauls.get_by_role("link", name=words["report_paul"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["report_heading"])
    audit.check()
    page.get_by_role("radio", name=words["off_topic"]).check()
    page.get_by_role("button", name=words["send_report"]).click()
    expect(page.get_by_text(words["reported"])).to_be_visible()
    audit.check()

    # My space, from the header: the unread count, the reply and the citation.
    space = header_link(page, words["space"], exact=False)
    expect(space).to_be_visible()
    expect(space).to_have_accessible_name(f"{words['space']} {words['unread']}")
    expect(space.locator(".nav-count")).to_have_text(re.compile(r"^3\b"))
    space.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["space"])
    audit.check()
    replied = page.locator("li.notification").filter(has_text=words["reply_note"])
    cited = page.locator("li.notification").filter(has_text=words["cited_note"])
    expect(replied).to_have_count(1)
    expect(cited).to_have_count(1)
    expect(cited.get_by_role("link")).to_have_attribute(
        "href", re.compile(rf"^/{lang}/summaries/\d+$"))
    replied.get_by_role("link", name=words["reply_note"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["rose_heading"])
    expect(page).to_have_url(re.compile(rf"/{lang}/consultations/\d+/contributions/\d+"
                                        r"#contribution-\d+$"))
    janes = page.locator("article.reply", has_text=JANES_REPLY)
    expect(janes).to_be_visible()
    expect(janes).to_have_attribute("id", page.url.split("#")[1])  # the link's target
    audit.check()

    # The results of a closed consultation.
    header_link(page, "Consultations").click()
    audit.check()
    page.get_by_role("link", name=words["trials"]).click()
    expect(page.get_by_role("heading", name=words["results"])).to_be_visible()
    # 5 people answered: 2 yes, 2 no, 1 "I don't know": too few each, so grouped.
    expect(page.get_by_role("table").first).to_contain_text(words["grouped"])
    expect(page.get_by_role("table").first).not_to_contain_text(words["dont_know"])
    expect(page.locator("svg.chart").first).to_be_visible()
    audit.check()

    with live_app.app_context():
        living = db.session.scalar(select(ConsultationTranslation.consultation_id).where(
            ConsultationTranslation.title == "Living after cancer"))
        representative = _user(REPRESENTATIVE)
        response = db.session.scalar(select(ConsultationResponse).where(
            ConsultationResponse.consultation_id == living,
            ConsultationResponse.user_id == representative.id))
        assert response.is_submitted and len(response.answers) == 9
        bodies = set(db.session.scalars(select(Contribution.body).where(
            Contribution.author_id == representative.id)))
        assert {words["mine"][0], words["position"][0], words["my_reply"]} <= bodies
        position = db.session.scalar(select(Contribution).where(
            Contribution.body == words["position"][0]))
        assert (position.association_id, position.consultation_id, position.parent_id) == (
            representative_world, living, None)
        mine = db.session.scalar(select(Contribution).where(
            Contribution.body == words["mine"][0]))
        assert mine.association_id is None
        report = db.session.scalar(select(Report))
        pauls_id = db.session.scalar(select(Contribution.id).where(
            Contribution.consultation_id == living, Contribution.parent_id.is_(None),
            Contribution.author_id == _user("reviewer@example.org").id))
        assert (report.reason, report.reporter_id, report.target_id) == (
            "off_topic", representative.id, pauls_id)


def test_small_screen_consultation_pages(page, live_server, live_app, audit):
    _load_demo(live_app)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/en/consultations/", "/en/consultations/2", "/en/consultations/1",
                 "/fr/consultations/search?q=fatigue"]:
        page.goto(live_server + path)
        audit.check()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at 320 px"
    assert re.search(r"/fr/consultations/search", page.url)


def test_moderator_creates_a_consultation_with_a_question(page, live_server, live_app, audit):
    _load_demo(live_app)
    page.goto(f"{live_server}/en/account/sign-in")
    audit.check()
    page.get_by_label("Email address").fill("moderator@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    audit.check()
    page.goto(f"{live_server}/en/consultations/")
    audit.check()
    page.get_by_role("link", name="Create a consultation").click()
    audit.check()
    page.get_by_label("Summary (English)").fill("A summary without a title")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Please give a title in this language")
    expect(page.get_by_label("Summary (English)")).to_have_value("A summary without a title")
    audit.check()
    page.get_by_label("Title (English)").fill("Fertility after cancer")
    page.get_by_role("checkbox", name="Clinical trials").check()
    page.get_by_label("Closing date").fill("2099-12-31")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage: Fertility after cancer")
    audit.check()
    page.get_by_role("link", name="Add a question").click()
    audit.check()
    page.get_by_role("radio", name="Scale from 1 to 5").check()
    page.get_by_label("Question (English)").fill("How well were you informed?")
    page.get_by_label("Meaning of 1 (English)").fill("Not at all")
    page.get_by_label("Meaning of 5 (English)").fill("Very well")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question has been added.")).to_be_visible()
    page.get_by_role("button", name="Open the consultation").click()
    page.get_by_role("dialog").get_by_role("button", name="Open the consultation").click()
    expect(page.get_by_text("The consultation is now: Open to participation.")).to_be_visible()
    audit.check()
    page.goto(f"{live_server}/en/consultations/themes")
    audit.check()
