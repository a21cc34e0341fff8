"""Contributions, replies, supports, reports (with what they change on the items),
moderators' theme tags and the published summaries."""

import json
import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update

from engage.consultations.models import Contribution, ContributionSupport
from engage.core.moderated import AUTO_HIDE_REASON, Report, report_threshold
from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.summaries.models import Citation, Summary, SummaryRevision, SummaryTranslation
from engage.synth import words
from engage.synth.base import BATCH, LANGUAGES, BaseLoader, ConsultationPlan, Item


class ContributionLoader(BaseLoader):
    def _shares(self, total: int) -> list[int]:
        """Contributions per consultation: a few large ones, many small (Zipf-like)."""
        active = [p for p in self.consultations if p.opened_at is not None]
        weights = [1 / math.sqrt(rank) for rank in range(1, len(active) + 1)]
        exact = [total * w / sum(weights) for w in weights]
        shares = [int(x) for x in exact]
        for index in sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])[
                :total - sum(shares)]:
            shares[index] += 1
        # The largest goes to the first open consultation; the others at random.
        order = [active[0], *self.rng.sample(active[1:], len(active) - 1)]
        for plan, share in zip(order, shares, strict=True):
            plan.contributions = share
        return shares

    def _moderation(self, plan: ConsultationPlan, created: datetime) -> dict:
        """Moderation columns: mostly published; pending in pre-moderated consultations."""
        state: dict[str, Any] = {"moderation_status": "published", "hidden_reason": None,
                 "moderation_note": None, "moderated_at": None, "moderated_by_id": None,
                 "open_report_count": 0}
        draw = self.rng.random()
        if plan.pre_moderated and plan.status == "open" and draw < 0.05:
            state["moderation_status"] = "pending"
        elif plan.pre_moderated and draw < 0.9:
            state["moderated_at"] = created + timedelta(hours=self.rng.randint(1, 48))
            state["moderated_by_id"] = self.rng.choice(self.moderators)
        elif draw > 0.995:
            state.update(moderation_status="hidden", hidden_reason="off_topic",
                         moderated_at=created + timedelta(hours=self.rng.randint(1, 48)),
                         moderated_by_id=self.rng.choice(self.moderators))
        return state

    def _support_count(self) -> int:
        """Most contributions get a support or two, a few get hundreds."""
        return min(int(self.rng.paretovariate(1.4)) - 1, 400, self.sizes.users - 1)

    def contributions(self) -> None:
        self._shares(self.sizes.contributions)
        next_id = 1
        rows = []
        for index, plan in enumerate(self.consultations):
            if plan.opened_at is None:  # never opened: _shares gave it no contributions
                continue
            for _ in range(plan.contributions):
                created = self.between(plan.opened_at, plan.ends_at)
                language = self.language()
                association = None
                if self.rng.random() < 0.02 and self.representatives:
                    association = self.rng.randrange(1, self.sizes.associations + 1)
                    members = self.association_members.get(association)
                    author = self.rng.choice(members) if members else self.representatives[0]
                    if not members:
                        association = None
                else:
                    author = self.rng.randrange(1, self.sizes.users + 1)
                body, folded = self.paragraph(words.CONTRIBUTION_SENTENCES, language,
                                              plan.topic, self.rng.choices(
                                                  [1, 2, 3, 4, 6], [20, 30, 25, 15, 10])[0])
                state = self._moderation(plan, created)
                deleted = None
                if state["moderation_status"] == "published" and self.rng.random() < 0.003:
                    deleted = self.between(created, plan.ends_at)
                    body, folded = "", ""
                visible = state["moderation_status"] == "published" and deleted is None
                supports = self._support_count() if visible else 0
                row = {
                    "id": next_id, "consultation_id": plan.id, "author_id": author,
                    "parent_id": None,
                    "theme_id": self.rng.choice(plan.themes) if self.rng.random() < 0.7
                    else None,
                    "association_id": association, "body": body, "language": language,
                    "search_text": folded, "support_count": supports, "edited_at": None,
                    "deleted_at": deleted, "submission_key": None,
                    "created_at": created, "updated_at": created, **state,
                }
                rows.append(row)
                plan.items.append(Item(next_id, index, author, visible, supports, created))
                next_id += 1
            if len(rows) >= BATCH * 5:
                self.insert(Contribution, rows)
                rows = []
        self.insert(Contribution, rows)
        self.next_contribution_id = next_id
        self.tags()

    def tags(self) -> None:
        """Moderators gave a few contributions a second theme."""
        rows = []
        for plan in self.consultations:
            for item in plan.items:
                if item.visible and self.rng.random() < 0.03:
                    rows.append({"contribution_id": item.id,
                                 "theme_id": self.rng.choice(plan.themes),
                                 "tagged_by_id": self.rng.choice(self.moderators),
                                 "created_at": item.created_at + timedelta(days=1)})
        self.insert(ContributionTheme, rows)

    def replies(self) -> None:
        parents = [item for plan in self.consultations for item in plan.items if item.visible]
        if not parents:
            return
        # Popular contributions get more replies; a few threads grow long.
        weights = [(1 + item.supports) ** 1.3 for item in parents]
        chosen = self.rng.choices(parents, weights=weights, k=self.sizes.replies)
        chosen.sort(key=lambda item: item.id)
        rows = []
        next_id = self.next_contribution_id
        for parent in chosen:
            plan = self.consultations[parent.consultation]
            created = self.between(parent.created_at, plan.ends_at)
            language = self.language()
            author = self.rng.randrange(1, self.sizes.users + 1)
            body, folded = self.paragraph(words.REPLY_SENTENCES, language, plan.topic,
                                          self.rng.choice([1, 1, 2, 3]))
            state = self._moderation(plan, created)
            visible = state["moderation_status"] == "published"
            supports = self._support_count() // 3 if visible else 0
            rows.append({
                "id": next_id, "consultation_id": plan.id, "author_id": author,
                "parent_id": parent.id, "theme_id": None, "association_id": None,
                "body": body, "language": language, "search_text": folded,
                "support_count": supports, "edited_at": None, "deleted_at": None,
                "submission_key": None, "created_at": created, "updated_at": created, **state,
            })
            plan.items.append(Item(next_id, parent.consultation, author, visible, supports,
                                   created))
            next_id += 1
            if len(rows) >= BATCH * 5:
                self.insert(Contribution, rows)
                rows = []
        self.insert(Contribution, rows)

    def supports_and_reports(self) -> None:
        users = range(1, self.sizes.users + 1)
        supports: list[dict] = []
        reports: list[dict] = []
        support_id = 0
        reported, upheld = [], []
        for plan in self.consultations:
            for item in plan.items:
                if item.supports:
                    people = self.rng.sample(users, min(len(users), item.supports + 1))
                    for user_id in [p for p in people if p != item.author][:item.supports]:
                        support_id += 1
                        supports.append({"id": support_id, "contribution_id": item.id,
                                         "user_id": user_id,
                                         "created_at": self.between(item.created_at,
                                                                    plan.ends_at)})
                    if len(supports) >= BATCH * 10:
                        self.insert(ContributionSupport, supports)
                        supports = []
                if not item.visible or self.rng.random() >= 0.02:
                    continue
                count = self.rng.choices([1, 2, 3, 4], [60, 25, 10, 5])[0]
                handled = self.rng.random() < 0.3
                outcome = self.rng.choice(["dismissed", "upheld"]) if handled else "open"
                reason = self.rng.choice(["spam", "offensive", "health_data", "misinformation",
                                          "off_topic"])
                reported_at = self.between(item.created_at, plan.ends_at)
                reporters = [p for p in self.rng.sample(users, count + 1) if p != item.author]
                for reporter in reporters[:count]:
                    reports.append({
                        "id": len(reports) + 1, "target_type": "contribution",
                        "target_id": item.id, "reporter_id": reporter, "reason": reason,
                        "details": "", "status": outcome,
                        "handled_by_id": self.rng.choice(self.moderators) if handled else None,
                        "handled_at": reported_at + timedelta(days=1) if handled else None,
                        "created_at": reported_at, "updated_at": reported_at,
                    })
                if outcome == "upheld":
                    upheld.append((item, plan, reason, reported_at))
                elif outcome == "open":
                    reported.append((item, plan, len(reporters[:count]), reported_at))
        self.insert(ContributionSupport, supports)
        self.insert(Report, reports)
        self._apply_reports(reported, upheld, report_threshold())

    def _apply_reports(self, reported, upheld, threshold: int) -> None:
        """open_report_count, hidden at the threshold, upheld reports hide: as the app does."""
        table = Contribution.__table__
        changes = []
        for item, plan, opened, reported_at in reported:
            change = {"b_id": item.id, "b_count": opened, "b_status": "published",
                      "b_reason": None, "b_at": None, "b_by": None, "b_supports": item.supports}
            if opened >= threshold:
                item.visible = False
                change.update(b_status="hidden", b_reason=AUTO_HIDE_REASON, b_at=reported_at)
                self.audit.append(self._audit_row("auto_hide", None, item, plan, reported_at,
                                                  AUTO_HIDE_REASON))
            changes.append(change)
        for item, plan, reason, reported_at in upheld:
            moderator = self.rng.choice(self.moderators)
            item.visible = False
            at = reported_at + timedelta(days=1)
            changes.append({"b_id": item.id, "b_count": 0, "b_status": "hidden",
                            "b_reason": reason, "b_at": at, "b_by": moderator,
                            "b_supports": item.supports})
            self.audit.append(self._audit_row("hide", moderator, item, plan, at, reason))
        if changes:
            db.session.execute(
                update(table).where(table.c.id == bindparam("b_id")).values(
                    open_report_count=bindparam("b_count"),
                    moderation_status=bindparam("b_status"),
                    hidden_reason=bindparam("b_reason"), moderated_at=bindparam("b_at"),
                    moderated_by_id=bindparam("b_by"), support_count=bindparam("b_supports"),
                ),
                changes,
            )

    def _audit_row(self, action, actor, item, plan, at, reason) -> dict:
        return {
            "id": len(self.audit) + 1, "created_at": at, "actor_id": actor, "action": action,
            "target_type": "contribution", "target_id": item.id,
            "container_kind": "consultation", "container_id": plan.id, "reason": reason,
            "note": "", "before": '{"open_reports": 0, "reason": null, "status": "published"}',
            "after": '{"status": "hidden"}',
        }

    def summaries(self) -> None:
        rows: list[dict] = []
        translations: list[dict] = []
        revisions: list[dict] = []
        citations: list[dict] = []
        for plan in self.consultations:
            if plan.status not in ("summarized", "archived"):
                continue
            summary_id = len(rows) + 1
            cited = sorted(item.id for item in self.rng.sample(
                [i for i in plan.items if i.visible], min(6, sum(
                    1 for i in plan.items if i.visible))))
            published = plan.ends_at + timedelta(days=30)
            writer, approver = self.moderators[0], self.moderators[1]
            rows.append({
                "id": summary_id, "consultation_id": plan.id, "status": "published",
                "version": 3, "created_by_id": writer, "submitted_by_id": writer,
                "submitted_at": published - timedelta(days=2), "approved_by_id": approver,
                "published_at": published, "review_note": "",
                "response_on": (published + timedelta(days=60)).date(),
                "notified_at": published, "created_at": published - timedelta(days=20),
                "updated_at": published,
            })
            texts = {}
            for language in LANGUAGES:
                points = []
                for index, contribution_id in enumerate(cited):
                    topic = (plan.topic + index) % len(words.TOPICS)
                    subject = words.TOPICS[topic][0 if language == "fr" else 1]
                    points.append(words.SUMMARY_POINT[language].format(
                        t=subject, cite=f"[#{contribution_id}]"))
                body = words.SUMMARY_BODY[language].format(points="\n".join(points))
                texts[language] = body
                subject = words.TOPICS[plan.topic][0 if language == "fr" else 1]
                translations.append({
                    "id": len(translations) + 1, "summary_id": summary_id,
                    "language": language, "body": body,
                    "response": words.SUMMARY_RESPONSE[language].format(t=subject),
                })
            revisions.append({"id": len(revisions) + 1, "summary_id": summary_id,
                              "edited_by_id": writer, "created_at": published - timedelta(days=3),
                              "texts": json.dumps(texts, ensure_ascii=False, sort_keys=True)})
            citations += [{"summary_id": summary_id, "contribution_id": c} for c in cited]
        self.insert(Summary, rows)
        self.insert(SummaryTranslation, translations)
        self.insert(SummaryRevision, revisions)
        self.insert(Citation, citations)
