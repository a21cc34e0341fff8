"""Lay review in a real browser: two reviewers, then the committee's dashboard, in French and
in English."""

import re
from pathlib import Path

from playwright.sync_api import expect

from engage.accounts.models import Role
from tests.browser.conftest import JOURNEYS, header_link
from tests.factories.reviews import ReviewWorld
from tests.factories.users import PASSWORD, Factory

TEXTS = {
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "sign_in": "Se connecter",
        "welcome": "Bienvenue,",
        "sign_out": "Se déconnecter",
        "signed_out": "Vous êtes déconnecté·e.",
        "lay_review": "Relecture profane",
        "my_reviews": "Mes relectures profanes",
        "declare_for": "Déclarer mes liens d’intérêts pour CARE",
        "links_heading": "Liens d’intérêts\u00a0: CARE",
        "send": "Envoyer ma déclaration",
        "tick_or_none": "Veuillez cocher les liens que vous avez, ou déclarer que vous n’en "
                        "avez aucun.",
        "none": "Je déclare n’avoir aucun de ces liens avec l’équipe candidate ou le projet.",
        "confidential": "Je garderai ce dossier confidentiel",
        "can_read": "Merci. Vous pouvez maintenant lire le dossier.",
        "readability": "Lisibilité du résumé en langage clair",
        "review_this": "Relire ce dossier",
        "my_review": "Ma relecture de CARE",
        "score_for": "Note pour «\u00a0{}\u00a0»",
        "comment_on": "Commentaire pour l’équipe candidate sur «\u00a0{}\u00a0»",
        "excellent": "5 – excellent",
        "good": "4 – bon",
        "save_draft": "Enregistrer mon brouillon",
        "draft_saved": "Votre brouillon est enregistré.",
        "submit": "Envoyer ma relecture",
        "write_comment": "Veuillez écrire un commentaire pour l’équipe candidate.",
        "overall": "Avis général",
        "overall_applicants": "Commentaire général pour l’équipe candidate",
        "overall_committee": "Commentaire général pour le comité seulement",
        "submitted": "Merci\u00a0: votre relecture a été envoyée.",
        "submitted_badge": "Relecture envoyée",
        "worked_with": "J’ai collaboré avec un membre de l’équipe candidate au cours des 3 "
                       "dernières années.",
        "withdrawn": "Ce dossier a été retiré de vos relectures\u00a0; les modérateurs "
                     "demanderont",
        "nothing_assigned": "Aucun dossier ne vous est attribué pour le moment.",
        "calls": "Appels à projets",
        "call": "Mieux vivre après un cancer",
        "to_reassign": "à réattribuer",
        "assign_another": "Une personne a déclaré un lien d’intérêts\u00a0: veuillez attribuer "
                          "ce dossier à quelqu’un d’autre.",
        "conflict": "lien d’intérêts déclaré",
        "dashboard": "Tableau de bord du comité",
        "disagreement": "Désaccord",
        "alpha": "Alpha de Krippendorff (ordinal)\u00a0: ",
        "pack": "Télécharger le dossier du comité (PDF)",
        # The default rubric, as a French reviewer reads it.
        "criteria": [
            "Pertinence pour les patients et les proches",
            "Bénéfice attendu pour les patients",
            "Clarté du résumé en langage clair",
            "Qualité de l’implication des patients dans le projet",
            "Acceptabilité et contraintes pour les participants",
            "Obstacles à la participation (qui pourrait être laissé de côté)",
        ],
        # The application, written in French by its applicants.
        "title": "Une infirmière à appeler chez soi",
        "lay_summary": "Après le traitement, les patients peuvent appeler une infirmière chez "
                       "eux. Nous verrons s’ils se sentent plus en sécurité.",
        "comments": ("Les patients l’ont demandé.", "Bien.", "Un projet utile.",
                     "À financer."),
    },
    "en": {
        "email": "Email address",
        "password": "Password",
        "sign_in": "Sign in",
        "welcome": "Welcome,",
        "sign_out": "Sign out",
        "signed_out": "You are signed out.",
        "lay_review": "Lay review",
        "my_reviews": "My lay reviews",
        "declare_for": "Declare my links of interest for CARE",
        "links_heading": "Links of interest: CARE",
        "send": "Send my declaration",
        "tick_or_none": "Please tick the links you have, or declare that you have none.",
        "none": "I declare that I have none of these links with the applicants or the project.",
        "confidential": "I will keep this application confidential",
        "can_read": "Thank you. You can now read the application.",
        "readability": "Readability of the lay summary",
        "review_this": "Review this application",
        "my_review": "My review of CARE",
        "score_for": "Score for “{}”",
        "comment_on": "Comment for the applicants on “{}”",
        "excellent": "5 – excellent",
        "good": "4 – good",
        "save_draft": "Save my draft",
        "draft_saved": "Your draft has been saved.",
        "submit": "Submit my review",
        "write_comment": "Please write a comment for the applicants.",
        "overall": "Overall opinion",
        "overall_applicants": "Overall comment for the applicants",
        "overall_committee": "Overall comment for the committee only",
        "submitted": "Thank you: your review has been submitted.",
        "submitted_badge": "Review submitted",
        "worked_with": "I have worked with an applicant in the last 3 years.",
        "withdrawn": "This application has been withdrawn from your assignments; the moderators "
                     "will ask",
        "nothing_assigned": "No application is assigned to you at the moment.",
        "calls": "Funding calls",
        "call": "Living better after cancer",
        "to_reassign": "to reassign",
        "assign_another": "A reviewer declared a conflict of interest: please assign another "
                          "reviewer.",
        "conflict": "conflict declared",
        "dashboard": "Committee dashboard",
        "disagreement": "Disagreement",
        "alpha": "Krippendorff’s alpha (ordinal): ",
        "pack": "Download the committee pack (PDF)",
        "criteria": [
            "Relevance to patients and carers",
            "Expected benefit for patients",
            "Clarity of the lay summary",
            "Quality of patient involvement in the project",
            "Acceptability and burden for participants",
            "Barriers to taking part (who could be left out)",
        ],
        "title": "A nurse to call at home",
        "lay_summary": "After treatment, patients can call a nurse at home. "
                       "We will see if they feel safer.",
        "comments": ("Patients asked for this.", "Good.", "A useful project.", "Fund it."),
    },
}


def as_written(text):
    """`text` to be found as written: Playwright's plain strings see a non-breaking space as
    any space, a pattern does not (French typography is checked with it)."""
    return re.compile(re.escape(text))


def sign_in(page, live_server, email, audit, lang):
    words = TEXTS[lang]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page.get_by_text(words["welcome"])).to_be_visible()
    # Home, in the account's language (the form's "#error-summary" anchor follows).
    expect(page).to_have_url(re.compile(f"^{re.escape(live_server)}/{lang}/(#|$)"))
    audit.check()


def sign_out(page, audit, lang):
    header_link(page, TEXTS[lang]["sign_out"], role="button").click()
    expect(page.get_by_text(TEXTS[lang]["signed_out"])).to_be_visible()
    audit.check()


@JOURNEYS
def test_reviewers_declare_score_and_the_committee_sees_the_disagreement(
        page, live_server, live_app, audit, screen, lang):
    page.set_viewport_size(screen)
    words = TEXTS[lang]
    criteria = words["criteria"]
    applicants_comment, good, overall, committee = words["comments"]
    world = ReviewWorld(live_app, Factory(live_app))
    # world.moderator() makes English moderators: this one reads the run's language.
    world.factory.user(role=Role.MODERATOR, language=lang, email="mod@example.org",
                       display_name="Mona Moderator")
    call_id = world.call()  # titled in both languages
    application_id = world.application(
        call_id, acronym="CARE", title=words["title"], lay_summary=words["lay_summary"],
        summary_language=lang, institutions="Institut Curie", team="Dr Ada")
    rita = world.reviewer(email="rita@example.org", display_name="Rita", language=lang)
    sam = world.reviewer(email="sam@example.org", display_name="Sam", language=lang)
    earlier = world.reviewer(display_name="Earlier Reviewer", language=lang)
    world.assign(application_id, rita, cleared=False)
    world.assign(application_id, sam, cleared=False)
    world.review(world.assign(application_id, earlier), [1, 3, 3, 3, 3, 3], 2)

    # Rita declares no conflict, accepts confidentiality, scores, saves a draft, submits.
    sign_in(page, live_server, "rita@example.org", audit, lang)
    header_link(page, words["lay_review"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["my_reviews"])
    audit.check()
    page.get_by_role("link", name=words["declare_for"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(f"^{re.escape(words['links_heading'])}$"))
    expect(page.get_by_text(words["title"], exact=True)).to_have_attribute("lang", lang)
    audit.check()
    page.get_by_role("button", name=words["send"]).click()  # nothing ticked
    expect(page.get_by_role("alert")).to_contain_text(words["tick_or_none"])
    audit.check()
    page.get_by_label(words["none"]).check()
    page.get_by_label(words["confidential"]).check()
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_text(words["can_read"])).to_be_visible()
    expect(page.get_by_role("heading", name=words["readability"])).to_be_visible()
    audit.check()
    page.get_by_role("link", name=words["review_this"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["my_review"])
    audit.check()
    first_group = page.get_by_role("group", name=words["score_for"].format(criteria[0]))
    expect(first_group).to_contain_text(as_written(words["score_for"].format(criteria[0])))
    first_group.get_by_label(words["excellent"]).check()
    first_comment = page.get_by_label(words["comment_on"].format(criteria[0]))
    first_comment.fill(applicants_comment)
    page.get_by_role("button", name=words["save_draft"]).click()
    expect(page.get_by_text(words["draft_saved"])).to_be_visible()
    expect(first_comment).to_have_value(applicants_comment)
    audit.check()
    page.get_by_role("button", name=words["submit"]).click()  # incomplete
    expect(page.get_by_role("alert")).to_contain_text(words["write_comment"])
    audit.check()
    for criterion in criteria[1:]:
        page.get_by_role("group", name=words["score_for"].format(criterion)).get_by_label(
            words["good"]).check()
        page.get_by_label(words["comment_on"].format(criterion)).fill(good)
    page.get_by_role("group", name=words["overall"]).get_by_label(words["good"]).check()
    page.get_by_label(words["overall_applicants"]).fill(overall)
    page.get_by_label(words["overall_committee"]).fill(committee)
    page.get_by_role("button", name=words["submit"]).click()
    page.get_by_role("dialog").get_by_role("button", name=words["submit"]).click()
    expect(page.get_by_text(as_written(words["submitted"]))).to_be_visible()
    expect(page.get_by_text(words["submitted_badge"])).to_be_visible()
    audit.check()
    sign_out(page, audit, lang)

    # Sam declares a link: the assignment is withdrawn.
    sign_in(page, live_server, "sam@example.org", audit, lang)
    page.goto(f"{live_server}/{lang}/reviews/assignments")
    audit.check()
    page.get_by_role("link", name=words["declare_for"]).click()
    audit.check()
    page.get_by_label(words["worked_with"]).check()
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_text(as_written(words["withdrawn"]))).to_be_visible()
    expect(page.get_by_text(words["nothing_assigned"])).to_be_visible()
    audit.check()
    sign_out(page, audit, lang)

    # The moderator sees the flag, the dashboard with its disagreement, and exports the pack.
    sign_in(page, live_server, "mod@example.org", audit, lang)
    header_link(page, words["lay_review"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["calls"])
    audit.check()
    page.get_by_role("link", name=words["call"]).click()
    expect(page.get_by_text(words["to_reassign"])).to_be_visible()
    audit.check()
    page.get_by_role("link", name="CARE").click()
    expect(page.get_by_text(as_written(words["assign_another"]))).to_be_visible()
    expect(page.get_by_text(words["conflict"])).to_be_visible()
    audit.check()
    page.get_by_role("link", name=words["call"]).click()
    audit.check()
    page.get_by_role("link", name=words["dashboard"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["dashboard"])
    ranking = page.get_by_role("table").first
    expect(ranking.get_by_role("row", name=re.compile("CARE")).get_by_text(
        words["disagreement"])).to_be_visible()
    expect(page.get_by_text(as_written(words["alpha"]))).to_be_visible()
    audit.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=words["pack"]).click()
    download = download_info.value
    # The same file name in both languages (the route does not translate it).
    assert download.suggested_filename == f"committee-pack-call-{call_id}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    assert Role.MODERATOR  # the moderator did all this with the moderator role
