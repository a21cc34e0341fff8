"""Research priorities' rows of the authorization matrix (tests/security/matrix.py), and the
objects they need in the matrix's world.

`register()` adds them once; tests/priorities/conftest.py calls it, so that a run of the
whole suite (which collects tests/priorities before tests/security) walks these routes.
"""

from engage.accounts.models import User
from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities import services
from engage.priorities.models import (
    Comment,
    IndicativeQuestion,
    QuestionStatus,
    QuestionTranslation,
    Stage,
    Submission,
    text_fingerprint,
)
from tests.security.matrix import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    ROLES,
    SIGN_IN,
    Route,
    everyone,
    moderators,
    routes,
)
from tests.security.world import WORLD_BUILDERS


def writers():
    """Signed in and able to write: every account but the blocked one."""
    return {**dict.fromkeys(ROLES, OK), "visitor": SIGN_IN, "blocked": FORBIDDEN}


def signed_in():
    return {**dict.fromkeys(ROLES, OK), "visitor": SIGN_IN}


def moderators_only_see_it():
    """A draft exercise: not found for anyone but the moderators."""
    return {**dict.fromkeys(ROLES, NOT_FOUND), "moderator": OK, "officer": OK, "admin": OK}


EXERCISE = {"exercise_id": "priorities_ranking_id"}
QUESTION = {**EXERCISE, "question_id": "priorities_question_id"}
PROCESSING = {"exercise_id": "priorities_processing_id"}
PROCESSING_QUESTION = {**PROCESSING, "question_id": "priorities_processing_question_id"}
COMMENT = {**EXERCISE, "kind": "priorities_comment_kind", "item_id": "priorities_comment_id"}
TITLES = {"title_fr": "Titre", "title_en": "Title", "workshop_size": "25"}

PRIORITY_ROUTES = [
    Route("priorities.index", {"GET": everyone()}),
    Route("priorities.new_exercise", {"GET": moderators(), "POST": moderators()}, data=TITLES),
    Route("priorities.edit_exercise", {"GET": moderators(), "POST": moderators()},
          url_args=EXERCISE, data=TITLES),
    Route("priorities.exercise", {"GET": everyone()}, url_args=EXERCISE),
    Route("priorities.exercise", {"GET": moderators_only_see_it()},
          url_args={"exercise_id": "priorities_draft_id"}),
    Route("priorities.submit", {"POST": writers()},
          url_args={"exercise_id": "priorities_gathering_id"}, data={"text": "A question"}),
    Route("priorities.manage", {"GET": moderators()}, url_args=EXERCISE),
    Route("priorities.move_stage", {"POST": moderators()},
          url_args={"exercise_id": "priorities_gathering_id"}, data={"stage": "processing"}),
    Route("priorities.add_group", {"POST": moderators()},
          url_args={"exercise_id": "priorities_gathering_id"},
          data={"label_fr": "Chercheurs", "label_en": "Researchers"}),
    Route("priorities.submissions", {"GET": moderators()}, url_args=PROCESSING),
    Route("priorities.group_submissions", {"POST": moderators()}, url_args=PROCESSING,
          data={"question": "new"}),
    Route("priorities.questions", {"GET": everyone()}, url_args=EXERCISE),
    Route("priorities.new_question", {"GET": moderators(), "POST": moderators()},
          url_args=PROCESSING, data={"text_en": "A question?", "status": "kept"}),
    Route("priorities.question", {"GET": everyone()}, url_args=QUESTION),
    Route("priorities.edit_question", {"GET": moderators(), "POST": moderators()},
          url_args=PROCESSING_QUESTION, data={"text_en": "Edited?", "status": "kept"}),
    Route("priorities.unlink_submission", {"POST": moderators()},
          url_args={**PROCESSING_QUESTION, "submission_id": "priorities_submission_id"}),
    Route("priorities.comment", {"POST": writers()}, url_args=QUESTION,
          data={"body": "A comment"}),
    Route("priorities.report", {"GET": writers(), "POST": writers()}, url_args=COMMENT,
          data={"reason": "spam"}),
    Route("priorities.moderate", {"GET": moderators(), "POST": moderators()}, url_args=COMMENT,
          data={"decision": "hide", "reason": "spam"}),
    Route("priorities.ranking", {"GET": signed_in()}, url_args=EXERCISE),
    Route("priorities.save_ranking", {"POST": writers()}, url_args=EXERCISE,
          data={"action": "save"}),
    Route("priorities.workshop", {"GET": moderators(), "POST": moderators()},
          url_args={"exercise_id": "priorities_workshop_id"}),
    Route("priorities.results", {"GET": everyone()},
          url_args={"exercise_id": "priorities_published_id"}),
    Route("priorities.export_csv", {"GET": everyone()},
          url_args={"exercise_id": "priorities_published_id", "name": "priorities_csv"}),
]


def _exercise(moderator, stage):
    exercise = services.create_exercise(moderator, texts={
        "fr": {"title": f"Exercice {stage}", "description": "", "scope": ""},
        "en": {"title": f"Exercise {stage}", "description": "", "scope": ""}})
    exercise.stage = stage
    db.session.flush()
    return exercise


def _question(exercise, number, author, **fields):
    submission = Submission(exercise_id=exercise.id, group_id=exercise.groups[0].id,
                            author_id=author.id, text=f"Raw question {number}",
                            text_hash=text_fingerprint(f"Raw question {number}"), language="en")
    question = IndicativeQuestion(
        exercise_id=exercise.id, number=number, submissions=[submission],
        translations=[QuestionTranslation(language="en", text=f"Question {number}?")], **fields)
    db.session.add(question)
    db.session.flush()
    return question, submission


def build_priorities_world(app, world):
    with app.test_request_context("/en/"):
        moderator = db.session.get(User, world["user_ids"]["moderator"])
        author = User(email="priorities-author@matrix.example", display_name="Author",
                      language="en", email_confirmed_at=utcnow(), privacy_consent_at=utcnow(),
                      password_hash="!")
        db.session.add(author)
        draft = _exercise(moderator, Stage.DRAFT)
        gathering = _exercise(moderator, Stage.GATHERING)
        processing = _exercise(moderator, Stage.PROCESSING)
        processing_question, processing_submission = _question(processing, 1, author)
        ranking = _exercise(moderator, Stage.INTERIM_RANKING)
        question, _submission = _question(ranking, 1, author)
        _question(ranking, 2, author, status=QuestionStatus.OUT_OF_SCOPE)
        comment = Comment(question_id=question.id, author_id=author.id, body="A comment",
                          body_hash=text_fingerprint("A comment"))
        db.session.add(comment)
        workshop = _exercise(moderator, Stage.FINAL_WORKSHOP)
        _question(workshop, 1, author, interim_rank=1, interim_score=1.0)
        published = _exercise(moderator, Stage.PUBLISHED)
        _question(published, 1, author, interim_rank=1, interim_score=1.0, final_rank=1)
        db.session.commit()
        world.update(
            priorities_draft_id=draft.id, priorities_gathering_id=gathering.id,
            priorities_gathering_group_id=gathering.groups[0].id,
            priorities_processing_id=processing.id,
            priorities_processing_question_id=processing_question.id,
            priorities_submission_id=processing_submission.id,
            priorities_ranking_id=ranking.id, priorities_question_id=question.id,
            priorities_comment_kind="comment", priorities_comment_id=comment.id,
            priorities_workshop_id=workshop.id, priorities_published_id=published.id,
            priorities_csv="questions",
        )


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*PRIORITY_ROUTES)
    WORLD_BUILDERS.append(build_priorities_world)
