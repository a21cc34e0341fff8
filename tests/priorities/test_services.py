"""Write operations: what they change, and what they refuse (changing nothing)."""

from fractions import Fraction

import pytest
from sqlalchemy import func, select

from engage.accounts.models import Role, User
from engage.core.errors import DomainError
from engage.core.moderated import Report
from engage.extensions import db
from engage.priorities import services
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    QuestionStatus,
    Ranking,
    Stage,
    Submission,
)
from engage.priorities.results import engagement, interim_tally
from engage.priorities.tally import Ballot, points_by_group, tally
from tests.factories.priorities import PATIENTS, PROFESSIONALS


@pytest.fixture
def ctx(app):
    with app.test_request_context("/en/"):
        yield
        db.session.rollback()


def user(user_id) -> User:
    return db.session.get(User, user_id)


def exercise_of(exercise_id) -> Exercise:
    return db.session.get(Exercise, exercise_id)


def refused(message, call, *args, **kwargs):
    with pytest.raises(DomainError, match=message):
        call(*args, **kwargs)


# Exercises, groups, stages


def test_create_exercise_with_the_default_groups(app, build, ctx):
    moderator, participant = user(build.moderator_id), user(build.participant())
    exercise = services.create_exercise(
        moderator, texts={"fr": {"title": " Titre ", "description": "", "scope": ""},
                          "en": {"title": "", "description": "", "scope": ""}})
    assert exercise.stage == Stage.DRAFT and exercise.workshop_size == 25
    assert [(t.language, t.title) for t in exercise.translations] == [("fr", "Titre")]
    assert [(g.label("fr"), g.label("en")) for g in exercise.groups] == [
        ("Patients et proches aidants", "Patients and carers"),
        ("Professionnels de santé", "Health professionals")]
    refused("at least one language", services.create_exercise, moderator,
            texts={"fr": {"title": " ", "description": "x", "scope": ""}})
    refused("Only moderators", services.create_exercise, participant,
            texts={"fr": {"title": "T", "description": "", "scope": ""}})


def test_update_exercise_removes_an_emptied_language_and_fixes_the_workshop_size(build, ctx):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    moderator = user(build.moderator_id)
    exercise = exercise_of(exercise_id)
    texts = {"fr": {"title": "Nouveau", "description": "", "scope": ""},
             "en": {"title": "", "description": "", "scope": ""}}
    services.update_exercise(moderator, exercise, texts=texts, workshop_size=30)
    assert [t.language for t in exercise.translations] == ["fr"]
    assert exercise.workshop_size == 30
    exercise.stage = Stage.FINAL_WORKSHOP
    refused("was fixed", services.update_exercise, moderator, exercise, texts=texts,
            workshop_size=12)
    assert exercise.workshop_size == 30


def test_add_group(build, ctx):
    exercise_id = build.exercise(stage=Stage.GATHERING)
    moderator, exercise = user(build.moderator_id), exercise_of(exercise_id)
    group = services.add_group(moderator, exercise, {"fr": "Chercheurs", "en": "Researchers"})
    assert group.position == 3 and group.label("en") == "Researchers"
    refused("already has a group", services.add_group, moderator, exercise,
            {"fr": "", "en": "patients and carers"})
    exercise.stage = Stage.INTERIM_RANKING
    refused("before the interim ranking", services.add_group, moderator, exercise,
            {"fr": "Enseignants", "en": ""})
    assert len(exercise.groups) == 3


def test_stage_moves_check_what_the_next_stage_needs(build, ctx):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    moderator, exercise = user(build.moderator_id), exercise_of(exercise_id)
    refused("at least one indicative question", services.move_stage, moderator, exercise,
            Stage.INTERIM_RANKING)
    build.question(exercise_id, status=QuestionStatus.OUT_OF_SCOPE)
    refused("at least one indicative question", services.move_stage, moderator, exercise,
            Stage.INTERIM_RANKING)
    q1, q2, q3 = build.questions(exercise_id, 3)
    services.move_stage(moderator, exercise, Stage.INTERIM_RANKING)
    db.session.commit()  # the builder writes with its own session
    refused("Nobody has ranked", services.move_stage, moderator, exercise, Stage.FINAL_WORKSHOP)
    build.ranking(exercise_id, build.participant(), [q2, q1])
    refused("cannot be skipped", services.move_stage, moderator, exercise, Stage.PUBLISHED)
    refused("cannot go back", services.move_stage, moderator, exercise, Stage.GATHERING)
    refused("Only moderators", services.move_stage, user(build.participant()), exercise,
            Stage.FINAL_WORKSHOP)
    services.move_stage(moderator, exercise, Stage.FINAL_WORKSHOP)
    # The interim ranking is frozen: the workshop shortlist no longer changes.
    ranks = {q.id: q.interim_rank for q in db.session.scalars(select(IndicativeQuestion))}
    assert (ranks[q2], ranks[q1], ranks[q3]) == (1, 2, None)
    assert [q.id for q in services.shortlist(exercise)] == [q2, q1]
    refused("Record the order", services.move_stage, moderator, exercise, Stage.PUBLISHED)
    services.record_workshop_order(moderator, exercise, {q1: 1, q2: 2})
    services.move_stage(moderator, exercise, Stage.PUBLISHED)
    assert exercise.published_at is not None
    assert [c.to_stage for c in exercise.stage_changes] == [
        Stage.INTERIM_RANKING, Stage.FINAL_WORKSHOP, Stage.PUBLISHED]
    assert all(c.changed_by_id == moderator.id for c in exercise.stage_changes)


# Gathering


def test_submit_a_question(build, ctx):
    exercise_id = build.exercise(stage=Stage.GATHERING)
    author, exercise = user(build.participant()), exercise_of(exercise_id)
    groups = build.groups(exercise_id)
    submission = services.submit_question(author, exercise, group_id=groups[PROFESSIONALS],
                                          text="  What helps?  ", language="en")
    assert (submission.text, submission.group_id, submission.author_id) == (
        "What helps?", groups[PROFESSIONALS], author.id)
    refused("already sent this question", services.submit_question, author, exercise,
            group_id=groups[PATIENTS], text="what   HELPS?", language="en")
    refused("choose your group", services.submit_question, author, exercise, group_id=999,
            text="Another one", language="en")
    refused("write your question", services.submit_question, author, exercise,
            group_id=groups[PATIENTS], text="  ", language="en")
    exercise.stage = Stage.PROCESSING
    refused("not being gathered", services.submit_question, author, exercise,
            group_id=groups[PATIENTS], text="Late", language="en")
    assert db.session.scalar(select(func.count(Submission.id))) == 1


def test_the_unique_constraint_catches_a_racing_double_submission(build, ctx):
    exercise_id = build.exercise(stage=Stage.GATHERING)
    author_id = build.participant()
    build.submission(exercise_id, author_id, text="Same words")
    # The check before inserting cannot see a row another request is adding: the database
    # constraint still refuses it, as a DomainError rather than a crash.
    from engage.priorities.models import text_fingerprint
    from engage.priorities.services._shared import _add_once

    duplicate = Submission(exercise_id=exercise_id, group_id=build.groups(exercise_id)[PATIENTS],
                           author_id=author_id, text="Same words",
                           text_hash=text_fingerprint("Same words"), language="en")
    refused("already sent", _add_once, duplicate, "You have already sent this question.")


@pytest.mark.parametrize("kind", ["unconfirmed", "blocked"])
def test_accounts_that_cannot_write_cannot_submit(build, factory, ctx, kind):
    from engage.core.db import utcnow

    exercise_id = build.exercise(stage=Stage.GATHERING)
    fields = {"confirmed": False} if kind == "unconfirmed" else {"blocked_at": utcnow()}
    author = user(factory.user(**fields))
    refused("confirm your email", services.submit_question, author, exercise_of(exercise_id),
            group_id=build.groups(exercise_id)[PATIENTS], text="Q", language="en")


# Processing


def texts(text_en="Question?", text_fr="", fr=None, en=None):
    return {"fr": {"text": text_fr, **(fr or {})}, "en": {"text": text_en, **(en or {})}}


def test_create_and_update_an_indicative_question(build, ctx):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    s1, s2 = build.submission(exercise_id), build.submission(exercise_id)
    moderator, exercise = user(build.moderator_id), exercise_of(exercise_id)
    question = services.create_question(
        moderator, exercise, texts=texts("How?", "Comment ?", en={"population": "Children"}),
        evidence=["Ref 1", " ", "Ref 2"], submission_ids=[s2, s1])
    assert question.number == 1
    assert question.translated("en").population == "Children"
    assert [e.reference for e in question.evidence] == ["Ref 1", "Ref 2"]
    assert [s.id for s in question.submissions] == [s1, s2]
    second = services.create_question(moderator, exercise, texts=texts("Why?"))
    assert second.number == 2

    services.update_question(
        moderator, question, texts=texts("How?", "", en={"reason": "Not cancer research"}),
        status=QuestionStatus.OUT_OF_SCOPE, evidence=["Ref 2", "Ref 3", "Ref 1"])
    db.session.refresh(question)
    assert question.status == QuestionStatus.OUT_OF_SCOPE
    assert question.translated("en").reason == "Not cancer research"
    assert [t.language for t in question.translations] == ["en"]  # French emptied
    assert [(e.position, e.reference) for e in question.evidence] == [
        (1, "Ref 2"), (2, "Ref 3"), (3, "Ref 1")]
    services.update_question(moderator, question, texts=texts("How?", en={"reason": "x"}),
                             status=QuestionStatus.KEPT)
    assert question.translated("en").reason == ""  # kept: no reason to be set aside


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"texts": texts("")}, "at least one language"),
    ({"texts": texts("Q", "", fr={"explanation": "Sans question"})}, "question itself"),
    ({"texts": texts("Q"), "evidence": ["1", "2", "3", "4"]}, "at most 3"),
    ({"texts": texts("Q"), "status": QuestionStatus.OUT_OF_SCOPE}, "out of scope"),
    ({"texts": texts("Q"), "status": QuestionStatus.ALREADY_ANSWERED}, "reference"),
    ({"texts": texts("Q"), "submission_ids": [999]}, "do not exist"),
])
def test_invalid_questions_are_refused(build, ctx, kwargs, message):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    refused(message, services.create_question, user(build.moderator_id),
            exercise_of(exercise_id), **kwargs)
    assert db.session.scalar(select(func.count(IndicativeQuestion.id))) == 0


def test_questions_are_written_only_while_processing(build, ctx):
    exercise_id = build.exercise(stage=Stage.GATHERING)
    refused("while the questions are processed", services.create_question,
            user(build.moderator_id), exercise_of(exercise_id), texts=texts("Q"))
    build.stage(exercise_id, Stage.PROCESSING)
    refused("while the questions are processed", services.create_question,
            user(build.participant()), exercise_of(exercise_id), texts=texts("Q"))


def test_link_and_unlink_submissions(build, ctx):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    other_exercise = build.exercise(stage=Stage.PROCESSING)
    s1, s2 = build.submission(exercise_id), build.submission(exercise_id)
    foreign = build.submission(other_exercise)
    question = db.session.get(IndicativeQuestion, build.question(exercise_id))
    moderator = user(build.moderator_id)
    assert services.link_submissions(moderator, question, [s1, s2]) == 2
    assert services.link_submissions(moderator, question, [s1]) == 0
    refused("do not exist", services.link_submissions, moderator, question, [foreign])
    refused("at least one", services.link_submissions, moderator, question, [])
    services.unlink_submission(moderator, question, db.session.get(Submission, s1))
    assert [s.id for s in question.submissions] == [s2]
    refused("not linked", services.unlink_submission, moderator, question,
            db.session.get(Submission, s1))
    assert db.session.get(Submission, s1) is not None  # nothing is deleted


# Discussion, moderation, reports


def test_comments_moderation_and_reports(build, ctx):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    question = db.session.get(IndicativeQuestion, build.question(exercise_id))
    author, reader = user(build.participant()), user(build.participant())
    comment = services.add_comment(author, question, " Important for us. ")
    assert comment.body == "Important for us." and comment.is_visible
    refused("already posted", services.add_comment, author, question, "important  for us.")
    refused("cannot report", services.report, author, comment, "spam")
    services.report(reader, comment, "health_data")
    refused("already reported", services.report, reader, comment, "spam")
    assert comment.open_report_count == 1
    assert db.session.scalar(select(Report.target_type)) == "priority_comment"

    moderator = user(build.moderator_id)
    refused("choose a reason", services.moderate, moderator, comment, "hide", "rude")
    refused("Only moderators", services.moderate, reader, comment, "hide", "spam")
    services.moderate(moderator, comment, "hide", "health_data", "Names a child")
    assert (comment.moderation_status, comment.hidden_reason) == ("hidden", "health_data")
    refused("cannot report", services.report, reader, comment, "spam")
    services.moderate(moderator, comment, "restore")
    assert comment.is_visible
    refused("choose what to do", services.moderate, moderator, comment, "delete")

    db.session.get(Exercise, exercise_id).stage = Stage.PUBLISHED
    refused("discussion is closed", services.add_comment, author, question, "Too late")


def test_submissions_can_be_reported_and_hidden(build, ctx):
    exercise_id = build.exercise(stage=Stage.PROCESSING)
    submission = db.session.get(Submission, build.submission(exercise_id, build.participant()))
    services.report(user(build.participant()), submission, "offensive")
    services.moderate(user(build.moderator_id), submission, "hide", "offensive")
    assert submission.moderation_status == "hidden"
    assert db.session.scalar(select(Report.target_type)) == "priority_submission"


# Interim ranking


@pytest.fixture
def ranking_setup(build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    kept = build.questions(exercise_id, 12)
    aside = build.question(exercise_id, status=QuestionStatus.ALREADY_ANSWERED)
    other = build.question(build.exercise(stage=Stage.INTERIM_RANKING))
    return exercise_id, kept, aside, other


def test_save_and_replace_a_ranking(build, ctx, ranking_setup):
    exercise_id, kept, _aside, _other = ranking_setup
    ranker, exercise = user(build.participant()), exercise_of(exercise_id)
    groups = build.groups(exercise_id)
    ranking = services.save_ranking(ranker, exercise, group_id=groups[PATIENTS],
                                    question_ids=kept[:3])
    assert ranking.question_ids == kept[:3]
    again = services.save_ranking(ranker, exercise, group_id=groups[PROFESSIONALS],
                                  question_ids=[kept[2], kept[0], kept[5]])
    assert again.id == ranking.id  # one ranking per account
    assert again.question_ids == [kept[2], kept[0], kept[5]]
    assert again.group_id == groups[PROFESSIONALS]
    assert [e.position for e in again.entries] == [1, 2, 3]
    assert services.save_ranking(ranker, exercise, group_id=groups[PATIENTS],
                                 question_ids=[]) is None
    assert db.session.scalar(select(func.count(Ranking.id))) == 0


@pytest.mark.parametrize(("choice", "message"), [
    ("eleven", "up to 10 questions"),
    ("twice", "only once"),
    ("unknown", "does not exist"),
    ("other_exercise", "does not exist"),
    ("set_aside", "set aside"),
    ("bad_group", "choose your group"),
])
def test_bad_rankings_are_refused_and_the_previous_one_kept(build, ctx, ranking_setup, choice,
                                                             message):
    exercise_id, kept, aside, other = ranking_setup
    ranker, exercise = user(build.participant()), exercise_of(exercise_id)
    group = build.groups(exercise_id)[PATIENTS]
    services.save_ranking(ranker, exercise, group_id=group, question_ids=kept[:2])
    bad = {
        "eleven": kept[:11],
        "twice": [kept[0], kept[1], kept[0]],
        "unknown": [kept[0], 99999],
        "other_exercise": [other],
        "set_aside": [kept[0], aside],
        "bad_group": [kept[3]],
    }[choice]
    refused(message, services.save_ranking, ranker, exercise,
            group_id=999 if choice == "bad_group" else group, question_ids=bad)
    db.session.expire_all()
    assert services.ranking_of(ranker, exercise).question_ids == kept[:2]


@pytest.mark.parametrize(("stage", "message"), [
    (Stage.PROCESSING, "has not started"),
    (Stage.FINAL_WORKSHOP, "closed"),
    (Stage.PUBLISHED, "closed"),
])
def test_rankings_outside_the_ranking_stage_are_refused(build, ctx, ranking_setup, stage,
                                                        message):
    exercise_id, kept, _aside, _other = ranking_setup
    ranker_id = build.participant()
    build.ranking(exercise_id, ranker_id, kept[:2])
    build.stage(exercise_id, stage)
    refused(message, services.save_ranking, user(ranker_id), exercise_of(exercise_id),
            group_id=build.groups(exercise_id)[PATIENTS], question_ids=kept[3:5])
    assert build.ranking_of(exercise_id, ranker_id) == kept[:2]


def test_the_database_tally_matches_the_hand_computed_example(build, ctx):
    """The tally test's ballots, stored as rankings: SQL sums give the same scores."""
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    a, b, c, d = build.questions(exercise_id, 4)
    ballots = [(PATIENTS, [a, b, c]), (PATIENTS, [b, a]), (PATIENTS, [a, d]),
               (PROFESSIONALS, [c, d, b])]
    for group, order in ballots:
        build.ranking(exercise_id, build.participant(), order, group=group)
    result = interim_tally(exercise_of(exercise_id))
    assert [s.question for s in result.scores] == [b, c, d, a]
    assert result.score_of(a).score == Fraction(29, 130)
    assert result.score_of(b).score == Fraction(1033, 3510)
    expected = tally(points_by_group(Ballot(g, q) for g, q in ballots))
    assert [(s.question, s.score) for s in result.scores] == [
        (s.question, s.score) for s in expected.scores]
    summary = engagement(exercise_of(exercise_id))
    groups = build.groups(exercise_id)
    assert summary.rankers == {groups[PATIENTS]: 3, groups[PROFESSIONALS]: 1}


# Final workshop


@pytest.fixture
def workshop(build):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING, workshop_size=10)
    questions = build.questions(exercise_id, 12)
    build.ranking(exercise_id, build.participant(), questions[:10])
    build.ranking(exercise_id, build.participant(), questions[2:12])
    return exercise_id, questions


def test_record_the_workshop_order(build, ctx, workshop):
    exercise_id, _questions = workshop
    moderator, exercise = user(build.moderator_id), exercise_of(exercise_id)
    services.move_stage(moderator, exercise, Stage.FINAL_WORKSHOP)
    shortlisted = [q.id for q in services.shortlist(exercise)]
    assert len(shortlisted) == 10  # the workshop size, of 12 questions with points
    places = {qid: 10 - i for i, qid in enumerate(shortlisted)}
    services.record_workshop_order(moderator, exercise, places)
    # Recorded again, the other way round: places are freed before being given again.
    services.record_workshop_order(moderator, exercise, {q: 11 - p for q, p in places.items()})
    assert [q.final_rank for q in services.shortlist(exercise)] == list(range(1, 11))
    assert services.workshop_order_recorded(exercise)


@pytest.mark.parametrize(("change", "message"), [
    ("duplicate", "more than one question"),
    ("missing", "every question"),
    ("out_of_range", "from 1 to 10"),
    ("not_shortlisted", "shortlisted"),
])
def test_bad_workshop_orders_are_refused(build, ctx, workshop, change, message):
    exercise_id, questions = workshop
    moderator, exercise = user(build.moderator_id), exercise_of(exercise_id)
    services.move_stage(moderator, exercise, Stage.FINAL_WORKSHOP)
    shortlisted = [q.id for q in services.shortlist(exercise)]
    places = {qid: i for i, qid in enumerate(shortlisted, start=1)}
    outsider = next(q for q in questions if q not in shortlisted)
    if change == "duplicate":
        places[shortlisted[0]] = 2
    elif change == "missing":
        del places[shortlisted[0]]
    elif change == "out_of_range":
        places[shortlisted[0]] = 11
    else:
        places[outsider] = 3
    refused(message, services.record_workshop_order, moderator, exercise, places)
    assert all(q.final_rank is None for q in services.shortlist(exercise))


def test_the_workshop_order_is_recorded_only_at_the_workshop(build, ctx, workshop):
    exercise_id, questions = workshop
    refused("final workshop stage", services.record_workshop_order, user(build.moderator_id),
            exercise_of(exercise_id), {questions[0]: 1})


def test_a_moderator_account_is_needed(build, factory, ctx):
    exercise_id = build.exercise(stage=Stage.FINAL_WORKSHOP)
    representative = user(factory.user(role=Role.REPRESENTATIVE))
    refused("final workshop stage", services.record_workshop_order, representative,
            exercise_of(exercise_id), {})


def test_comment_counts_ignore_hidden_comments(build, ctx):
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
    question_id = build.question(exercise_id)
    build.comment(question_id, build.participant(), "Visible")
    hidden = db.session.get(Comment, build.comment(question_id, build.participant(), "Hidden"))
    hidden.hide(user(build.moderator_id), "spam")
    db.session.flush()
    assert engagement(exercise_of(exercise_id)).comments == 1
