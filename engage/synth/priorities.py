"""Two priority-setting exercises: one ranking now, one with its results published."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from engage.extensions import db
from engage.priorities.models import (
    DEFAULT_GROUPS,
    GROUP_FOR_PARTICIPANT_TYPE,
    Comment,
    EvidenceReference,
    Exercise,
    ExerciseTranslation,
    GroupTranslation,
    IndicativeQuestion,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    Stage,
    StageChange,
    StakeholderGroup,
    Submission,
    question_submissions,
    text_fingerprint,
)
from engage.synth import words
from engage.synth.base import LANGUAGES, BaseLoader


@dataclass
class Rows:
    """The rows of every table of the area, written once all exercises are made."""

    ids: Counter = field(default_factory=Counter)
    tables: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, model, row: dict, with_id: bool = True) -> int:
        name = getattr(model, "__tablename__", None) or model.name
        if with_id:
            self.ids[name] += 1
            row = {"id": self.ids[name], **row}
        self.tables[model].append(row)
        return row.get("id", 0)


@dataclass
class Plan:
    id: int
    stage: Stage
    started: datetime
    topic: int
    groups: dict = field(default_factory=dict)  # group code -> id
    questions: list = field(default_factory=list)  # (id, topic)
    kept: list = field(default_factory=list)


ORDER = (Exercise, ExerciseTranslation, StakeholderGroup, GroupTranslation, StageChange,
         IndicativeQuestion, QuestionTranslation, EvidenceReference, Submission,
         question_submissions, Comment, Ranking, RankingEntry)


class PrioritiesLoader(BaseLoader):
    def exercises(self) -> None:
        rows = Rows()
        for exercise_id, stage in ((1, Stage.INTERIM_RANKING), (2, Stage.PUBLISHED)):
            started = self.ago(200, 300) if stage == Stage.PUBLISHED else self.ago(60, 120)
            plan = Plan(exercise_id, stage, started, (exercise_id * 7) % len(words.TOPICS))
            self._exercise(rows, plan)
            self._questions(rows, plan)
            self._submissions(rows, plan)
            self._comments(rows, plan)
            self._rankings(rows, plan)
            rows.tables[Exercise][-1]["workshop_size"] = min(25, len(plan.kept))
            if stage == Stage.PUBLISHED:
                self._published_exercise = (exercise_id, min(25, len(plan.kept)))
        for model in ORDER:
            self.insert(model, rows.tables[model])
        self._freeze_published()

    def _group_of(self, plan: Plan, user_id: int) -> int:
        code = GROUP_FOR_PARTICIPANT_TYPE.get(self.user_types.get(user_id) or "")
        return plan.groups[code] if code else self.rng.choice(list(plan.groups.values()))

    def _exercise(self, rows: Rows, plan: Plan) -> None:
        published = plan.stage == Stage.PUBLISHED
        rows.add(Exercise, {
            "stage": plan.stage.value, "stage_changed_at": self.ago(1, 20),
            "gathering_ends_on": (plan.started + timedelta(days=40)).date(),
            "ranking_ends_on": (plan.started + timedelta(days=100)).date(),
            "workshop_on": (plan.started + timedelta(days=130)).date(), "workshop_size": 25,
            "published_at": self.ago(1, 20) if published else None,
            "created_by_id": self.moderators[0], "created_at": plan.started,
            "updated_at": self.now,
        })
        for language in LANGUAGES:
            subject = words.TOPICS[plan.topic][0 if language == "fr" else 1]
            title = {"fr": f"Priorités de la recherche sur {subject}",
                     "en": f"Research priorities on {subject}"}[language]
            description, _ = self.paragraph(words.CONTRIBUTION_SENTENCES, language,
                                            plan.topic, 3)
            rows.add(ExerciseTranslation, {
                "exercise_id": plan.id, "language": language, "title": title,
                "description": description, "scope": description})
        for position, (code, labels) in enumerate(DEFAULT_GROUPS.items(), start=1):
            group_id = rows.add(StakeholderGroup, {"exercise_id": plan.id, "position": position,
                                                   "code": code.value})
            plan.groups[code] = group_id
            for language in LANGUAGES:
                rows.add(GroupTranslation, {"group_id": group_id, "language": language,
                                            "label": labels[language]})
        stages = list(Stage)
        for step in range(1, stages.index(plan.stage) + 1):
            rows.add(StageChange, {
                "exercise_id": plan.id, "from_stage": stages[step - 1].value,
                "to_stage": stages[step].value,
                "changed_at": plan.started + timedelta(days=step * 25),
                "changed_by_id": self.moderators[0]})

    def _questions(self, rows: Rows, plan: Plan) -> None:
        for number in range(1, self.sizes.questions + 1):
            topic = (plan.topic + number) % len(words.TOPICS)
            draw = self.rng.random()
            status = "kept" if draw < 0.85 or number <= 3 else (
                "out_of_scope" if draw < 0.95 else "already_answered")
            question_id = rows.add(IndicativeQuestion, {
                "exercise_id": plan.id, "number": number, "status": status,
                "answered_reference": f"doi:10.1000/synth.{number}"
                if status == "already_answered" else "",
                "interim_rank": None, "interim_score": None, "final_rank": None,
                "created_by_id": self.moderators[0], "created_at": plan.started,
                "updated_at": plan.started,
            })
            plan.questions.append((question_id, topic))
            if status == "kept":
                plan.kept.append(question_id)
            form = self.rng.randrange(len(words.QUESTION_FORMS["fr"]))
            for language in LANGUAGES:
                wording, _ = self.sentence(words.QUESTION_FORMS, language, form, topic)
                explanation, _ = self.paragraph(words.CONTRIBUTION_SENTENCES, language, topic, 2)
                rows.add(QuestionTranslation, {
                    "question_id": question_id, "language": language, "text": wording,
                    "explanation": explanation,
                    "reason": {"fr": "Hors du champ de l’exercice.",
                               "en": "Outside the scope of the exercise."}[language]
                    if status == "out_of_scope" else "",
                    "population": "", "intervention": "", "comparison": "", "outcome": "",
                })
            for position in range(1, self.rng.choice([1, 1, 2, 3]) + 1):
                rows.add(EvidenceReference, {
                    "question_id": question_id, "position": position,
                    "reference": f"https://doi.org/10.1000/synth.{question_id}.{position}"})

    def _submissions(self, rows: Rows, plan: Plan) -> None:
        by_topic = defaultdict(list)
        for question_id, topic in plan.questions:
            by_topic[topic].append(question_id)
        seen = set()
        for _ in range(self.sizes.submissions):
            author = self.rng.randrange(1, self.sizes.users + 1)
            language = self.user_language[author]
            subject = self.rng.randrange(len(words.TOPICS))
            wording, _ = self.sentence(words.QUESTION_FORMS, language, self.rng.randrange(
                len(words.QUESTION_FORMS[language])), subject)
            fingerprint = text_fingerprint(wording)
            if (author, fingerprint) in seen:  # the same words twice: one submission
                continue
            seen.add((author, fingerprint))
            created = self.between(plan.started, plan.started + timedelta(days=40))
            draw = self.rng.random()
            submission_id = rows.add(Submission, {
                "exercise_id": plan.id, "group_id": self._group_of(plan, author),
                "author_id": author, "text": wording, "text_hash": fingerprint,
                "language": language,
                "moderation_status": "hidden" if draw > 0.99 else "published",
                "hidden_reason": "off_topic" if draw > 0.99 else None,
                "moderation_note": None, "moderated_at": None, "moderated_by_id": None,
                "open_report_count": 1 if 0.98 < draw <= 0.99 else 0,
                "created_at": created, "updated_at": created,
            })
            candidates = by_topic.get(subject) or [q for q, _ in plan.questions]
            if self.rng.random() < 0.8:
                rows.add(question_submissions, {"question_id": self.rng.choice(candidates),
                                                "submission_id": submission_id}, with_id=False)

    def _comments(self, rows: Rows, plan: Plan) -> None:
        seen = set()
        for _ in range(self.sizes.comments):
            author = self.rng.randrange(1, self.sizes.users + 1)
            question_id = self.rng.choice(plan.kept)
            body, _ = self.paragraph(words.REPLY_SENTENCES, self.user_language[author],
                                     plan.topic, self.rng.choice([1, 2]))
            fingerprint = text_fingerprint(body)
            if (question_id, author, fingerprint) in seen:
                continue
            seen.add((question_id, author, fingerprint))
            created = self.between(plan.started + timedelta(days=50), self.now)
            rows.add(Comment, {
                "question_id": question_id, "author_id": author, "body": body,
                "body_hash": fingerprint, "moderation_status": "published",
                "hidden_reason": None, "moderation_note": None, "moderated_at": None,
                "moderated_by_id": None,
                "open_report_count": 1 if self.rng.random() < 0.01 else 0,
                "created_at": created, "updated_at": created,
            })

    def _rankings(self, rows: Rows, plan: Plan) -> None:
        """Up to 10 kept questions each; a few questions are much more popular."""
        kept = plan.kept
        popularity = [0.0] * len(kept)
        for rank, index in enumerate(self.rng.sample(range(len(kept)), len(kept)), start=1):
            popularity[index] = 1 / rank ** 0.7
        rankers = self.rng.sample(range(1, self.sizes.users + 1), self.sizes.rankings)
        if self.participant_id not in rankers:
            rankers[0] = self.participant_id
        end = min(self.now, plan.started + timedelta(days=100))
        for user_id in sorted(rankers):
            created = self.between(plan.started + timedelta(days=75), end)
            ranking_id = rows.add(Ranking, {
                "exercise_id": plan.id, "user_id": user_id,
                "group_id": self._group_of(plan, user_id),
                "created_at": created, "updated_at": created})
            size = min(len(kept), 10 if self.rng.random() < 0.6 else self.rng.randint(3, 9))
            picked: list[int] = []
            while len(picked) < size:
                question = self.rng.choices(kept, popularity)[0]
                if question not in picked:
                    picked.append(question)
            for position, question in enumerate(picked, start=1):
                rows.add(RankingEntry, {"ranking_id": ranking_id, "question_id": question,
                                        "position": position})

    def _freeze_published(self) -> None:
        """The published exercise keeps its interim ranks and the workshop's final order."""
        from engage.priorities.results import interim_tally

        exercise_id, workshop_size = self._published_exercise
        db.session.flush()
        exercise = db.session.get_one(Exercise, exercise_id)
        result = interim_tally(exercise)
        table = IndicativeQuestion.__table__
        ranks: list[dict[str, Any]] = []
        shortlist = []
        question_ids: list[int] = list(db.session.scalars(
            select(table.c.id).where(table.c.exercise_id == exercise_id)
            .order_by(table.c.id)))
        for question_id in question_ids:
            score = result.score_of(question_id)
            ranks.append({"b_id": question_id, "b_rank": score.rank if score else None,
                          "b_score": float(score.score) if score else None})
            if score and score.rank <= workshop_size:
                shortlist.append((score.rank, question_id))
        shortlist.sort()
        # The workshop mostly agreed with the survey, with a few swaps.
        final = [question_id for _, question_id in shortlist]
        for index in range(0, len(final) - 1, 4):
            if self.rng.random() < 0.5:
                final[index], final[index + 1] = final[index + 1], final[index]
        places = {question_id: place for place, question_id in enumerate(final, start=1)}
        for change in ranks:
            change["b_final"] = places.get(change["b_id"])
        if ranks:
            db.session.execute(
                update(table).where(table.c.id == bindparam("b_id")).values(
                    interim_rank=bindparam("b_rank"), interim_score=bindparam("b_score"),
                    final_rank=bindparam("b_final")),
                ranks,
            )
        db.session.expunge(exercise)
