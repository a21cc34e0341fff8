"""The loader's shared state and helpers: sizes, random choices, bulk inserts, texts."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from engage.core.search import normalize
from engage.extensions import db
from engage.synth import words

SYNTH_PASSWORD = "synthetic-data-only-2026"  # noqa: S105 - synthetic accounts, documented
ADMIN_EMAIL = "synth-admin@example.org"
MODERATOR_EMAIL = "synth-moderator@example.org"
PARTICIPANT_EMAIL = "synth-participant@example.org"
BATCH = 2000
LANGUAGES = ("fr", "en")
PARTICIPANT_TYPES = ["patient", "carer", "citizen", "association", "health_professional",
                     "researcher", None]
PARTICIPANT_WEIGHTS = [35, 20, 20, 5, 10, 5, 5]
DEPARTEMENTS = ["75", "77", "78", "91", "92", "93", "94", "95", "outside", None]
DEPARTEMENT_WEIGHTS = [25, 8, 8, 8, 12, 12, 10, 8, 5, 4]
# Consultations cycle through these statuses (the first, open, gets the most contributions).
STATUS_CYCLE = ["open", "closed", "summarized", "open", "closed", "summarized", "open",
                "archived", "closed", "summarized", "draft-announced", "draft"]


@dataclass(frozen=True)
class Sizes:
    users: int
    moderators: int
    representatives: int
    associations: int
    consultations: int
    contributions: int  # top-level contributions (positions included)
    replies: int
    responses: int  # questionnaire responses per consultation
    submissions: int  # per exercise
    questions: int  # indicative questions per exercise
    comments: int  # per exercise
    rankings: int  # per exercise
    calls: int
    applications: int  # per call
    reviewers: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        def n(base: float, floor: int) -> int:
            return max(floor, round(base * scale))

        users = n(5000, 40)
        return cls(
            users=users, moderators=n(5, 2), representatives=n(100, 3), associations=n(40, 2),
            consultations=n(60, 12), contributions=n(100_000, 60), replies=n(30_000, 20),
            responses=min(users, n(100, 3)), submissions=n(1000, 12), questions=n(60, 12),
            comments=n(500, 8), rankings=min(users - 1, n(2500, 10)), calls=n(5, 2),
            applications=n(60, 4), reviewers=n(150, 6),
        )


@dataclass
class Item:
    """What later phases need to know of a contribution written earlier."""

    id: int
    consultation: int  # index in Loader.consultations
    author: int
    visible: bool
    supports: int
    created_at: datetime


@dataclass
class ConsultationPlan:
    id: int
    status: str
    topic: int
    themes: list[int]
    opened_at: datetime | None
    ends_at: datetime  # contributions are written before this
    pre_moderated: bool
    contributions: int = 0
    items: list[Item] = field(default_factory=list)


class BaseLoader:
    def __init__(self, scale: float, seed: int):
        self.scale = scale
        self.sizes = Sizes.at(scale)
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.counts: Counter = Counter()
        self._sentences: dict = {}
        self.moderators: list[int] = []
        self.representatives: list[int] = []
        self.reviewers: list[int] = []
        self.participant_id = 0
        self.user_types: dict[int, str | None] = {}
        self.user_language: dict[int, str] = {}
        self.association_members: dict[int, list[int]] = defaultdict(list)
        self.themes: list[int] = []
        self.consultations: list[ConsultationPlan] = []
        self.audit: list[dict] = []

    # Writing

    def insert(self, model_or_table, rows: list[dict]) -> None:
        table = getattr(model_or_table, "__table__", model_or_table)
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(table), rows[start:start + BATCH])
        self.counts[table.name] += len(rows)

    def ago(self, days_min: float, days_max: float) -> datetime:
        return self.now - timedelta(seconds=self.rng.uniform(days_min, days_max) * 86400)

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))

    def sentence(self, bank: dict, language: str, template: int, topic: int) -> tuple[str, str]:
        """A sentence of `bank` about `topic`, and its folded words (computed once)."""
        key = (id(bank), language, template, topic)
        if key not in self._sentences:
            subject = words.TOPICS[topic][0 if language == "fr" else 1]
            sentence = bank[language][template].format(t=subject)
            self._sentences[key] = (sentence, normalize(sentence))
        return self._sentences[key]

    def paragraph(self, bank: dict, language: str, topic: int, count: int) -> tuple[str, str]:
        """`count` sentences, mostly about `topic`: the text and its folded words."""
        parts, folded = [], []
        for index in range(count):
            subject = topic if self.rng.random() < 0.6 else self.rng.randrange(len(words.TOPICS))
            sentence, norm = self.sentence(bank, language, self.rng.randrange(
                len(bank[language])), subject)
            if index and self.rng.random() < 0.3:
                parts.append("\n\n")
            elif index:
                parts.append(" ")
            parts.append(sentence)
            folded.append(norm)
        return "".join(parts), " ".join(folded)

    def language(self) -> str:
        return "fr" if self.rng.random() < 0.8 else "en"

    def person_name(self) -> str:
        return f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.LAST_NAMES)}"
