"""A research priorities exercise from end to end, in a real browser.

A patient sends a question, a moderator groups it into an indicative question, the patient
ranks questions with the keyboard only, the moderator publishes the top 10, and a visitor
reads the results; at 1280 px and 390×844, in French and in English (everyone's language is
the journey's). Every page visited gets an axe-core check.

The patient and the moderator each have a browser of their own and sign in once, as two
people would: the journey goes from one to the other without signing out and in again at
each turn (the same sign-in and signed-out pages, checked again each time, were a fifth of
the journey's time). Each comes back to their home page, checked in its new state, and the
moderator signs out before the visitor's part.
"""

import re

from playwright.sync_api import expect

from engage.accounts.models import Role, User
from engage.extensions import db
from engage.priorities import services
from engage.priorities.models import (
    Exercise,
    GroupCode,
    IndicativeQuestion,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    Stage,
)
from tests.browser.conftest import JOURNEYS, AccessibilityAudit, header_link
from tests.factories.users import PASSWORD, Factory

PATIENT_QUESTION = "Can children go back to school sooner after their treatment?"

TEXTS = {
    "fr": {
        "sign_in": ("Adresse e-mail", "Mot de passe", "Se connecter"),
        "welcome": "Bienvenue",
        "sign_out": "Se déconnecter",
        "signed_out": "Vous êtes déconnecté·e.",
        "priorities": "Priorités de recherche",
        "exercise": "Cancers de l’enfant : priorités de recherche",
        "send_heading": "Envoyez vos questions",
        "carers": "Patients et proches aidants",
        "your_question": "Votre question",
        "send": "Envoyer ma question",
        "received": "votre question a bien été reçue",
        "sent_heading": "Les questions que vous avez envoyées",
        "patient_question": "Les enfants peuvent-ils retourner plus tôt à l’école après leur "
                            "traitement ?",
        "close_gathering": "Clore le recueil et commencer le traitement",
        "processing": "Traitement des questions",
        "submissions": "Questions envoyées",
        "select_submission": "Sélectionner la question envoyée",
        "group": "Regrouper les questions sélectionnées",
        "new_question": "Nouvelle question indicative",
        "question_fr": "Question en français",
        "question_en": "Question en anglais",
        "explanation_label": "Explication en langage clair, en français",
        "explanation": "Manquer l’école pendant des mois est dur. Nous voulons savoir ce qui "
                       "aide les enfants à y retourner.",
        "create": "Créer la question",
        "created": "La question 1 a été créée.",
        "open_ranking": "Ouvrir le classement intermédiaire",
        "interim_stage": "Classement intermédiaire",
        "rank_heading": "Classer les questions",
        "add": "Ajouter à mon classement (question {})",
        "added": "La question {} est maintenant dans votre classement, en position {}.",
        "up": "Monter (question {})",
        "moved": "La question {} est passée en position {}.",
        "position": "Position de la question {}",
        "save": "Enregistrer mon classement",
        "saved": "Votre classement a été enregistré.",
        "topic": "Comment aider pour : {} ?",
        "close_ranking": "Clore le classement et préparer l’atelier final",
        "workshop": "Atelier final",
        "agreed_order": "Ordre décidé à l’atelier final",
        "record": "Enregistrer l’ordre décidé",
        "recorded": "L’ordre décidé à l’atelier a été enregistré.",
        "publish": "Publier les résultats",
        "published": "Résultats publiés",
        "top_10": "Les 10 priorités",
        "full_results": "Voir tous les résultats",
        "results": "Résultats",
        "interim": "Le classement intermédiaire",
        "combined_chart": "Score combiné des questions les mieux classées (part des points, "
                          "moyenne des groupes)",
        "professionals": "Professionnels de santé",
        "per_group": "Résultats intermédiaires par groupe",
        "rankings": "{} classements",
        "participation": "Participation par étape et par groupe",
        "who": "Qui a participé",
        "csv": "Questions envoyées, anonymisées",
    },
    "en": {
        "sign_in": ("Email address", "Password", "Sign in"),
        "welcome": "Welcome",
        "sign_out": "Sign out",
        "signed_out": "You are signed out.",
        "priorities": "Research priorities",
        "exercise": "Childhood cancers: research priorities",
        "send_heading": "Send your questions",
        "carers": "Patients and carers",
        "your_question": "Your question",
        "send": "Send my question",
        "received": "your question has been received",
        "sent_heading": "The questions you sent",
        "patient_question": PATIENT_QUESTION,
        "close_gathering": "Close the gathering and start processing",
        "processing": "Processing the questions",
        "submissions": "Submissions",
        "select_submission": "Select submission",
        "group": "Group the selected submissions",
        "new_question": "New indicative question",
        "question_fr": "Question in French",
        "question_en": "Question in English",
        "explanation_label": "Plain-language explanation in English",
        "explanation": "Missing school for months is hard. We want to know what helps "
                       "children go back.",
        "create": "Create the question",
        "created": "Question 1 has been created.",
        "open_ranking": "Open the interim ranking",
        "interim_stage": "Interim ranking",
        "rank_heading": "Rank the questions",
        "add": "Add to my ranking (question {})",
        "added": "Question {} is now in your ranking, at position {}.",
        "up": "Move up (question {})",
        "moved": "Question {} moved to position {}.",
        "position": "Position of question {}",
        "save": "Save my ranking",
        "saved": "Your ranking has been saved.",
        "topic": "How can we help with {}?",
        "close_ranking": "Close the ranking and prepare the final workshop",
        "workshop": "Final workshop",
        "agreed_order": "Order agreed at the final workshop",
        "record": "Record the agreed order",
        "recorded": "The order agreed at the workshop has been recorded.",
        "publish": "Publish the results",
        "published": "Results published",
        "top_10": "The top 10",
        "full_results": "See the full results",
        "results": "Results",
        "interim": "The interim ranking",
        "combined_chart": "Combined score of the best-ranked questions (share of the points, "
                          "average of the groups)",
        "professionals": "Health professionals",
        "per_group": "Interim results per group",
        "rankings": "{} rankings",
        "participation": "Participation per stage and per group",
        "who": "Who took part",
        "csv": "Submissions, anonymized",
    },
}
# The indicative question the moderator writes from the patient's, in both languages.
SCHOOL = {
    "fr": "Comment aider les enfants à retourner plus tôt à l’école après leur traitement ?",
    "en": "How can children be helped to return to school sooner after treatment?",
}


def tab_to(page, locator, limit=300):
    """Press Tab (or Shift+Tab, when the target is behind) until `locator` has the focus."""
    target = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("el => el === document.activeElement", target):
            return
        behind = page.evaluate(
            "el => { const a = document.activeElement;"
            " return !!a && a !== document.body"
            " && !!(el.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING); }",
            target)
        page.keyboard.press("Shift+Tab" if behind else "Tab")
    raise AssertionError(f"could not reach {locator} with the keyboard")


def sign_in(page, live_server, audit, email, lang="en"):
    email_label, password_label, button = TEXTS[lang]["sign_in"]
    page.goto(f"{live_server}/{lang}/account/sign-in")
    audit.check()
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".flash")).to_contain_text(TEXTS[lang]["welcome"])
    audit.check()


def sign_out(page, audit, lang="en"):
    header_link(page, TEXTS[lang]["sign_out"], role="button").click()
    expect(page.get_by_text(TEXTS[lang]["signed_out"])).to_be_visible()
    audit.check()


def setup(live_app, lang="en"):
    """A patient, a moderator and four other people, all reading `lang`; an exercise
    gathering questions."""
    factory = Factory(live_app)
    patient = factory.user(email="patient@example.org", display_name="Pat", language=lang,
                           participant_type="patient")
    factory.user(role=Role.MODERATOR, email="moderator@example.org", display_name="Mo",
                 language=lang)
    others = [factory.user(language=lang) for _ in range(4)]
    with live_app.test_request_context("/en/"):
        moderator = db.session.scalar(db.select(User).where(User.role == Role.MODERATOR))
        exercise = services.create_exercise(moderator, texts={
            "fr": {"title": "Cancers de l’enfant : priorités de recherche",
                   "description": "Quelles questions la recherche doit-elle traiter d’abord ?",
                   "scope": ""},
            "en": {"title": "Childhood cancers: research priorities",
                   "description": "Which questions should research answer first?",
                   "scope": "Life during and after treatment."},
        })
        services.move_stage(moderator, exercise, Stage.GATHERING)
        db.session.commit()
        return exercise.id, patient, others


def add_questions_and_rankings(live_app, exercise_id, others):
    """Eleven more indicative questions, and four other people's rankings."""
    with live_app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        groups = {g.code: g.id for g in exercise.groups}
        topics = ["fatigue", "friendships", "fertility", "pain", "sleep", "siblings", "sport",
                  "food", "memory", "hearing", "growth"]
        for number, topic in enumerate(topics, start=2):
            db.session.add(IndicativeQuestion(
                exercise_id=exercise_id, number=number, translations=[
                    QuestionTranslation(language="en", text=f"How can we help with {topic}?"),
                    QuestionTranslation(language="fr", text=f"Comment aider pour : {topic} ?"),
                ]))
        db.session.flush()
        ids = {q.number: q.id for q in db.session.scalars(db.select(IndicativeQuestion))}
        orders = [(GroupCode.PATIENTS_CARERS, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
                  (GroupCode.PATIENTS_CARERS, [3, 2, 12, 4, 1]),
                  (GroupCode.HEALTH_PROFESSIONALS, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3]),
                  (GroupCode.HEALTH_PROFESSIONALS, [1, 2, 5])]
        for user_id, (group, numbers) in zip(others, orders, strict=True):
            db.session.add(Ranking(
                exercise_id=exercise_id, user_id=user_id, group_id=groups[group],
                entries=[RankingEntry(question_id=ids[n], position=p)
                         for p, n in enumerate(numbers, start=1)]))
        db.session.commit()
        return ids


@JOURNEYS
def test_priority_setting_from_question_to_published_top_10(page, live_server, live_app, audit,
                                                            browser, browser_context_args,
                                                            screen, lang):
    moderator_browser = browser.new_context(**{**browser_context_args, "viewport": screen})
    try:
        journey(page, moderator_browser.new_page(), live_server, live_app, audit, screen, lang)
    finally:
        moderator_browser.close()


def journey(page, staff, live_server, live_app, audit, screen, lang):
    """`page` is the patient's browser, `staff` the moderator's (then the visitor's)."""
    words = TEXTS[lang]
    page.set_viewport_size(screen)
    exercise_id, patient_id, others = setup(live_app, lang)
    base = f"{live_server}/{lang}/priorities/{exercise_id}"
    staff_audit = AccessibilityAudit(staff)

    # 1. A patient sends a question in their own words.
    sign_in(page, live_server, audit, "patient@example.org", lang)
    header_link(page, words["priorities"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["priorities"])
    audit.check()
    page.get_by_role("link", name=words["exercise"]).click()
    expect(page.get_by_role("heading", name=words["send_heading"])).to_be_visible()
    audit.check()
    expect(page.get_by_role("radio", name=words["carers"])).to_be_checked()
    page.get_by_role("textbox", name=words["your_question"]).fill(words["patient_question"])
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator(".flash")).to_contain_text(words["received"])
    expect(page.get_by_role("heading", name=words["sent_heading"])).to_be_visible()
    audit.check()

    # 2. A moderator, in a browser of their own, closes the gathering and groups the question.
    sign_in(staff, live_server, staff_audit, "moderator@example.org", lang)
    staff.goto(f"{base}/manage")
    staff_audit.check()
    staff.get_by_role("button", name=words["close_gathering"]).click()
    expect(staff.locator(".flash")).to_contain_text(words["processing"])
    staff_audit.check()
    staff.get_by_role("link", name=words["submissions"], exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(words["submissions"])
    staff_audit.check()
    staff.get_by_role("checkbox", name=re.compile(words["select_submission"])).check()
    staff.get_by_role("button", name=words["group"]).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(words["new_question"])
    expect(staff.get_by_text(words["patient_question"])).to_be_visible()
    staff_audit.check()
    staff.get_by_label(words["question_fr"]).fill(SCHOOL["fr"])
    staff.get_by_label(words["question_en"]).fill(SCHOOL["en"])
    staff.get_by_label(words["explanation_label"]).fill(words["explanation"])
    staff.get_by_role("button", name=words["create"]).click()
    expect(staff.locator(".flash")).to_contain_text(words["created"])
    expect(staff.get_by_text(words["patient_question"])).to_be_visible()  # the linked submission
    staff_audit.check()
    ids = add_questions_and_rankings(live_app, exercise_id, others)
    staff.goto(f"{base}/manage")
    staff_audit.check()
    staff.get_by_role("button", name=words["open_ranking"]).click()
    expect(staff.locator(".flash")).to_contain_text(words["interim_stage"])
    staff_audit.check()

    # 3. The patient, back on their home page, ranks questions with the keyboard only.
    page.goto(f"{live_server}/{lang}/")
    audit.check()
    page.goto(f"{base}/ranking")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["rank_heading"])
    audit.check()

    def press(button_name, key, flash):
        tab_to(page, page.get_by_role("button", name=button_name, exact=True))
        page.keyboard.press(key)
        expect(page.locator(".flash")).to_contain_text(flash)
        audit.check()

    press(words["add"].format(1), "Enter", words["added"].format(1, 1))
    press(words["add"].format(3), "Space", words["added"].format(3, 2))
    press(words["add"].format(5), "Enter", words["added"].format(5, 3))
    press(words["up"].format(5), "Enter", words["moved"].format(5, 2))
    # After the reload the focus is back on the button just used.
    expect(page.get_by_role("button", name=words["up"].format(5), exact=True)).to_be_focused()
    # Question 3 is 3rd: its position select, arrow keys, then "Save my ranking".
    position = page.get_by_label(words["position"].format(3))
    tab_to(page, position)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(position).to_have_value("1")
    press(words["save"], "Enter", words["saved"])
    with live_app.app_context():
        ranking = db.session.scalar(db.select(Ranking).where(Ranking.user_id == patient_id))
        assert ranking.question_ids == [ids[3], ids[1], ids[5]]
    expect(page.locator(".ranked-item .question-text")).to_have_text([
        words["topic"].format("friendships"), SCHOOL[lang], words["topic"].format("pain")])

    # 4. The moderator, back on their home page, closes the ranking, records the workshop's
    # order, publishes and signs out.
    staff.goto(f"{live_server}/{lang}/")
    staff_audit.check()
    staff.goto(f"{base}/manage")
    staff_audit.check()
    staff.get_by_role("button", name=words["close_ranking"]).click()
    expect(staff.locator(".flash")).to_contain_text(words["workshop"])
    staff_audit.check()
    staff.get_by_role("link", name=words["agreed_order"]).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(words["workshop"])
    staff_audit.check()
    # The workshop swapped the first two questions of the interim ranking.
    selects = staff.locator("select[id^=place-]")
    assert selects.count() == 12
    selects.nth(0).select_option("2")
    selects.nth(1).select_option("1")
    staff.get_by_role("button", name=words["record"]).click()
    expect(staff.locator(".flash")).to_contain_text(words["recorded"])
    staff_audit.check()
    staff.get_by_role("button", name=words["publish"]).click()
    expect(staff.locator(".flash")).to_contain_text(words["published"])
    staff_audit.check()
    sign_out(staff, staff_audit, lang)

    # 5. A visitor (the moderator's browser, signed out) reads the results.
    page, audit = staff, staff_audit
    page.goto(f"{live_server}/{lang}/priorities/")
    audit.check()
    page.get_by_role("link", name=words["exercise"]).click()
    expect(page.get_by_role("heading", name=words["top_10"])).to_be_visible()
    audit.check()
    page.get_by_role("link", name=words["full_results"]).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["results"])
    audit.check()
    expect(page.locator(".top-list > li")).to_have_count(10)
    expect(page.locator(".top-list")).to_contain_text(SCHOOL[lang])
    expect(page.locator(".top-list")).to_contain_text(words["explanation"])
    expect(page.get_by_role("heading", name=words["interim"])).to_be_visible()
    # The small-cell rule: 3 rankings by patients and carers (the patient's among them), 2 by
    # health professionals, 5 in all. Neither group is shown apart: one chart and one
    # column count them together, so no figure describes fewer than 5 people.
    captions = page.locator("figure.chart-figure figcaption")
    expect(captions).to_have_count(2)
    expect(captions.nth(0)).to_have_text(words["combined_chart"])
    expect(captions.nth(1)).to_contain_text(words["carers"])
    expect(captions.nth(1)).to_contain_text(words["professionals"])
    per_group = page.get_by_role("table", name=words["per_group"])
    expect(per_group).to_be_visible()
    headers = per_group.get_by_role("columnheader")
    expect(headers).to_have_count(4)  # place, question, the groups together, combined score
    expect(headers.nth(2)).to_contain_text(words["carers"])
    expect(headers.nth(2)).to_contain_text(words["professionals"])
    expect(headers.nth(2)).to_contain_text(words["rankings"].format(5))
    expect(per_group).not_to_contain_text(words["rankings"].format(3))
    expect(per_group).not_to_contain_text(words["rankings"].format(2))
    # Who took part: a stage, the groups together, the total.
    expect(page.get_by_role("table", name=words["participation"]).get_by_role(
        "columnheader")).to_have_count(3)
    expect(page.get_by_role("heading", name=words["who"])).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(words["csv"]))).to_be_visible()
    with live_app.app_context():
        final = db.session.scalars(
            db.select(IndicativeQuestion.number).where(IndicativeQuestion.final_rank.is_not(None))
            .order_by(IndicativeQuestion.final_rank)).all()
        interim = db.session.scalars(
            db.select(IndicativeQuestion.number).where(IndicativeQuestion.interim_rank.is_not(None))
            .order_by(IndicativeQuestion.interim_rank)).all()
        assert final[:2] == interim[:2][::-1] and final[2:] == interim[2:]
    staff_audit.assert_every_page_checked()  # the patient's: the `audit` fixture's own


def test_priorities_pages_fit_a_small_screen(page, live_server, live_app, audit):
    exercise_id, patient_id, others = setup(live_app)
    with live_app.test_request_context("/en/"):
        moderator = db.session.scalar(db.select(User).where(User.role == Role.MODERATOR))
        exercise = db.session.get(Exercise, exercise_id)
        services.move_stage(moderator, exercise, Stage.PROCESSING)
        db.session.add(IndicativeQuestion(exercise_id=exercise_id, number=1, translations=[
            QuestionTranslation(language="en", text=PATIENT_QUESTION, explanation="Why " * 40),
            QuestionTranslation(language="fr", text="Une question")]))
        db.session.commit()
    ids = add_questions_and_rankings(live_app, exercise_id, others)
    with live_app.test_request_context("/en/"):
        moderator = db.session.scalar(db.select(User).where(User.role == Role.MODERATOR))
        exercise = db.session.get(Exercise, exercise_id)
        services.move_stage(moderator, exercise, Stage.INTERIM_RANKING)
        db.session.add(Ranking(exercise_id=exercise_id, user_id=patient_id,
                               group_id=exercise.groups[0].id,
                               entries=[RankingEntry(question_id=ids[n], position=p)
                                        for p, n in enumerate([4, 1, 7], start=1)]))
        db.session.commit()
    page.set_viewport_size({"width": 320, "height": 640})
    base = f"{live_server}/en/priorities/{exercise_id}"

    def fits(path):
        page.goto(path)
        audit.check()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at 320 px"

    sign_in(page, live_server, audit, "patient@example.org")
    for path in ("", "/questions", f"/questions/{ids[1]}", "/ranking"):
        fits(base + path)
    with live_app.test_request_context("/en/"):
        moderator = db.session.scalar(db.select(User).where(User.role == Role.MODERATOR))
        exercise = db.session.get(Exercise, exercise_id)
        services.move_stage(moderator, exercise, Stage.FINAL_WORKSHOP)
        for question in services.shortlist(exercise):
            question.final_rank = question.interim_rank
        services.move_stage(moderator, exercise, Stage.PUBLISHED)
        db.session.commit()
    fits(base + "/results")
