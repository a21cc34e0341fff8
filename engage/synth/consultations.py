"""Themes, consultations with their translations, followers and questionnaires."""

from datetime import timedelta
from typing import ClassVar

from engage.consultations.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationFollow,
    ConsultationQuestion,
    ConsultationQuestionOption,
    ConsultationQuestionOptionTranslation,
    ConsultationQuestionTranslation,
    ConsultationResponse,
    ConsultationTranslation,
    Theme,
    ThemeTranslation,
    consultation_themes,
)
from engage.core.markdown import plain_text
from engage.core.search import normalize
from engage.synth import words
from engage.synth.base import LANGUAGES, STATUS_CYCLE, BaseLoader, ConsultationPlan


class ConsultationLoader(BaseLoader):
    def themes_(self) -> None:
        themes: list[dict] = []
        translations: list[dict] = []
        for theme_id, labels in enumerate(words.THEMES, start=1):
            themes.append({"id": theme_id, "created_at": self.now, "updated_at": self.now})
            for language, label in zip(LANGUAGES, labels, strict=True):
                translations.append({"id": len(translations) + 1, "theme_id": theme_id,
                                     "language": language, "label": label})
        self.themes = [row["id"] for row in themes]
        self.insert(Theme, themes)
        self.insert(ThemeTranslation, translations)

    def consultations_(self) -> None:
        rows: list[dict] = []
        translations: list[dict] = []
        links: list[dict] = []
        for index in range(self.sizes.consultations):
            consultation_id = index + 1
            topic = index % len(words.TOPICS)
            row = self._consultation_row(index, consultation_id)
            opened, closed, created = self._consultation_schedule(
                row, STATUS_CYCLE[index % len(STATUS_CYCLE)])
            if opened is not None:
                row["opened_at"] = opened
                row["opens_on"] = opened.date()
            row["created_at"] = created
            row["updated_at"] = closed or opened or created
            rows.append(row)
            themes = sorted(self.rng.sample(self.themes, 3))
            links += [{"consultation_id": consultation_id, "theme_id": t} for t in themes]
            for language in LANGUAGES:
                translations.append(self._consultation_translation(
                    len(translations) + 1, consultation_id, index, topic, language))
            self.consultations.append(ConsultationPlan(
                id=consultation_id, status=row["status"], topic=topic, themes=themes,
                opened_at=opened, ends_at=closed or self.now,
                pre_moderated=row["moderation_policy"] == "pre",
            ))
        self.insert(Consultation, rows)
        self.insert(ConsultationTranslation, translations)
        self.insert(consultation_themes, links)
        self._consultation_follows()

    def _consultation_row(self, index: int, consultation_id: int) -> dict:
        """The row without its dates: one in five pre-moderated, one in ten for representatives."""
        return {
            "id": consultation_id, "status": STATUS_CYCLE[index % len(STATUS_CYCLE)],
            "audience": "representatives" if index % 10 == 9 else "everyone",
            "moderation_policy": "pre" if index % 5 == 4 else "post", "announced": False,
            "opens_on": None, "closes_on": None, "opened_at": None, "closed_at": None,
            "summarized_at": None, "archived_at": None, "closing_reminder_sent_at": None,
            "summary_notified_at": None, "created_by_id": self.moderators[0],
            "submission_key": None,
        }

    def _consultation_schedule(self, row: dict, status: str):
        """(opened, closed, created) for a consultation in `status`; sets the row's own dates."""
        if status.startswith("draft"):
            return self._draft_schedule(row, status)
        if status == "open":
            return self._open_schedule(row)
        return self._ended_schedule(row, status)

    def _draft_schedule(self, row: dict, status: str):
        row["status"] = "draft"
        row["announced"] = status == "draft-announced"
        row["opens_on"] = (self.now + timedelta(days=self.rng.randint(5, 40))).date()
        row["closes_on"] = row["opens_on"] + timedelta(days=60)
        return None, None, self.ago(1, 30)

    def _open_schedule(self, row: dict):
        opened = self.ago(7, 60)
        # A few close within the week: the home page shows them first.
        row["closes_on"] = (self.now + timedelta(days=self.rng.choice(
            [2, 5, 12, 20, 35, 50]))).date()
        return opened, None, opened - timedelta(days=7)

    def _ended_schedule(self, row: dict, status: str):
        """Closed, summarized or archived: the later the stage, the longer ago it opened."""
        age = {"closed": 0, "summarized": 120, "archived": 400}[status]
        opened = self.ago(age + 150, age + 400)
        closed = opened + timedelta(days=self.rng.randint(45, 90))
        row["closes_on"] = closed.date()
        row["closed_at"] = closed
        if status in ("summarized", "archived"):
            row["summarized_at"] = closed + timedelta(days=30)
        if status == "archived":
            row["archived_at"] = closed + timedelta(days=200)
        return opened, closed, opened - timedelta(days=7)

    @staticmethod
    def _consultation_title(index: int, language: str, subject: str) -> str:
        """Two title patterns per language; numbered once the topics have been used twice."""
        title = words.CONSULTATION_TITLES[language][index // len(words.TOPICS) % 2]
        title = title.format(t=subject)
        title = title[0].upper() + title[1:]
        if index >= 2 * len(words.TOPICS):
            title += f" ({index // len(words.TOPICS) + 1})"
        return title

    def _consultation_translation(self, translation_id: int, consultation_id: int, index: int,
                                  topic: int, language: str) -> dict:
        subject = words.TOPICS[topic][0 if language == "fr" else 1]
        title = self._consultation_title(index, language, subject)
        s1, _ = self.paragraph(words.CONTRIBUTION_SENTENCES, language, topic, 2)
        s2, _ = self.paragraph(words.CONTRIBUTION_SENTENCES, language, topic, 2)
        summary = words.CONSULTATION_SUMMARY[language].format(t=subject)
        body = words.CONSULTATION_BODY[language].format(s1=s1, s2=s2)
        return {
            "id": translation_id, "consultation_id": consultation_id,
            "language": language, "title": title, "summary": summary, "body": body,
            "search_text": normalize(" ".join([title, summary, plain_text(body)])),
        }

    def _consultation_follows(self) -> None:
        """A fifth of the users follow one consultation that is, or was, public."""
        follows: list[dict] = []
        public = [p for p in self.consultations if p.status != "draft" or p.opened_at]
        for user_id in self.rng.sample(range(1, self.sizes.users + 1), self.sizes.users // 5):
            plan = self.rng.choice(public)
            follows.append({"id": len(follows) + 1, "consultation_id": plan.id,
                            "user_id": user_id, "created_at": self.ago(1, 100)})
        self.insert(ConsultationFollow, follows)

    def questionnaires(self) -> None:
        questions: list[dict] = []
        question_texts: list[dict] = []
        options: list[dict] = []
        option_texts: list[dict] = []
        responses: list[dict] = []
        answers: list[dict] = []
        for plan in self.consultations:
            plan_options: dict[str, list[int]] = {}
            plan_questions = []
            for position, (kind, fr, en, choices) in enumerate(words.QUESTIONNAIRE):
                question_id = len(questions) + 1
                questions.append({"id": question_id, "consultation_id": plan.id,
                                  "position": position, "kind": kind,
                                  "required": kind != "free_text", "submission_key": None})
                plan_questions.append((question_id, kind))
                for language, wording in (("fr", fr), ("en", en)):
                    question_texts.append(self._question_text(
                        len(question_texts) + 1, question_id, kind, language, wording))
                plan_options.setdefault(kind, []).extend(
                    self._question_options(question_id, choices, options, option_texts))
            # Drafts never opened have no responses.
            if plan.opened_at is not None:
                self._questionnaire_responses(plan, plan_questions, plan_options,
                                              responses, answers)
        self.insert(ConsultationQuestion, questions)
        self.insert(ConsultationQuestionTranslation, question_texts)
        self.insert(ConsultationQuestionOption, options)
        self.insert(ConsultationQuestionOptionTranslation, option_texts)
        self.insert(ConsultationResponse, responses)
        self.insert(ConsultationAnswer, answers)

    @staticmethod
    def _question_text(text_id: int, question_id: int, kind: str, language: str,
                       wording: str) -> dict:
        scale = kind == "scale"
        return {
            "id": text_id, "question_id": question_id,
            "language": language, "text": wording, "hint": "",
            "scale_min_label": {"fr": "Pas du tout", "en": "Not at all"}[language]
            if scale else "",
            "scale_max_label": {"fr": "Énormément", "en": "Very much"}[language]
            if scale else "",
        }

    @staticmethod
    def _question_options(question_id: int, choices, options: list[dict],
                          option_texts: list[dict]) -> list[int]:
        """Adds the question's options and their labels; returns the new option ids."""
        option_ids = []
        for option_position, labels in enumerate(choices):
            option_id = len(options) + 1
            options.append({"id": option_id, "question_id": question_id,
                            "position": option_position})
            option_ids.append(option_id)
            for language, label in zip(LANGUAGES, labels, strict=True):
                option_texts.append({"id": len(option_texts) + 1,
                                     "option_id": option_id, "language": language,
                                     "label": label})
        return option_ids

    def _questionnaire_responses(self, plan: ConsultationPlan, plan_questions, plan_options,
                                 responses: list[dict], answers: list[dict]) -> None:
        """Responses from a sample of users (one in ten left unsubmitted), with their answers."""
        if plan.opened_at is None:  # a draft never opened has none
            return
        for user_id in self.rng.sample(range(1, self.sizes.users + 1), self.sizes.responses):
            response_id = len(responses) + 1
            created = self.between(plan.opened_at, plan.ends_at)
            responses.append({
                "id": response_id, "consultation_id": plan.id, "user_id": user_id,
                "submitted_at": created if self.rng.random() < 0.9 else None,
                "created_at": created, "updated_at": created,
            })
            for question_id, kind in plan_questions:
                answer_for = self._ANSWERS_BY_KIND.get(kind, ConsultationLoader._free_text_answer)
                for option_id, number, answer_text in answer_for(
                        self, plan_options.get(kind, []), user_id):
                    answers.append({"id": len(answers) + 1, "response_id": response_id,
                                    "question_id": question_id, "option_id": option_id,
                                    "number": number, "text": answer_text})

    # Answers as (option id, number, text) rows, one function per kind of question.

    def _single_choice_answer(self, option_ids: list[int], user_id: int) -> list[tuple]:
        return [(self.rng.choice(option_ids), None, None)]

    def _multiple_choice_answer(self, option_ids: list[int], user_id: int) -> list[tuple]:
        picks = self.rng.sample(option_ids, self.rng.randint(1, 3))
        return [(option, None, None) for option in sorted(picks)]

    def _scale_answer(self, option_ids: list[int], user_id: int) -> list[tuple]:
        # Skewed towards the high end, as real answers tend to be.
        return [(None, self.rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 6, 5])[0], None)]

    def _ranking_answer(self, option_ids: list[int], user_id: int) -> list[tuple]:
        order = self.rng.sample(option_ids, len(option_ids))
        return [(option, rank, None) for rank, option in enumerate(order, start=1)]

    def _free_text_answer(self, option_ids: list[int], user_id: int) -> list[tuple]:
        # Most people leave the optional free-text question blank.
        if self.rng.random() >= 0.4:
            return []
        language = self.user_language[user_id]
        return [(None, None, self.rng.choice(words.FREE_TEXT_ANSWERS[language]))]

    _ANSWERS_BY_KIND: ClassVar[dict] = {
        "single_choice": _single_choice_answer,
        "multiple_choice": _multiple_choice_answer,
        "scale": _scale_answer,
        "ranking": _ranking_answer,
    }
