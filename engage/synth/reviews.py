"""Funding calls, their rubric, applications, assignments and reviews."""

from datetime import UTC, datetime, timedelta

from engage.reviews.models import (
    Application,
    Assignment,
    ConflictDeclaration,
    Criterion,
    CriterionTranslation,
    FundingCall,
    FundingCallTranslation,
    Review,
    ReviewScore,
)
from engage.synth import words
from engage.synth.base import LANGUAGES, BaseLoader


class ReviewsLoader(BaseLoader):
    def calls(self) -> None:
        statuses = ["open", "closed", "decided", "open", "closed"]
        call_rows: list[dict] = []
        call_texts: list[dict] = []
        criteria: list[dict] = []
        criterion_texts: list[dict] = []
        applications: list[dict] = []
        assignments: list[dict] = []
        declarations: list[dict] = []
        reviews: list[dict] = []
        scores: list[dict] = []
        for index in range(self.sizes.calls):
            call_id = index + 1
            status = statuses[index % len(statuses)]
            deadline = (self.now + timedelta(days=20)).date() if status == "open" \
                else (self.now - timedelta(days=60 + 90 * index)).date()
            opened = datetime.combine(deadline - timedelta(days=45), datetime.min.time(),
                                      tzinfo=UTC)
            call_rows.append({
                "id": call_id, "status": status, "review_opens_on": opened.date(),
                "review_deadline": deadline, "reviews_per_application": 3,
                "created_by_id": self.moderators[0], "opened_at": opened,
                "closed_at": opened + timedelta(days=46) if status != "open" else None,
                "decided_at": opened + timedelta(days=70) if status == "decided" else None,
                "created_at": opened - timedelta(days=10), "updated_at": opened,
            })
            topic = (index * 5 + 3) % len(words.TOPICS)
            for language in LANGUAGES:
                subject = words.TOPICS[topic][0 if language == "fr" else 1]
                call_texts.append({
                    "id": len(call_texts) + 1, "call_id": call_id, "language": language,
                    "title": {"fr": f"Appel à projets {2022 + index} : {subject}",
                              "en": f"Funding call {2022 + index}: {subject}"}[language],
                    "description": self.paragraph(words.CONTRIBUTION_SENTENCES, language,
                                                  topic, 3)[0],
                })
            call_criteria = []
            for position, (fr, en, guidance_fr, guidance_en) in enumerate(words.CRITERIA):
                criterion_id = len(criteria) + 1
                call_criteria.append(criterion_id)
                criteria.append({"id": criterion_id, "call_id": call_id, "position": position})
                for language, label, guidance in (("fr", fr, guidance_fr),
                                                  ("en", en, guidance_en)):
                    criterion_texts.append({"id": len(criterion_texts) + 1,
                                            "criterion_id": criterion_id, "language": language,
                                            "label": label, "guidance": guidance})
            for number in range(1, self.sizes.applications + 1):
                application_id = len(applications) + 1
                language = self.language()
                topic_index = self.rng.randrange(len(words.TOPICS))
                quality = self.rng.uniform(1.5, 4.8)
                decision = None
                if status == "decided":
                    decision = "funded" if quality > 3.8 else (
                        "waiting_list" if quality > 3.2 else "not_funded")
                applications.append({
                    "id": application_id, "call_id": call_id, "acronym": f"ONCO-{number:03d}",
                    "title": self.sentence(words.QUESTION_FORMS, language,
                                           number % len(words.QUESTION_FORMS[language]),
                                           topic_index)[0],
                    "lay_summary": self.paragraph(words.CONTRIBUTION_SENTENCES, language,
                                                  topic_index, 5)[0],
                    "summary_language": language,
                    "team": f"{self.person_name()}, {self.person_name()}",
                    "institutions": "\n".join(self.rng.sample(words.INSTITUTIONS, 2)),
                    "keywords": ", ".join(self.rng.sample([t[1] for t in words.THEMES], 3)),
                    "pdf_filename": None, "pdf_original_name": None, "pdf_size": None,
                    "needs_reassignment": False, "decision": decision, "decision_note": "",
                    "decided_at": opened + timedelta(days=75) if decision else None,
                    "decided_by_id": self.moderators[0] if decision else None,
                    "created_at": opened - timedelta(days=5), "updated_at": opened,
                })
                for reviewer in self.rng.sample(self.reviewers, 3):
                    assignment_id = len(assignments) + 1
                    assigned = opened + timedelta(days=self.rng.randint(0, 5))
                    cleared = assigned + timedelta(days=self.rng.randint(0, 5))
                    assignments.append({
                        "id": assignment_id, "application_id": application_id,
                        "reviewer_id": reviewer, "status": "active",
                        "assigned_by_id": self.moderators[0],
                        "no_conflict_declared_at": cleared,
                        "confidentiality_accepted_at": cleared, "withdrawn_at": None,
                        "created_at": assigned, "updated_at": cleared,
                    })
                    declarations.append({
                        "id": len(declarations) + 1, "assignment_id": assignment_id,
                        "links": [], "details": "", "has_conflict": False,
                        "confidentiality_accepted": True, "created_at": cleared,
                        "updated_at": cleared,
                    })
                    submitted = status != "open" or self.rng.random() < 0.65
                    review_id = len(reviews) + 1
                    reviewer_language = self.user_language[reviewer]

                    def score() -> int:
                        return max(1, min(5, round(self.rng.gauss(quality, 0.9))))  # noqa: B023

                    reviews.append({
                        "id": review_id, "assignment_id": assignment_id,
                        "status": "submitted" if submitted else "draft",
                        "overall_score": score(),
                        "overall_applicant_comment": self.rng.choice(
                            words.REVIEW_COMMENTS[reviewer_language]),
                        "overall_committee_comment": self.rng.choice(
                            words.REVIEW_COMMENTS[reviewer_language]),
                        "submitted_at": cleared + timedelta(days=10) if submitted else None,
                        "created_at": cleared, "updated_at": cleared,
                    })
                    for criterion_id in call_criteria:
                        scores.append({
                            "id": len(scores) + 1, "review_id": review_id,
                            "criterion_id": criterion_id, "score": score(),
                            "applicant_comment": self.rng.choice(
                                words.REVIEW_COMMENTS[reviewer_language]),
                            "committee_comment": "",
                        })
        self.insert(FundingCall, call_rows)
        self.insert(FundingCallTranslation, call_texts)
        self.insert(Criterion, criteria)
        self.insert(CriterionTranslation, criterion_texts)
        self.insert(Application, applications)
        self.insert(Assignment, assignments)
        self.insert(ConflictDeclaration, declarations)
        self.insert(Review, reviews)
        self.insert(ReviewScore, scores)
