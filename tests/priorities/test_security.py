"""Hostile text everywhere it is shown: escaped, or sanitized Markdown, never live markup."""

import pytest

from engage.accounts.models import User
from engage.extensions import db
from engage.priorities import services
from engage.priorities.models import Exercise, IndicativeQuestion, QuestionStatus, Stage
from tests.core.test_markdown_and_charts import XSS_PAYLOADS
from tests.helpers import sign_in
from tests.markup import live_markup

# What our own pages legitimately contain.
PAGE_TAGS = {"form", "svg", "meta", "link", "script"}


def check(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.text
    assert live_markup(html, allowed_tags=PAGE_TAGS) == [], path
    # Only ours: files of the site, never inline.
    assert html.count("<script") == html.count('<script src="/static/'), path
    assert html.count("<svg") == html.count('<svg class="chart"'), path
    assert html.count("<form") == html.count("<form method="), path
    return html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_text_is_never_live(app, client, auth, build, payload):
    exercise_id = build.exercise(stage=Stage.GATHERING, title_en=payload, description_en=payload,
                                 workshop_size=10)
    author = build.participant(display_name=payload)
    with app.test_request_context("/en/"):
        moderator = db.session.get(User, build.moderator_id)
        services.add_group(moderator, db.session.get(Exercise, exercise_id),
                           {"fr": "", "en": payload})
        db.session.commit()
    submission = build.submission(exercise_id, author, text=payload)
    question_id = build.question(exercise_id, text_en=payload, submission_ids=[submission],
                                 en={"explanation": payload, "population": payload,
                                     "outcome": payload})
    aside = build.question(exercise_id, text_en="Aside", status=QuestionStatus.ALREADY_ANSWERED,
                           en={"reason": payload}, answered_reference=payload)
    build.comment(question_id, author, payload)
    build.ranking(exercise_id, author, [question_id])
    base = f"/en/priorities/{exercise_id}"

    sign_in(auth, author)
    check(client, "/en/")
    check(client, "/en/priorities/")
    check(client, base)  # the questions they sent
    build.stage(exercise_id, Stage.INTERIM_RANKING)
    check(client, base + "/ranking")
    check(client, f"{base}/questions/{question_id}")
    check(client, f"{base}/questions/{aside}")
    check(client, f"{base}/questions?show=all")
    auth.sign_out()

    sign_in(auth, build.moderator_id)
    check(client, base + "/manage")
    check(client, base + "/submissions?show=all")
    check(client, f"{base}/moderate/comment/1")
    check(client, base + "/results")
    with app.test_request_context("/en/"):
        services.move_stage(db.session.get(User, build.moderator_id),
                            db.session.get(Exercise, exercise_id), Stage.FINAL_WORKSHOP)
        db.session.get(IndicativeQuestion, question_id).final_rank = 1
        db.session.commit()
    check(client, base + "/workshop")
    build.stage(exercise_id, Stage.PUBLISHED)
    auth.sign_out()

    html = check(client, base + "/results")
    check(client, base)
    if payload.startswith("<script"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    other = build.participant()
    sign_in(auth, other)
    build.stage(exercise_id, Stage.INTERIM_RANKING)
    check(client, f"{base}/report/comment/1")
    check(client, f"{base}/report/submission/{submission}")
