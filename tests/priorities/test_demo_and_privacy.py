"""The demo exercise, "download my data" and account deletion for this area."""

import json

from sqlalchemy import select

from engage.accounts.models import User
from engage.core.commands import DEMO_PASSWORD
from engage.core.moderated import Report
from engage.extensions import db
from engage.priorities.demo import TITLE_FR
from engage.priorities.models import (
    Comment,
    Exercise,
    ExerciseTranslation,
    IndicativeQuestion,
    Ranking,
    Stage,
    Submission,
)
from tests.factories.users import PASSWORD
from tests.helpers import Auth, count, csrf_token, sign_in


def test_the_demo_loader_creates_no_account_and_runs_once(app):
    from engage import demo
    from engage.priorities.demo import load_demo

    with app.app_context():
        demo.load_accounts(DEMO_PASSWORD)
        users = count(User)
        assert load_demo() is True
        assert load_demo() is False
        assert count(User) == users and count(Exercise) == 1


def test_demo_exercise_is_bilingual_ranked_and_idempotent(app, runner):
    assert runner.invoke(args=["engage", "demo"]).exit_code == 0
    assert runner.invoke(args=["engage", "demo"]).exit_code == 0
    with app.app_context():
        # The demo's own exercise (the network's record adds published results of its own).
        [exercise] = db.session.scalars(select(Exercise).where(Exercise.translations.any(
            ExerciseTranslation.title == TITLE_FR))).all()
        assert exercise.stage == Stage.INTERIM_RANKING
        assert {t.language for t in exercise.translations} == {"fr", "en"}
        assert [c.to_stage for c in exercise.stage_changes] == [
            "gathering", "processing", "interim_ranking"]
        statuses = db.session.scalars(select(IndicativeQuestion.status).where(
            IndicativeQuestion.exercise_id == exercise.id)).all()
        assert statuses.count("kept") == 8 and len(statuses) == 10
        assert count(Submission) > 10 and count(Comment) == 3
        rankers = db.session.scalars(select(User.email).join(Ranking, Ranking.user_id == User.id))
        assert set(rankers) == {"participant@example.org", "representative@example.org",
                                "reviewer@example.org"}
    client = app.test_client()
    Auth(app, client).sign_in("participant@example.org", DEMO_PASSWORD)
    page = client.get(f"/en/priorities/{exercise.id}/ranking")
    assert page.status_code == 200 and 'class="count">(5 of 10)' in page.text
    Auth(app, client).sign_out()
    Auth(app, client).sign_in("moderator@example.org", DEMO_PASSWORD)
    results = client.get(f"/en/priorities/{exercise.id}/results")
    # 3 people ranked: the preview gives no interim figure, as the published page would.
    assert results.status_code == 200 and '<svg class="chart"' not in results.text
    assert "Fewer than 5 people have ranked the questions" in results.text
    assert "Research priorities" in client.get("/en/").text


def test_my_data_lists_what_i_wrote_in_this_area(app, client, auth, build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    user_id = sign_in(auth, build.participant())
    build.submission(exercise_id, user_id, text="My own question")
    question_id = build.question(exercise_id)
    build.comment(question_id, user_id, "My own comment")
    build.ranking(exercise_id, user_id, [question_id])
    data = json.loads(client.get("/en/account/my-data.json").data)
    assert data["priority_submissions"][0]["question"] == "My own question"
    assert data["priority_comments"][0]["comment"] == "My own comment"
    assert data["priority_rankings"][0]["questions_in_order"] == "1"
    page = client.get("/en/account/my-data")
    assert "Questions sent for research priorities" in page.text


def delete_account(client, delete_content):
    form = client.get("/en/account/delete")
    data = {"password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)}
    if delete_content:
        data["delete_content"] = "y"
    return client.post("/en/account/delete", data=data)


def test_deleting_an_account_with_its_content(app, client, auth, build):
    gathering = build.exercise(stage=Stage.GATHERING)
    ranking = build.exercise(stage=Stage.INTERIM_RANKING)
    closed = build.exercise(stage=Stage.PUBLISHED)
    user_id = sign_in(auth, build.participant())
    build.submission(gathering, user_id, text="Withdrawn with the account")
    kept_submission = build.submission(ranking, user_id, text="Part of the method")
    open_question, closed_question = build.question(ranking), build.question(closed)
    removed = build.comment(open_question, user_id, "Removed")
    build.comment(closed_question, user_id, "Stays")
    reporter = build.participant()
    with app.app_context():
        db.session.add(Report(target_type="priority_comment", target_id=removed,
                              reporter_id=reporter, reason="spam"))
        db.session.commit()
    build.ranking(ranking, user_id, [open_question])
    build.ranking(closed, user_id, [closed_question])
    assert delete_account(client, delete_content=True).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Submission.id)).all() == [kept_submission]
        assert db.session.scalars(select(Comment.body)).all() == ["Stays"]
        assert db.session.scalars(select(Ranking.exercise_id)).all() == [closed]
        assert count(Report) == 0
    page = client.get(f"/en/priorities/{closed}/questions/{closed_question}")
    assert "Former participant" in page.text


def test_deleting_an_account_keeps_its_contributions_anonymous(app, client, auth, build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    user_id = sign_in(auth, build.participant(display_name="Visible Name"))
    question_id = build.question(exercise_id)
    build.comment(question_id, user_id, "Still useful")
    build.ranking(exercise_id, user_id, [question_id])
    assert delete_account(client, delete_content=False).status_code == 302
    page = client.get(f"/en/priorities/{exercise_id}/questions/{question_id}")
    assert "Still useful" in page.text and "Former participant" in page.text
    assert "Visible Name" not in page.text
    with app.app_context():
        assert count(Ranking) == 1
