"""The interim ranking form, the final workshop, the results page and the CSV exports."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities.models import (
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Stage,
)
from tests.factories.priorities import PATIENTS, PROFESSIONALS
from tests.helpers import post, sign_in


def url(exercise_id, path=""):
    return f"/en/priorities/{exercise_id}{path}"


@pytest.fixture
def ranking(build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    kept = build.questions(exercise_id, 12)
    aside = build.question(exercise_id, text_en="Already answered one",
                           status=QuestionStatus.ALREADY_ANSWERED)
    return exercise_id, kept, aside


def rank(client, exercise_id, order, action="save", group=None, build=None, **fields):
    data = {"ranked": [str(q) for q in order], "action": action, **fields}
    if group is not False:
        data["group"] = str(group or build.groups(exercise_id)[PATIENTS])
    return post(client, url(exercise_id, "/ranking"), data)


def test_the_ranking_page_offers_kept_questions_only(client, auth, build, ranking):
    exercise_id, _kept, _aside = ranking
    assert "/account/sign-in" in client.get(url(exercise_id, "/ranking")).headers["Location"]
    sign_in(auth, build.participant(participant_type="patient"))
    page = client.get(url(exercise_id, "/ranking"))
    assert page.status_code == 200
    assert "Add to my ranking" in page.text and "Already answered one" not in page.text
    assert page.text.count('name="action" value="add-') == 12
    # The group their profile suggests is preselected.
    patients = build.groups(exercise_id)[PATIENTS]
    assert re.search(rf'<option selected value="{patients}">', page.text)
    assert re.search(r'<script src="/static/js/priorities\.js(\?v=\w+)?" defer>', page.text)


def test_rank_with_the_buttons(client, auth, build, ranking):
    exercise_id, kept, _aside = ranking
    user_id = sign_in(auth, build.participant())
    response = rank(client, exercise_id, [], f"add-{kept[0]}", build=build)
    assert response.status_code == 302
    assert response.headers["Location"] == url(exercise_id, f"/ranking#ranked-{kept[0]}")
    page = client.get(url(exercise_id, "/ranking"))
    assert "Question 1 is now in your ranking, at position 1." in page.text
    assert "In your ranking, at position 1." in page.text
    rank(client, exercise_id, [kept[0]], f"add-{kept[1]}", build=build)
    rank(client, exercise_id, kept[:2], f"add-{kept[2]}", build=build)
    assert build.ranking_of(exercise_id, user_id) == kept[:3]
    rank(client, exercise_id, kept[:3], f"up-{kept[2]}", build=build)
    assert build.ranking_of(exercise_id, user_id) == [kept[0], kept[2], kept[1]]
    assert "Question 3 moved to position 2." in client.get(url(exercise_id, "/ranking")).text
    rank(client, exercise_id, [kept[0], kept[2], kept[1]], f"down-{kept[0]}", build=build)
    assert build.ranking_of(exercise_id, user_id) == [kept[2], kept[0], kept[1]]
    # A position chosen in a select, then "Save my ranking".
    response = rank(client, exercise_id, [kept[2], kept[0], kept[1]], "save", build=build,
                    **{f"position-{kept[1]}": "1"})
    assert response.headers["Location"] == url(exercise_id, "/ranking#my-ranking")
    assert build.ranking_of(exercise_id, user_id) == [kept[1], kept[2], kept[0]]
    rank(client, exercise_id, [kept[1], kept[2], kept[0]], f"remove-{kept[2]}", build=build)
    assert build.ranking_of(exercise_id, user_id) == [kept[1], kept[0]]
    page = client.get(url(exercise_id, "/ranking"))
    assert "Question 3 was removed from your ranking." in page.text
    assert 'class="count">(2 of 10)' in page.text


def test_the_same_form_sent_twice_gives_the_same_ranking(client, auth, build, ranking):
    exercise_id, kept, _aside = ranking
    user_id = sign_in(auth, build.participant())
    build.ranking(exercise_id, user_id, kept[:3])
    for _ in range(2):
        assert rank(client, exercise_id, kept[:3], f"up-{kept[2]}",
                    build=build).status_code == 302
    assert build.ranking_of(exercise_id, user_id) == [kept[0], kept[2], kept[1]]
    for _ in range(2):
        rank(client, exercise_id, kept[:3], f"add-{kept[5]}", build=build)
    assert build.ranking_of(exercise_id, user_id) == [*kept[:3], kept[5]]


def test_change_group(client, auth, build, ranking):
    exercise_id, kept, _aside = ranking
    user_id = sign_in(auth, build.participant())
    build.ranking(exercise_id, user_id, kept[:2])
    groups = build.groups(exercise_id)
    rank(client, exercise_id, kept[:2], group=groups[PROFESSIONALS], build=build)
    with auth.app.app_context():
        from engage.priorities.models import Ranking

        assert db.session.scalar(select(Ranking.group_id)) == groups[PROFESSIONALS]


@pytest.mark.parametrize(("case", "message"), [
    ("eleven", "You can rank up to 10 questions. Remove one before adding another."),
    ("twice", "Each question can appear only once in your ranking."),
    ("unknown", "One of these questions does not exist."),
    ("set_aside", "was set aside by the moderators: it cannot be ranked."),
    ("tampered", "This form was out of date."),
    ("not_ranked", "This form was out of date."),
    ("no_group", "Please choose your group."),
    ("foreign_group", "Please choose your group from the list."),
])
def test_bad_rankings_are_refused_and_the_previous_one_kept(client, auth, build, ranking, case,
                                                            message):
    exercise_id, kept, aside = ranking
    user_id = sign_in(auth, build.participant())
    build.ranking(exercise_id, user_id, kept[:10])
    order, action, group = kept[:10], f"add-{kept[10]}", None
    if case == "twice":
        order, action = [kept[0], kept[1], kept[0]], "save"
    elif case == "unknown":
        order, action = [kept[0], 99999], "save"
    elif case == "set_aside":
        order, action = kept[:2], f"add-{aside}"
    elif case == "tampered":
        action = "jump-3"
    elif case == "not_ranked":
        action = f"up-{kept[11]}"
    elif case == "no_group":
        group = False
    elif case == "foreign_group":
        group = build.groups(build.exercise())[PATIENTS]
    response = rank(client, exercise_id, order, action, group=group, build=build)
    assert response.status_code == 422
    assert message in response.text
    assert build.ranking_of(exercise_id, user_id) == kept[:10]
    assert 'class="count">(10 of 10)' in response.text  # the stored ranking, unchanged


def test_ranking_after_the_stage_closed(client, auth, build, ranking):
    exercise_id, kept, _aside = ranking
    user_id = sign_in(auth, build.participant())
    build.ranking(exercise_id, user_id, kept[:2])
    build.stage(exercise_id, Stage.FINAL_WORKSHOP)
    response = rank(client, exercise_id, kept[:2], f"add-{kept[3]}", build=build)
    assert response.status_code == 422
    assert "The ranking is closed: your ranking was not changed." in response.text
    assert build.ranking_of(exercise_id, user_id) == kept[:2]
    page = client.get(url(exercise_id, "/ranking"))
    assert "The ranking is closed." in page.text and "Add to my ranking" not in page.text
    assert "Question 1 in English" in page.text  # their ranking, read-only


def test_ranking_before_it_opened_and_by_accounts_that_cannot_write(client, auth, build, factory):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    sign_in(auth, build.participant())
    response = client.get(url(exercise_id, "/ranking"))
    assert response.status_code == 302 and response.headers["Location"] == url(exercise_id)
    build.stage(exercise_id, Stage.INTERIM_RANKING)
    auth.sign_out()
    sign_in(auth, factory.user(blocked_at=utcnow(), language="en"))
    assert "Your account cannot take part" in client.get(url(exercise_id, "/ranking")).text
    assert rank(client, exercise_id, [], "save", build=build).status_code == 403


def test_withdraw_a_ranking(client, auth, build, ranking):
    exercise_id, kept, _aside = ranking
    user_id = sign_in(auth, build.participant())
    build.ranking(exercise_id, user_id, kept[:1])
    rank(client, exercise_id, kept[:1], f"remove-{kept[0]}", build=build)
    assert build.ranking_of(exercise_id, user_id) is None


def test_the_ranking_list_is_paginated(client, auth, build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    kept = build.questions(exercise_id, 55)
    sign_in(auth, build.participant())
    first = client.get(url(exercise_id, "/ranking"))
    assert first.text.count('value="add-') == 50 and "Next page" in first.text
    second = client.get(url(exercise_id, "/ranking?page=2"))
    assert second.text.count('value="add-') == 5
    assert f'action="/en/priorities/{exercise_id}/ranking?page=2#error-summary"' in second.text
    response = post(client, url(exercise_id, "/ranking?page=2"),
                    {"ranked": [], "action": f"add-{kept[52]}",
                     "group": build.groups(exercise_id)[PATIENTS]})
    assert response.headers["Location"] == url(exercise_id, f"/ranking?page=2#ranked-{kept[52]}")


# Final workshop


@pytest.fixture
def workshop(build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING, workshop_size=10)
    questions = build.questions(exercise_id, 12)
    for _ in range(5):  # 5 per group: each group's figures are published apart
        build.ranking(exercise_id, build.participant(), questions[:10])
        build.ranking(exercise_id, build.participant(), questions[2:12], group=PROFESSIONALS)
    return exercise_id, questions


def close_ranking(client, auth, build, exercise_id, signed_in=False):
    if not signed_in:
        sign_in(auth, build.moderator_id)
    response = post(client, url(exercise_id, "/stage"), {"stage": "final_workshop"})
    assert response.status_code == 302


def shortlist(app, exercise_id):
    with app.app_context():
        return list(db.session.scalars(
            select(IndicativeQuestion.id).where(IndicativeQuestion.exercise_id == exercise_id,
                                                IndicativeQuestion.interim_rank <= 10)
            .order_by(IndicativeQuestion.interim_rank)))


def test_record_the_workshop_order_and_publish(app, client, auth, build, workshop):
    exercise_id, _questions = workshop
    sign_in(auth, build.participant())
    assert client.get(url(exercise_id, "/workshop")).status_code == 403
    auth.sign_out()
    sign_in(auth, build.moderator_id)
    assert client.get(url(exercise_id, "/workshop")).status_code == 404  # not yet
    close_ranking(client, auth, build, exercise_id, signed_in=True)
    page = client.get(url(exercise_id, "/workshop"))
    assert page.status_code == 200 and page.text.count('<select id="place-') == 10
    shortlisted = shortlist(app, exercise_id)
    refused = post(client, url(exercise_id, "/stage"), {"stage": "published"})
    assert refused.status_code == 422 and "Record the order agreed at the workshop" in refused.text
    places = {f"place-{qid}": str(10 - i) for i, qid in enumerate(shortlisted)}
    assert post(client, url(exercise_id, "/workshop"), places).status_code == 302
    assert post(client, url(exercise_id, "/stage"), {"stage": "published"}).status_code == 302
    with app.app_context():
        assert db.session.get(Exercise, exercise_id).stage == Stage.PUBLISHED
        final = db.session.scalars(select(IndicativeQuestion.id).where(
            IndicativeQuestion.final_rank.is_not(None)).order_by(IndicativeQuestion.final_rank))
        assert list(final) == shortlisted[::-1]
    read_only = client.get(url(exercise_id, "/workshop"))
    assert read_only.status_code == 200 and "<select" not in read_only.text
    assert post(client, url(exercise_id, "/workshop"), places).status_code == 403


@pytest.mark.parametrize(("change", "message"), [
    ("duplicate", "Place 2 was given to more than one question."),
    ("blank", "Please give a place to every question."),
    ("word", "Please give a place to every question."),
    ("too_far", "Places go from 1 to 10."),
])
def test_bad_workshop_orders_keep_what_was_entered(app, client, auth, build, workshop, change,
                                                   message):
    exercise_id, _questions = workshop
    close_ranking(client, auth, build, exercise_id)
    shortlisted = shortlist(app, exercise_id)
    places = {f"place-{qid}": str(i) for i, qid in enumerate(shortlisted, start=1)}
    first = f"place-{shortlisted[0]}"
    places[first] = {"duplicate": "2", "blank": "", "word": "first", "too_far": "11"}[change]
    places[f"place-{shortlisted[9]}"] = "7" if change == "duplicate" else "10"
    places[f"place-{shortlisted[6]}"] = "1" if change == "duplicate" else "7"
    response = post(client, url(exercise_id, "/workshop"), places)
    assert response.status_code == 422 and message in response.text
    # What was entered is kept: the 7th question still shows place 1 (duplicate case) or 7.
    expected = "1" if change == "duplicate" else "7"
    options = rf'id="place-{shortlisted[6]}"(?:(?!</select>).)*'
    assert re.search(rf'{options}<option value="{expected}" selected>', response.text, re.S)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(IndicativeQuestion.id)).where(
            IndicativeQuestion.final_rank.is_not(None))) == 0


def test_workshop_form_without_csrf(client, auth, build, workshop):
    exercise_id, _questions = workshop
    close_ranking(client, auth, build, exercise_id)
    assert client.post(url(exercise_id, "/workshop"), data={}).status_code == 400


# Results and exports


@pytest.fixture
def published(app, client, auth, build, workshop):
    exercise_id, questions = workshop
    close_ranking(client, auth, build, exercise_id)
    shortlisted = shortlist(app, exercise_id)
    post(client, url(exercise_id, "/workshop"),
         {f"place-{qid}": str(i) for i, qid in enumerate(shortlisted, start=1)})
    post(client, url(exercise_id, "/stage"), {"stage": "published"})
    auth.sign_out()
    return exercise_id, questions, shortlisted


def test_results_are_for_moderators_until_published(client, auth, build, workshop):
    exercise_id, _questions = workshop
    response = client.get(url(exercise_id, "/results"))
    assert response.status_code == 302 and response.headers["Location"] == url(exercise_id)
    assert client.get(url(exercise_id, "/export/questions.csv")).status_code == 404
    sign_in(auth, build.moderator_id)
    preview = client.get(url(exercise_id, "/results"))
    assert preview.status_code == 200
    assert "Preview for moderators: these results are not public yet." in preview.text
    assert "The final workshop has not agreed its order yet." in preview.text


def test_a_visitor_reads_the_published_results(client, build, published):
    exercise_id, _questions, _shortlisted = published
    page = client.get(url(exercise_id, "/results"))
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1") == 1 and "The top 10" in html
    top = re.search(r'<ol class="top-list">(.*?)</ol>', html, re.S).group(1)
    assert top.count("<li>") == 10
    assert html.count('<svg class="chart"') == 3  # combined, and one per group
    assert html.count('<table class="chart-table">') == 3  # their text equivalents
    assert "Interim results per group" in html and "Who took part" in html
    assert "People who ranked the questions" in html
    for name in ("questions", "submissions", "rankings"):
        assert f"/export/{name}.csv" in html
    assert "Preview for moderators" not in html
    exercise = client.get(url(exercise_id))
    assert "See the full results" in exercise.text
    assert client.get(f"/fr/priorities/{exercise_id}/results").status_code == 200


def read_csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_exports_are_anonymous(client, build, published):
    exercise_id, _questions, _shortlisted = published
    author = build.participant(display_name="Secret Name", email="secret@example.org")
    build.submission(exercise_id, author, text="=HYPERLINK(\"http://evil\")")
    rows = read_csv(client.get(url(exercise_id, "/export/questions.csv")))
    header = rows[0]
    assert header[:3] == ["number", "status", "answered_reference"]
    assert "points: Patients and carers" in header and "share: Health professionals" in header
    assert len(rows) == 1 + 12
    first = dict(zip(header, rows[1], strict=True))
    assert first["text_en"] == "Question 1 in English"
    submissions = read_csv(client.get(url(exercise_id, "/export/submissions.csv")))
    body = "\n".join(",".join(row) for row in submissions)
    assert "Secret Name" not in body and "secret@example.org" not in body
    assert "'=HYPERLINK" in body  # a formula is not run by spreadsheets
    assert submissions[0] == ["id", "date", "group", "language", "text", "hidden",
                              "question_numbers"]
    rankings = read_csv(client.get(url(exercise_id, "/export/rankings.csv")))
    assert rankings[0][:3] == ["ranking", "group", "place_1"] and len(rankings) == 11
    assert rankings[1][1] == "Patients and carers"
    assert client.get(url(exercise_id, "/export/users.csv")).status_code == 404
