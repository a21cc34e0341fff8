"""Themes, consultations with their translations, followers and questionnaires."""

from datetime import timedelta

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
        themes, translations = [], []
        for theme_id, labels in enumerate(words.THEMES, start=1):
            themes.append({"id": theme_id, "created_at": self.now, "updated_at": self.now})
            for language, label in zip(LANGUAGES, labels, strict=True):
                translations.append({"id": len(translations) + 1, "theme_id": theme_id,
                                     "language": language, "label": label})
        self.themes = [row["id"] for row in themes]
        self.insert(Theme, themes)
        self.insert(ThemeTranslation, translations)

    def consultations_(self) -> None:
        rows, translations, links = [], [], []
        for index in range(self.sizes.consultations):
            consultation_id = index + 1
            status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
            topic = index % len(words.TOPICS)
            row = {
                "id": consultation_id, "status": status, "audience": "everyone",
                "moderation_policy": "pre" if index % 5 == 4 else "post", "announced": False,
                "opens_on": None, "closes_on": None, "opened_at": None, "closed_at": None,
                "summarized_at": None, "archived_at": None, "closing_reminder_sent_at": None,
                "summary_notified_at": None, "created_by_id": self.moderators[0],
                "submission_key": None,
            }
            if index % 10 == 9:
                row["audience"] = "representatives"
            opened = closed = None
            if status.startswith("draft"):
                row["status"] = "draft"
                row["announced"] = status == "draft-announced"
                row["opens_on"] = (self.now + timedelta(days=self.rng.randint(5, 40))).date()
                row["closes_on"] = row["opens_on"] + timedelta(days=60)
                created = self.ago(1, 30)
            elif status == "open":
                opened = self.ago(7, 60)
                # A few close within the week: the home page shows them first.
                row["closes_on"] = (self.now + timedelta(days=self.rng.choice(
                    [2, 5, 12, 20, 35, 50]))).date()
                created = opened - timedelta(days=7)
            else:
                age = {"closed": 0, "summarized": 120, "archived": 400}[status]
                opened = self.ago(age + 150, age + 400)
                closed = opened + timedelta(days=self.rng.randint(45, 90))
                row["closes_on"] = closed.date()
                row["closed_at"] = closed
                if status in ("summarized", "archived"):
                    row["summarized_at"] = closed + timedelta(days=30)
                if status == "archived":
                    row["archived_at"] = closed + timedelta(days=200)
                created = opened - timedelta(days=7)
            if opened is not None:
                row["opened_at"] = opened
                row["opens_on"] = opened.date()
            row["created_at"] = created
            row["updated_at"] = closed or opened or created
            rows.append(row)
            themes = sorted(self.rng.sample(self.themes, 3))
            links += [{"consultation_id": consultation_id, "theme_id": t} for t in themes]
            for language in LANGUAGES:
                subject = words.TOPICS[topic][0 if language == "fr" else 1]
                title = words.CONSULTATION_TITLES[language][index // len(words.TOPICS) % 2]
                title = title.format(t=subject)
                title = title[0].upper() + title[1:]
                if index >= 2 * len(words.TOPICS):
                    title += f" ({index // len(words.TOPICS) + 1})"
                s1, _ = self.paragraph(words.CONTRIBUTION_SENTENCES, language, topic, 2)
                s2, _ = self.paragraph(words.CONTRIBUTION_SENTENCES, language, topic, 2)
                summary = words.CONSULTATION_SUMMARY[language].format(t=subject)
                body = words.CONSULTATION_BODY[language].format(s1=s1, s2=s2)
                translations.append({
                    "id": len(translations) + 1, "consultation_id": consultation_id,
                    "language": language, "title": title, "summary": summary, "body": body,
                    "search_text": normalize(" ".join([title, summary, plain_text(body)])),
                })
            self.consultations.append(ConsultationPlan(
                id=consultation_id, status=row["status"], topic=topic, themes=themes,
                opened_at=opened, ends_at=closed or self.now,
                pre_moderated=row["moderation_policy"] == "pre",
            ))
        self.insert(Consultation, rows)
        self.insert(ConsultationTranslation, translations)
        self.insert(consultation_themes, links)
        follows = []
        public = [p for p in self.consultations if p.status != "draft" or p.opened_at]
        for user_id in self.rng.sample(range(1, self.sizes.users + 1), self.sizes.users // 5):
            plan = self.rng.choice(public)
            follows.append({"id": len(follows) + 1, "consultation_id": plan.id,
                            "user_id": user_id, "created_at": self.ago(1, 100)})
        self.insert(ConsultationFollow, follows)

    def questionnaires(self) -> None:
        questions, question_texts, options, option_texts = [], [], [], []
        responses, answers = [], []
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
                    question_texts.append({
                        "id": len(question_texts) + 1, "question_id": question_id,
                        "language": language, "text": wording, "hint": "",
                        "scale_min_label": {"fr": "Pas du tout", "en": "Not at all"}[language]
                        if kind == "scale" else "",
                        "scale_max_label": {"fr": "Énormément", "en": "Very much"}[language]
                        if kind == "scale" else "",
                    })
                for option_position, labels in enumerate(choices):
                    option_id = len(options) + 1
                    options.append({"id": option_id, "question_id": question_id,
                                    "position": option_position})
                    plan_options.setdefault(kind, []).append(option_id)
                    for language, label in zip(LANGUAGES, labels, strict=True):
                        option_texts.append({"id": len(option_texts) + 1,
                                             "option_id": option_id, "language": language,
                                             "label": label})
            if plan.opened_at is None:
                continue
            for user_id in self.rng.sample(range(1, self.sizes.users + 1),
                                           self.sizes.responses):
                response_id = len(responses) + 1
                created = self.between(plan.opened_at, plan.ends_at)
                responses.append({
                    "id": response_id, "consultation_id": plan.id, "user_id": user_id,
                    "submitted_at": created if self.rng.random() < 0.9 else None,
                    "created_at": created, "updated_at": created,
                })
                for question_id, kind in plan_questions:
                    chosen: list[tuple[int | None, int | None, str | None]] = []
                    if kind == "single_choice":
                        chosen = [(self.rng.choice(plan_options[kind]), None, None)]
                    elif kind == "multiple_choice":
                        picks = self.rng.sample(plan_options[kind], self.rng.randint(1, 3))
                        chosen = [(option, None, None) for option in sorted(picks)]
                    elif kind == "scale":
                        chosen = [(None, self.rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 6, 5])[0],
                                   None)]
                    elif kind == "ranking":
                        order = self.rng.sample(plan_options[kind], len(plan_options[kind]))
                        chosen = [(option, rank, None) for rank, option in
                                  enumerate(order, start=1)]
                    elif self.rng.random() < 0.4:
                        language = self.user_language[user_id]
                        chosen = [(None, None, self.rng.choice(words.FREE_TEXT_ANSWERS[language]))]
                    for option_id, number, answer_text in chosen:
                        answers.append({"id": len(answers) + 1, "response_id": response_id,
                                        "question_id": question_id, "option_id": option_id,
                                        "number": number, "text": answer_text})
        self.insert(ConsultationQuestion, questions)
        self.insert(ConsultationQuestionTranslation, question_texts)
        self.insert(ConsultationQuestionOption, options)
        self.insert(ConsultationQuestionOptionTranslation, option_texts)
        self.insert(ConsultationResponse, responses)
        self.insert(ConsultationAnswer, answers)
