"""Exercise pages, gathering, and running the exercise (moderators), through the client."""

import re

import pytest
from sqlalchemy import select

from engage.accounts.models import Role
from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities.models import Exercise, Stage, StageChange, Submission
from tests.factories.priorities import PATIENTS, PROFESSIONALS
from tests.helpers import post, sign_in

LONG = "x" * 2001


def url(exercise_id, path=""):
    return f"/en/priorities/{exercise_id}{path}"


# The list and the exercise page


def test_index_lists_public_exercises_and_hides_drafts(client, auth, build):
    build.exercise(stage=Stage.GATHERING, title_en="Open one")
    build.exercise(stage=Stage.DRAFT, title_en="Secret draft")
    page = client.get("/en/priorities/")
    assert page.status_code == 200
    assert "Open one" in page.text and "Secret draft" not in page.text
    assert "New priority-setting exercise" not in page.text
    sign_in(auth, build.moderator_id)
    page = client.get("/en/priorities/")
    assert "Secret draft" in page.text and "New priority-setting exercise" in page.text


def test_menu_entry_and_home_section(client, build):
    assert 'href="/en/priorities/"' in client.get("/en/about").text
    exercise_id = build.exercise(stage=Stage.GATHERING, title_en="Gathering now")
    build.submission(exercise_id)
    home = client.get("/en/")
    assert "Gathering now" in home.text and "1 question received so far." in home.text
    assert home.text.count("<h1") == 1
    build.stage(exercise_id, Stage.INTERIM_RANKING)
    assert "Rank the questions that matter most to you." in client.get("/en/").text
    build.stage(exercise_id, Stage.PROCESSING)
    assert "Gathering now" not in client.get("/en/").text


def test_exercise_page_for_a_visitor(client, build):
    exercise_id = build.exercise(stage=Stage.GATHERING, description_en="**About** it",
                                 gathering_ends_on=utcnow().date())
    build.submission(exercise_id)
    build.submission(exercise_id)
    page = client.get(url(exercise_id))
    assert page.status_code == 200
    assert "2 questions received so far." in page.text
    assert "<strong>About</strong>" in page.text
    assert "Sign in to send a question" in page.text
    assert 'aria-current="step"' in page.text
    assert "Patients and carers" in page.text and "Health professionals" in page.text
    french = client.get(f"/fr/priorities/{exercise_id}")
    assert french.status_code == 200 and '<html lang="fr">' in french.text


def test_english_falls_back_to_french_with_a_note(client, build):
    exercise_id = build.exercise(title_en="")
    page = client.get(url(exercise_id))
    assert "Cancers de l’enfant" in page.text
    assert "Only available in French." in page.text
    assert 'lang="fr"' in page.text


def test_drafts_and_unknown_exercises_are_not_found(client, auth, build):
    draft = build.exercise(stage=Stage.DRAFT)
    assert client.get(url(draft)).status_code == 404
    assert client.get(url(9999)).status_code == 404
    sign_in(auth, build.participant())
    assert client.get(url(draft)).status_code == 404
    assert client.get("/xx/priorities/").status_code == 404


# Gathering


@pytest.fixture
def gathering(build):
    return build.exercise(stage=Stage.GATHERING)


def test_a_participant_sends_a_question(app, client, auth, build, gathering):
    author = sign_in(auth, build.participant(participant_type="health_professional"))
    page = client.get(url(gathering))
    groups = build.groups(gathering)
    # The group their profile suggests is already chosen.
    assert re.search(rf'<input checked[^>]* value="{groups[PROFESSIONALS]}"', page.text)
    response = post(client, url(gathering, "/submissions"),
                    {"group": groups[PROFESSIONALS], "text": "Does play therapy help?"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/en/priorities/{gathering}#your-questions")
    page = client.get(url(gathering))
    assert "Thank you, your question has been received." in page.text
    assert "Does play therapy help?" in page.text  # in "The questions you sent"
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert (submission.author_id, submission.language) == (author, "en")


@pytest.mark.parametrize(("data", "message", "kept"), [
    ({"text": ""}, "Please write your question.", None),
    ({"text": LONG}, f"This text has {len(LONG):,} characters; the limit is 2,000.", LONG),
    ({"text": "No group given", "group": ""}, "Please choose your group.", "No group given"),
    ({"text": "Wrong group", "group": "abc"}, "Please choose your group.", "Wrong group"),
])
def test_bad_submissions_show_errors_and_keep_the_text(app, client, auth, build, gathering,
                                                       data, message, kept):
    sign_in(auth, build.participant())
    data.setdefault("group", build.groups(gathering)[PATIENTS])
    response = post(client, url(gathering, "/submissions"), data)
    assert response.status_code == 422
    assert message in response.text
    if kept:
        assert kept in response.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Submission.id))) == 0


def test_double_submission_makes_one_submission(app, client, auth, build, gathering):
    sign_in(auth, build.participant())
    data = {"group": build.groups(gathering)[PATIENTS], "text": "Same question"}
    assert post(client, url(gathering, "/submissions"), data).status_code == 302
    again = post(client, url(gathering, "/submissions"), data)
    assert again.status_code == 422
    assert "You have already sent this question." in again.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Submission.id))) == 1


def test_submissions_outside_the_gathering_are_refused(client, auth, build):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    sign_in(auth, build.participant())
    response = post(client, url(exercise_id, "/submissions"),
                    {"group": build.groups(exercise_id)[PATIENTS], "text": "Too late"})
    assert response.status_code == 422
    assert "Questions are not being gathered at the moment." in response.text
    assert "Too late" in response.text  # the text is kept, to copy


def test_who_may_send_a_question(client, auth, build, factory, gathering):
    data = {"group": build.groups(gathering)[PATIENTS], "text": "Q"}
    anonymous = post(client, url(gathering, "/submissions"), data)
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    sign_in(auth, factory.user(blocked_at=utcnow(), language="en"))
    assert "Your account cannot take part" in client.get(url(gathering)).text
    assert post(client, url(gathering, "/submissions"), data).status_code == 403


def test_a_form_without_its_csrf_token_is_refused(client, auth, build, gathering):
    sign_in(auth, build.participant())
    response = client.post(url(gathering, "/submissions"),
                           data={"group": build.groups(gathering)[PATIENTS], "text": "Q"})
    assert response.status_code == 400


# Running the exercise


@pytest.mark.parametrize("path", ["/new", "/1/edit", "/1/manage", "/1/submissions",
                                  "/1/questions/new", "/1/workshop"])
def test_moderator_pages_need_a_moderator(client, auth, build, path):
    build.exercise(stage=Stage.PROCESSING)
    anonymous = client.get(f"/en/priorities{path}")
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    sign_in(auth, build.participant())
    assert client.get(f"/en/priorities{path}").status_code == 403


def test_create_an_exercise(app, client, auth, build):
    sign_in(auth, build.moderator_id)
    assert client.get("/en/priorities/new").status_code == 200
    response = post(client, "/en/priorities/new", {
        "title_fr": "Vivre après", "title_en": "Living after", "description_en": "Why",
        "gathering_ends_on": "2030-01-31", "ranking_ends_on": "2030-03-31",
        "workshop_size": "20"})
    assert response.status_code == 302
    with app.app_context():
        exercise = db.session.scalar(select(Exercise))
        assert response.headers["Location"] == f"/en/priorities/{exercise.id}/manage"
        assert exercise.stage == Stage.DRAFT and exercise.workshop_size == 20
        assert exercise.translated("en").description == "Why"
        assert len(exercise.groups) == 2


@pytest.mark.parametrize(("data", "message"), [
    ({"title_fr": "", "title_en": "", "description_en": "Kept description"},
     "Please give a title in at least one language."),
    ({"title_fr": "Titre", "description_en": "Kept description"},
     "Please give the title in this language too."),
    ({"title_fr": "Titre", "gathering_ends_on": "2030-05-01", "ranking_ends_on": "2030-04-01",
      "description_fr": "Kept description"}, "This date comes before the previous stage"),
    ({"title_fr": "Titre", "workshop_size": "500", "description_fr": "Kept description"},
     "Between 10 and 100."),
    ({"title_fr": "T" * 201, "description_fr": "Kept description"},
     "This text has 201 characters; the limit is 200"),
])
def test_bad_exercise_forms_keep_the_text(app, client, auth, build, data, message):
    sign_in(auth, build.moderator_id)
    data.setdefault("workshop_size", "25")
    response = post(client, "/en/priorities/new", data)
    assert response.status_code == 422
    assert message in response.text and "Kept description" in response.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Exercise.id))) == 0


def test_edit_an_exercise(app, client, auth, build):
    exercise_id = build.exercise(stage=Stage.FINAL_WORKSHOP, workshop_size=25)
    sign_in(auth, build.moderator_id)
    form = client.get(url(exercise_id, "/edit"))
    assert "Cancers de l’enfant" in form.text and 'value="25"' in form.text
    data = {"title_fr": "Nouveau titre", "title_en": "New title", "workshop_size": "25"}
    assert post(client, url(exercise_id, "/edit"), data).status_code == 302
    refused = post(client, url(exercise_id, "/edit"), {**data, "workshop_size": "30"})
    assert refused.status_code == 422
    assert "fixed when the interim ranking closed" in refused.text
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        assert (exercise.translated("en").title, exercise.workshop_size) == ("New title", 25)


def test_manage_page_and_stage_moves(app, client, auth, build):
    exercise_id = build.exercise(stage=Stage.DRAFT)
    sign_in(auth, build.moderator_id)
    page = client.get(url(exercise_id, "/manage"))
    assert page.status_code == 200 and "Open the gathering of questions" in page.text
    moved = post(client, url(exercise_id, "/stage"), {"stage": "gathering"})
    assert moved.status_code == 302
    assert "The exercise is now at the stage: Gathering questions." in client.get(
        url(exercise_id, "/manage")).text
    for target, message in [("draft", "cannot go back"), ("interim_ranking", "cannot be skipped"),
                            ("gathering", "already at this stage"), ("", "does not exist")]:
        refused = post(client, url(exercise_id, "/stage"), {"stage": target})
        assert refused.status_code == 422, target
        assert message in refused.text
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        assert exercise.stage == Stage.GATHERING
        changes = db.session.scalars(select(StageChange)).all()
        assert [(c.from_stage, c.to_stage) for c in changes] == [("draft", "gathering")]
    assert "Stage history" in client.get(url(exercise_id, "/manage")).text


def test_stage_form_without_csrf_and_by_a_participant(client, auth, build, factory):
    exercise_id = build.exercise(stage=Stage.DRAFT)
    sign_in(auth, build.moderator_id)
    assert client.post(url(exercise_id, "/stage"), data={"stage": "gathering"}).status_code == 400
    auth.sign_out()
    sign_in(auth, factory.user(role=Role.REPRESENTATIVE, language="en"))
    assert post(client, url(exercise_id, "/stage"), {"stage": "gathering"}).status_code == 403


def test_add_a_group(app, client, auth, build):
    exercise_id = build.exercise(stage=Stage.GATHERING)
    sign_in(auth, build.moderator_id)
    response = post(client, url(exercise_id, "/groups"),
                    {"label_fr": "Enseignants", "label_en": "Teachers"})
    assert response.status_code == 302
    assert "Teachers" in client.get(url(exercise_id)).text
    empty = post(client, url(exercise_id, "/groups"), {"label_fr": "", "label_en": ""})
    assert empty.status_code == 422
    assert "name in at least one language." in empty.text
    build.stage(exercise_id, Stage.INTERIM_RANKING)
    late = post(client, url(exercise_id, "/groups"), {"label_fr": "Parents", "label_en": ""})
    assert late.status_code == 422
    assert "only be added before the interim ranking" in late.text
    assert len(build.groups(exercise_id)) == 3
