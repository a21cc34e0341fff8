"""Research priorities: exercises, submissions, indicative questions, rankings, comments
(`PrioritiesBuilder`, the `build` fixture: each call commits and returns an id)."""

import pytest

from engage.accounts.models import Role, User
from engage.core.db import utcnow
from engage.extensions import db
from engage.priorities import services
from engage.priorities.models import (
    Comment,
    Exercise,
    GroupCode,
    IndicativeQuestion,
    QuestionStatus,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    Stage,
    Submission,
    text_fingerprint,
)
from tests.factories import detached

PATIENTS = GroupCode.PATIENTS_CARERS
PROFESSIONALS = GroupCode.HEALTH_PROFESSIONALS


class PrioritiesBuilder:
    def __init__(self, app, factory):
        self.app = app
        self.factory = factory
        self._moderator_id = None

    @property
    def moderator_id(self) -> int:
        if self._moderator_id is None:
            self._moderator_id = self.factory.user(role=Role.MODERATOR, language="en",
                                                   email="builder-moderator@example.org")
        return self._moderator_id

    def exercise(self, stage=Stage.GATHERING, title_en="Childhood cancers: research priorities",
                 title_fr="Cancers de l’enfant : priorités de recherche", workshop_size=25,
                 **fields) -> int:
        with self.app.app_context():
            moderator = db.session.get(User, self.moderator_id)
            texts = {"fr": {"title": title_fr, "description": fields.pop("description_fr", ""),
                            "scope": ""},
                     "en": {"title": title_en, "description": fields.pop("description_en", ""),
                            "scope": ""}}
            exercise = services.create_exercise(moderator, texts=texts,
                                                workshop_size=workshop_size, **fields)
            exercise.stage = stage
            db.session.commit()
            return exercise.id

    def stage(self, exercise_id: int, stage: Stage) -> None:
        with self.app.app_context():
            db.session.get(Exercise, exercise_id).stage = stage
            db.session.commit()

    def groups(self, exercise_id: int) -> dict:
        with self.app.app_context():
            return {g.code or g.label("en"): g.id
                    for g in db.session.get(Exercise, exercise_id).groups}

    def submission(self, exercise_id, author_id=None, group=PATIENTS, text=None,
                   language="en") -> int:
        groups = self.groups(exercise_id)
        with self.app.app_context():
            self.factory.counter += 1
            text = text or f"What helps children after treatment? ({self.factory.counter})"
            submission = Submission(exercise_id=exercise_id, group_id=groups[group],
                                    author_id=author_id, text=text,
                                    text_hash=text_fingerprint(text), language=language)
            db.session.add(submission)
            db.session.commit()
            return submission.id

    def question(self, exercise_id, text_en=None, text_fr=None, status=QuestionStatus.KEPT,
                 submission_ids=(), **translation) -> int:
        with self.app.app_context():
            number = (db.session.scalar(
                db.select(db.func.max(IndicativeQuestion.number))
                .where(IndicativeQuestion.exercise_id == exercise_id)) or 0) + 1
            rows = []
            if text_fr is not False:
                rows.append(QuestionTranslation(language="fr",
                                                text=text_fr or f"Question {number} en français",
                                                **translation.pop("fr", {})))
            if text_en is not False:
                rows.append(QuestionTranslation(language="en",
                                                text=text_en or f"Question {number} in English",
                                                **translation.pop("en", {})))
            question = IndicativeQuestion(
                exercise_id=exercise_id, number=number, status=status, translations=rows,
                answered_reference=translation.pop("answered_reference", ""),
            )
            if submission_ids:
                question.submissions = list(db.session.scalars(
                    db.select(Submission).where(Submission.id.in_(submission_ids))))
            db.session.add(question)
            db.session.commit()
            return question.id

    def questions(self, exercise_id, count, **fields) -> list[int]:
        return [self.question(exercise_id, **fields) for _ in range(count)]

    def ranking(self, exercise_id, user_id, question_ids, group=PATIENTS) -> int:
        groups = self.groups(exercise_id)
        with self.app.app_context():
            ranking = Ranking(exercise_id=exercise_id, user_id=user_id, group_id=groups[group],
                              entries=[RankingEntry(question_id=q, position=p)
                                       for p, q in enumerate(question_ids, start=1)])
            db.session.add(ranking)
            db.session.commit()
            return ranking.id

    def comment(self, question_id, author_id, body="I agree.") -> int:
        with self.app.app_context():
            comment = Comment(question_id=question_id, author_id=author_id, body=body,
                              body_hash=text_fingerprint(body))
            db.session.add(comment)
            db.session.commit()
            return comment.id

    def participant(self, **fields) -> int:
        fields.setdefault("language", "en")
        return self.factory.user(**fields)

    def ranking_of(self, exercise_id, user_id) -> list[int] | None:
        with self.app.app_context():
            ranking = db.session.scalar(db.select(Ranking).where(
                Ranking.exercise_id == exercise_id, Ranking.user_id == user_id))
            return ranking.question_ids if ranking else None

    def get(self, model, item_id):
        """A detached copy of a row, its simple columns loaded."""
        return detached(self.app, model, item_id)


@pytest.fixture
def build(app, factory):
    return PrioritiesBuilder(app, factory)


def blocked_user(factory, **fields):
    return factory.user(blocked_at=utcnow(), **fields)
