"""A research priorities exercise from end to end, in a real browser.

A patient sends a question, a moderator groups it into an indicative question, the patient
ranks questions with the keyboard only, the moderator publishes the top 10, and a visitor
reads the results in English. Every page visited gets an axe-core check.
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
from tests.browser.conftest import SCREENS, header_link
from tests.factories.users import PASSWORD, Factory

PATIENT_QUESTION = "Can children go back to school sooner after their treatment?"


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


def sign_in(page, live_server, audit, email):
    page.goto(f"{live_server}/en/account/sign-in")
    audit.check()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flash")).to_contain_text("Welcome")
    audit.check()


def sign_out(page, audit):
    header_link(page, "Sign out", role="button").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    audit.check()


def setup(live_app):
    factory = Factory(live_app)
    patient = factory.user(email="patient@example.org", display_name="Pat", language="en",
                           participant_type="patient")
    factory.user(role=Role.MODERATOR, email="moderator@example.org", display_name="Mo",
                 language="en")
    others = [factory.user(language="en") for _ in range(4)]
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


@SCREENS
def test_priority_setting_from_question_to_published_top_10(page, live_server, live_app, audit,
                                                            screen):
    page.set_viewport_size(screen)
    exercise_id, patient_id, others = setup(live_app)
    base = f"{live_server}/en/priorities/{exercise_id}"

    # 1. A patient sends a question in their own words.
    sign_in(page, live_server, audit, "patient@example.org")
    header_link(page, "Research priorities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Research priorities")
    audit.check()
    page.get_by_role("link", name="Childhood cancers: research priorities").click()
    expect(page.get_by_role("heading", name="Send your questions")).to_be_visible()
    audit.check()
    expect(page.get_by_role("radio", name="Patients and carers")).to_be_checked()
    page.get_by_role("textbox", name="Your question").fill(PATIENT_QUESTION)
    page.get_by_role("button", name="Send my question").click()
    expect(page.locator(".flash")).to_contain_text("your question has been received")
    expect(page.get_by_role("heading", name="The questions you sent")).to_be_visible()
    audit.check()
    sign_out(page, audit)

    # 2. A moderator closes the gathering and groups the question.
    sign_in(page, live_server, audit, "moderator@example.org")
    page.goto(f"{base}/manage")
    audit.check()
    page.get_by_role("button", name="Close the gathering and start processing").click()
    expect(page.locator(".flash")).to_contain_text("Processing the questions")
    audit.check()
    page.get_by_role("link", name="Submissions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submissions")
    audit.check()
    page.get_by_role("checkbox", name=re.compile("Select submission")).check()
    page.get_by_role("button", name="Group the selected submissions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New indicative question")
    expect(page.get_by_text(PATIENT_QUESTION)).to_be_visible()
    audit.check()
    page.get_by_label("Question in French").fill(
        "Comment aider les enfants à retourner plus tôt à l’école après leur traitement ?")
    page.get_by_label("Question in English").fill(
        "How can children be helped to return to school sooner after treatment?")
    page.get_by_label("Plain-language explanation in English").fill(
        "Missing school for months is hard. We want to know what helps children go back.")
    page.get_by_role("button", name="Create the question").click()
    expect(page.locator(".flash")).to_contain_text("Question 1 has been created.")
    expect(page.get_by_text(PATIENT_QUESTION)).to_be_visible()  # the linked submission
    audit.check()
    ids = add_questions_and_rankings(live_app, exercise_id, others)
    page.goto(f"{base}/manage")
    audit.check()
    page.get_by_role("button", name="Open the interim ranking").click()
    expect(page.locator(".flash")).to_contain_text("Interim ranking")
    audit.check()
    sign_out(page, audit)

    # 3. The patient ranks questions with the keyboard only.
    sign_in(page, live_server, audit, "patient@example.org")
    page.goto(f"{base}/ranking")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rank the questions")
    audit.check()

    def press(button_name, key, flash):
        tab_to(page, page.get_by_role("button", name=button_name, exact=True))
        page.keyboard.press(key)
        expect(page.locator(".flash")).to_contain_text(flash)
        audit.check()

    press("Add to my ranking (question 1)", "Enter",
          "Question 1 is now in your ranking, at position 1.")
    press("Add to my ranking (question 3)", "Space",
          "Question 3 is now in your ranking, at position 2.")
    press("Add to my ranking (question 5)", "Enter",
          "Question 5 is now in your ranking, at position 3.")
    press("Move up (question 5)", "Enter", "Question 5 moved to position 2.")
    # After the reload the focus is back on the button just used.
    expect(page.get_by_role("button", name="Move up (question 5)", exact=True)).to_be_focused()
    # Question 3 is 3rd: its position select, arrow keys, then "Save my ranking".
    position = page.get_by_label("Position of question 3")
    tab_to(page, position)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(position).to_have_value("1")
    press("Save my ranking", "Enter", "Your ranking has been saved.")
    with live_app.app_context():
        ranking = db.session.scalar(db.select(Ranking).where(Ranking.user_id == patient_id))
        assert ranking.question_ids == [ids[3], ids[1], ids[5]]
    expect(page.locator(".ranked-item .question-text")).to_have_text([
        "How can we help with friendships?",
        "How can children be helped to return to school sooner after treatment?",
        "How can we help with pain?",
    ])
    sign_out(page, audit)

    # 4. The moderator closes the ranking, records the workshop's order and publishes.
    sign_in(page, live_server, audit, "moderator@example.org")
    page.goto(f"{base}/manage")
    audit.check()
    page.get_by_role("button", name="Close the ranking and prepare the final workshop").click()
    expect(page.locator(".flash")).to_contain_text("Final workshop")
    audit.check()
    page.get_by_role("link", name="Order agreed at the final workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Final workshop")
    audit.check()
    # The workshop swapped the first two questions of the interim ranking.
    selects = page.locator("select[id^=place-]")
    assert selects.count() == 12
    selects.nth(0).select_option("2")
    selects.nth(1).select_option("1")
    page.get_by_role("button", name="Record the agreed order").click()
    expect(page.locator(".flash")).to_contain_text("has been recorded")
    audit.check()
    page.get_by_role("button", name="Publish the results").click()
    expect(page.locator(".flash")).to_contain_text("Results published")
    audit.check()
    sign_out(page, audit)

    # 5. A visitor reads the results in English.
    page.goto(f"{live_server}/en/priorities/")
    audit.check()
    page.get_by_role("link", name="Childhood cancers: research priorities").click()
    expect(page.get_by_role("heading", name="The top 10")).to_be_visible()
    audit.check()
    page.get_by_role("link", name="See the full results").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    audit.check()
    expect(page.locator(".top-list > li")).to_have_count(10)
    expect(page.locator(".top-list")).to_contain_text(
        "How can children be helped to return to school sooner after treatment?")
    expect(page.get_by_role("heading", name="The interim ranking")).to_be_visible()
    expect(page.locator("figure.chart-figure")).to_have_count(3)
    expect(page.get_by_role("table", name="Interim results per group")).to_be_visible()
    expect(page.get_by_role("heading", name="Who took part")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Submissions, anonymized"))).to_be_visible()
    with live_app.app_context():
        final = db.session.scalars(
            db.select(IndicativeQuestion.number).where(IndicativeQuestion.final_rank.is_not(None))
            .order_by(IndicativeQuestion.final_rank)).all()
        interim = db.session.scalars(
            db.select(IndicativeQuestion.number).where(IndicativeQuestion.interim_rank.is_not(None))
            .order_by(IndicativeQuestion.interim_rank)).all()
        assert final[:2] == interim[:2][::-1] and final[2:] == interim[2:]


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
