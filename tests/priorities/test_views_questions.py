"""Processing (grouping submissions into indicative questions), the question pages,
comments, reports and moderation, through the client."""

import re

import pytest
from sqlalchemy import select

from engage.core.db import utcnow
from engage.core.moderated import Report
from engage.extensions import db
from engage.priorities.models import (
    Comment,
    IndicativeQuestion,
    QuestionStatus,
    Stage,
    Submission,
)
from tests.factories.priorities import PROFESSIONALS
from tests.helpers import post, sign_in


def url(exercise_id, path=""):
    return f"/en/priorities/{exercise_id}{path}"


@pytest.fixture
def processing(build):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    author = build.participant(display_name="Nadia Secret")
    submissions = [build.submission(exercise_id, author, text=f"Raw question {i}")
                   for i in range(3)]
    return exercise_id, submissions


# Submissions and grouping


def test_submissions_page_and_filters(client, auth, build, processing):
    exercise_id, (s1, _s2, _s3) = processing
    build.question(exercise_id, submission_ids=[s1])
    sign_in(auth, build.moderator_id)
    page = client.get(url(exercise_id, "/submissions"))
    assert page.status_code == 200
    assert "Raw question 1" in page.text and "Raw question 0" not in page.text  # not grouped
    assert "Nadia Secret" in page.text  # moderators see who wrote it
    grouped = client.get(url(exercise_id, "/submissions?show=grouped"))
    assert "Raw question 0" in grouped.text and "Raw question 1" not in grouped.text
    every = client.get(url(exercise_id, "/submissions?show=all&page=1"))
    assert all(f"Raw question {i}" in every.text for i in range(3))
    assert client.get(url(exercise_id, "/submissions?show=nonsense")).status_code == 200


def test_group_submissions_into_a_new_question(app, client, auth, build, processing):
    exercise_id, (s1, s2, _s3) = processing
    sign_in(auth, build.moderator_id)
    response = post(client, url(exercise_id, "/submissions/group"),
                    {"submissions": [s1, s2], "question": "new"})
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/en/priorities/{exercise_id}/questions/new?submission={s1}&submission={s2}")
    form = client.get(response.headers["Location"])
    assert "Raw question 0" in form.text and "Raw question 1" in form.text
    created = post(client, url(exercise_id, "/questions/new"), {
        "submissions": [s1, s2], "text_en": "What helps children sleep?",
        "text_fr": "Qu’est-ce qui aide les enfants à dormir ?", "status": "kept",
        "population_en": "Children", "evidence_1": "https://example.org/review"})
    assert created.status_code == 302
    with app.app_context():
        question = db.session.scalar(select(IndicativeQuestion))
        assert created.headers["Location"] == url(exercise_id, f"/questions/{question.id}")
        assert [s.id for s in question.submissions] == [s1, s2]
        assert question.evidence[0].reference == "https://example.org/review"


def test_group_submissions_into_an_existing_question(app, client, auth, build, processing):
    exercise_id, (s1, s2, s3) = processing
    question_id = build.question(exercise_id, submission_ids=[s1])
    sign_in(auth, build.moderator_id)
    page = client.get(url(exercise_id, "/submissions"))
    assert f'<option value="{question_id}">Q1 – Question 1 in English</option>' in page.text
    response = post(client, url(exercise_id, "/submissions/group"),
                    {"submissions": [s2, s3], "question": str(question_id), "show": "all"})
    assert response.status_code == 302
    assert "2 submissions grouped into question 1." in client.get(
        response.headers["Location"]).text
    with app.app_context():
        assert len(db.session.get(IndicativeQuestion, question_id).submissions) == 3


@pytest.mark.parametrize(("data", "message"), [
    ({"question": "new"}, "Please select at least one submission."),
    ({"question": "999", "submissions": ["1"]}, "Please choose a question from the list."),
    ({"question": "new", "submissions": ["abc"]}, "Submissions"),
])
def test_grouping_with_bad_input(client, auth, build, processing, data, message):
    exercise_id, _ = processing
    sign_in(auth, build.moderator_id)
    response = post(client, url(exercise_id, "/submissions/group"), data)
    assert response.status_code == 422
    assert message in response.text


def test_grouping_is_refused_after_processing(client, auth, build, processing):
    exercise_id, (s1, _s2, _s3) = processing
    question_id = build.question(exercise_id)
    build.stage(exercise_id, Stage.INTERIM_RANKING)
    sign_in(auth, build.moderator_id)
    page = client.get(url(exercise_id, "/submissions"))
    assert "Submissions can be grouped while the questions are processed." in page.text
    response = post(client, url(exercise_id, "/submissions/group"),
                    {"submissions": [s1], "question": str(question_id)})
    assert response.status_code == 422
    assert "can only be grouped while the questions are processed" in response.text
    assert client.get(url(exercise_id, "/questions/new")).status_code == 403


# Writing and editing indicative questions


@pytest.mark.parametrize(("data", "field_message"), [
    ({"text_en": "", "text_fr": "", "explanation_en": "Kept text"},
     "Please write the question in at least one language."),
    ({"text_en": "", "text_fr": "Q ?", "explanation_en": "Kept text"},
     "Please write the question itself in this language too."),
    ({"text_en": "Q?", "status": "out_of_scope", "explanation_en": "Kept text"},
     "Please say why this question is out of scope."),
    ({"text_en": "Q?", "status": "already_answered", "explanation_en": "Kept text"},
     "Please give the reference of the research that answers it."),
    ({"text_en": "Q?", "status": "deleted", "explanation_en": "Kept text"},
     "Please choose a status from the list."),
    ({"text_en": "Q" * 501, "explanation_en": "Kept text"},
     "This text has 501 characters; the limit is 500"),
])
def test_bad_questions_show_errors_and_keep_the_text(app, client, auth, build, processing,
                                                     data, field_message):
    exercise_id, _ = processing
    sign_in(auth, build.moderator_id)
    data.setdefault("status", "kept")
    response = post(client, url(exercise_id, "/questions/new"), data)
    assert response.status_code == 422
    assert field_message in response.text and "Kept text" in response.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(IndicativeQuestion.id))) == 0


def test_edit_a_question_and_set_it_aside(app, client, auth, build, processing):
    exercise_id, _ = processing
    question_id = build.question(exercise_id, text_en="Old text",
                                 en={"explanation": "Why it matters"})
    sign_in(auth, build.moderator_id)
    form = client.get(url(exercise_id, f"/questions/{question_id}/edit"))
    assert "Old text" in form.text and "Why it matters" in form.text
    response = post(client, url(exercise_id, f"/questions/{question_id}/edit"), {
        "text_en": "New text", "text_fr": "Nouveau texte", "status": "already_answered",
        "answered_reference": "Cochrane review 2019", "reason_en": "Answered by a review",
        "evidence_1": "Trial A", "evidence_2": "Trial B"})
    assert response.status_code == 302
    page = client.get(url(exercise_id, f"/questions/{question_id}"))
    assert "Set aside: already answered by research" in page.text
    assert "Cochrane review 2019" in page.text and "Answered by a review" in page.text
    listed = client.get(url(exercise_id, "/questions?show=set_aside"))
    assert "New text" in listed.text and "Answered by a review" in listed.text
    assert "New text" not in client.get(url(exercise_id, "/questions?show=kept")).text
    bad = post(client, url(exercise_id, f"/questions/{question_id}/edit"),
               {"text_en": "Edited", "status": "out_of_scope"})
    assert bad.status_code == 422 and "Edited" in bad.text
    with app.app_context():
        question = db.session.get(IndicativeQuestion, question_id)
        assert question.status == QuestionStatus.ALREADY_ANSWERED
        assert [e.reference for e in question.evidence] == ["Trial A", "Trial B"]


def test_questions_of_another_exercise_are_not_found(client, auth, build, processing):
    exercise_id, _ = processing
    other = build.question(build.exercise(stage=Stage.PROCESSING))
    assert client.get(url(exercise_id, f"/questions/{other}")).status_code == 404
    sign_in(auth, build.moderator_id)
    assert client.get(url(exercise_id, f"/questions/{other}/edit")).status_code == 404


def test_questions_are_public_from_the_processing_stage(client, build):
    exercise_id = build.exercise(stage=Stage.GATHERING)
    question_id = build.question(exercise_id)
    assert client.get(url(exercise_id, "/questions")).status_code == 404
    assert client.get(url(exercise_id, f"/questions/{question_id}")).status_code == 404
    build.stage(exercise_id, Stage.PROCESSING)
    page = client.get(url(exercise_id, "/questions"))
    assert page.status_code == 200 and "still working on these questions" in page.text


# The question page


def test_question_page_shows_everything_but_names(client, auth, build, processing):
    exercise_id, (s1, s2, _s3) = processing
    question_id = build.question(
        exercise_id, text_en="Does music help?", submission_ids=[s1, s2],
        en={"explanation": "Plain words", "population": "Teenagers", "outcome": "Anxiety"})
    build.comment(question_id, build.participant(display_name="Camille"), "Yes, for my son.")
    page = client.get(url(exercise_id, f"/questions/{question_id}"))
    assert page.status_code == 200
    for text in ("Does music help?", "Plain words", "Teenagers", "Anxiety", "Raw question 0",
                 "Formed from 2 submissions", "Camille", "Yes, for my son."):
        assert text in page.text, text
    assert "Nadia Secret" not in page.text  # submissions are shown without their authors
    assert "Readability" not in page.text
    assert "Sign in to take part in the discussion" in page.text
    sign_in(auth, build.moderator_id)
    page = client.get(url(exercise_id, f"/questions/{question_id}"))
    assert "Readability (moderators only)" in page.text and "Flesch reading ease" in page.text
    assert re.search(r"English – Flesch reading ease: <strong>\d+</strong>", page.text)
    french = client.get(f"/fr/priorities/{exercise_id}/questions/{question_id}").text
    assert re.search(r"Anglais – [^<:]+\u00a0: <strong>\d+</strong>", french)
    assert "Edit this question" in page.text and "Unlink" in page.text


def test_unlink_a_submission(app, client, auth, build, processing):
    exercise_id, (s1, s2, _s3) = processing
    question_id = build.question(exercise_id, submission_ids=[s1, s2])
    sign_in(auth, build.moderator_id)
    path = url(exercise_id, f"/questions/{question_id}/submissions/{s1}/unlink")
    assert client.post(path).status_code == 400  # no CSRF token
    response = post(client, path)
    assert response.status_code == 302 and response.headers["Location"].endswith("#submissions")
    again = post(client, path)
    assert "This submission is not linked to this question." in client.get(
        again.headers["Location"]).text
    with app.app_context():
        assert [s.id for s in db.session.get(IndicativeQuestion, question_id).submissions] == [s2]
        assert db.session.get(Submission, s1) is not None


# Comments


@pytest.fixture
def discussed(build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    return exercise_id, build.question(exercise_id)


def test_post_a_comment(app, client, auth, build, discussed):
    exercise_id, question_id = discussed
    author = sign_in(auth, build.participant(display_name="Lou", pseudonym="Lou75",
                                             use_pseudonym=True))
    response = post(client, url(exercise_id, f"/questions/{question_id}/comments"),
                    {"body": "This matters to parents."})
    assert response.status_code == 302
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert comment.author_id == author
        assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    page = client.get(url(exercise_id, f"/questions/{question_id}"))
    assert "Your comment has been posted." in page.text
    assert "Lou75" in page.text and "This matters to parents." in page.text


@pytest.mark.parametrize(("body", "message"), [
    ("", "Please write your comment."),
    ("y" * 2001,
     "This text has 2,001 characters; the limit is 2,000. Please shorten it by 1 character."),
])
def test_bad_comments_keep_the_text(client, auth, build, discussed, body, message):
    exercise_id, question_id = discussed
    sign_in(auth, build.participant())
    response = post(client, url(exercise_id, f"/questions/{question_id}/comments"),
                    {"body": body})
    assert response.status_code == 422
    assert message in response.text and body in response.text


def test_comments_when_closed_twice_or_not_allowed(app, client, auth, build, factory, discussed):
    exercise_id, question_id = discussed
    path = url(exercise_id, f"/questions/{question_id}/comments")
    assert "/account/sign-in" in post(client, path, {"body": "Hi"}).headers["Location"]
    sign_in(auth, build.participant())
    assert post(client, path, {"body": "Once"}).status_code == 302
    twice = post(client, path, {"body": "Once"})
    assert twice.status_code == 422 and "You have already posted this comment." in twice.text
    build.stage(exercise_id, Stage.PUBLISHED)
    closed = post(client, path, {"body": "After the end"})
    assert closed.status_code == 422 and "The discussion is closed." in closed.text
    assert "After the end" in closed.text
    auth.sign_out()
    sign_in(auth, factory.user(confirmed=True, consent_withdrawn_at=utcnow(), language="en"))
    assert post(client, path, {"body": "No consent"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Comment.id))) == 1


# Reports and moderation


@pytest.fixture
def commented(build, discussed):
    exercise_id, question_id = discussed
    author = build.participant(display_name="Author")
    return exercise_id, question_id, build.comment(question_id, author, "Rude words"), author


def test_report_a_comment(app, client, auth, build, commented):
    exercise_id, question_id, comment_id, _author = commented
    report_url = url(exercise_id, f"/report/comment/{comment_id}")
    assert "/account/sign-in" in client.get(report_url).headers["Location"]
    sign_in(auth, build.participant())
    page = client.get(url(exercise_id, f"/questions/{question_id}"))
    assert report_url in page.text
    form = client.get(report_url)
    assert form.status_code == 200 and "Rude words" in form.text
    other = post(client, report_url, {"reason": "other", "details": ""})
    assert other.status_code == 422 and "Please say why you are reporting this." in other.text
    unknown = post(client, report_url, {"reason": "boring"})
    assert unknown.status_code == 422 and "Please choose a reason from the list." in unknown.text
    response = post(client, report_url, {"reason": "offensive", "details": "Insults"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment_id}")
    twice = post(client, report_url, {"reason": "spam"})
    assert twice.status_code == 422 and "already reported" in twice.text
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert (report.target_type, report.target_id, report.reason) == (
            "priority_comment", comment_id, "offensive")
        assert db.session.get(Comment, comment_id).open_report_count == 1


def test_report_a_submission(app, client, auth, build, processing):
    exercise_id, (s1, _s2, _s3) = processing
    question_id = build.question(exercise_id, submission_ids=[s1])
    sign_in(auth, build.participant())
    response = post(client, url(exercise_id, f"/report/submission/{s1}"),
                    {"reason": "health_data"})
    assert response.status_code == 302
    assert response.headers["Location"] == url(exercise_id, f"/questions/{question_id}"
                                                             "#submissions")
    with app.app_context():
        assert db.session.scalar(select(Report.target_type)) == "priority_submission"


def test_reports_that_are_not_allowed(client, auth, build, commented):
    exercise_id, _question_id, comment_id, author = commented
    sign_in(auth, author)
    assert client.get(url(exercise_id, f"/report/comment/{comment_id}")).status_code == 403
    assert client.get(url(exercise_id, "/report/poll/1")).status_code == 404
    assert client.get(url(exercise_id, "/report/comment/999")).status_code == 404
    other_exercise = build.exercise(stage=Stage.INTERIM_RANKING)
    assert client.get(url(other_exercise, f"/report/comment/{comment_id}")).status_code == 404


def test_hide_and_restore_a_comment(app, client, auth, build, commented):
    exercise_id, question_id, comment_id, _author = commented
    moderate_url = url(exercise_id, f"/moderate/comment/{comment_id}")
    sign_in(auth, build.participant())
    assert client.get(moderate_url).status_code == 403
    auth.sign_out()
    sign_in(auth, build.moderator_id)
    assert "Hide this text" in client.get(moderate_url).text
    bad = post(client, moderate_url, {"decision": "hide", "reason": "ugly"})
    assert bad.status_code == 422
    response = post(client, moderate_url, {"decision": "hide", "reason": "offensive",
                                           "note": "Insults a nurse"})
    assert response.status_code == 302
    auth.sign_out()
    page = client.get(url(exercise_id, f"/questions/{question_id}"))
    assert "Rude words" not in page.text
    assert "This comment was hidden by the moderators." in page.text
    assert "Offensive or abusive" in page.text
    sign_in(auth, build.moderator_id)
    assert "Make this text visible again" in client.get(moderate_url).text
    assert post(client, moderate_url, {"decision": "restore", "reason": "other"}).status_code == 302
    assert post(client, moderate_url, {"decision": "restore", "reason": "other"}
                ).status_code == 422  # not hidden any more
    with app.app_context():
        assert db.session.get(Comment, comment_id).is_visible


def test_hide_a_submission(app, client, auth, build, processing):
    exercise_id, (s1, _s2, _s3) = processing
    question_id = build.question(exercise_id, submission_ids=[s1])
    sign_in(auth, build.moderator_id)
    response = post(client, url(exercise_id, f"/moderate/submission/{s1}"),
                    {"decision": "hide", "reason": "health_data"})
    assert response.status_code == 302
    assert "hidden" in client.get(url(exercise_id, "/submissions?show=hidden")).text
    auth.sign_out()
    page = client.get(url(exercise_id, f"/questions/{question_id}"))
    assert "Raw question 0" not in page.text and "Hidden by the moderators." in page.text


def test_a_group_label_added_later_shows_in_submissions(client, auth, build, processing):
    exercise_id, _ = processing
    build.submission(exercise_id, group=PROFESSIONALS, text="From a nurse")
    sign_in(auth, build.moderator_id)
    page = client.get(url(exercise_id, "/submissions"))
    assert "From a nurse" in page.text and "Health professionals" in page.text
