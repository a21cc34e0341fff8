"""Synthetic, network-sized data for load tests: `flask engage synth --scale N`.

Scale 1 is a network at full size: about 5,000 people, 40 associations, 60 bilingual
consultations with their questionnaires, 100,000 contributions with 30,000 replies,
supports and reports, 2 priority-setting exercises with 5,000 rankings, and 5 funding
calls with 300 applications and 900 reviews. Every figure is proportional to the scale
(with a few floors, so that a tiny scale still has something of every kind).

Rows are written with SQLAlchemy Core bulk inserts and explicit ids, in batches; every
synthetic account shares one password hash (computed once). The same seed gives the same
data (dates are relative to the day it runs). What the models keep denormalized is kept
consistent: `support_count`, `open_report_count` (and the automatic hiding at the report
threshold), the folded `search_text` of the full-text index (SQLite's FTS5 tables follow
by their triggers, PostgreSQL's GIN indexes by themselves), the frozen interim ranks of
a published priority-setting exercise. PostgreSQL's id sequences are moved past the
inserted ids, and both databases are ANALYZEd at the end.

For an empty database only (it refuses otherwise); the accounts are
`synth-admin@example.org`, `synth-moderator@example.org`, `synth-participant@example.org`
and `synth-user-<n>@example.org`, password `SYNTH_PASSWORD`: synthetic data only.
"""

import time
from collections import Counter

from sqlalchemy import func, select, text

from engage.accounts.models import User
from engage.extensions import db
from engage.moderation.models import AuditEntry
from engage.synth.base import (
    ADMIN_EMAIL,
    MODERATOR_EMAIL,
    PARTICIPANT_EMAIL,
    SYNTH_PASSWORD,
    Sizes,
)
from engage.synth.consultations import ConsultationLoader
from engage.synth.contributions import ContributionLoader
from engage.synth.people import PeopleLoader
from engage.synth.priorities import PrioritiesLoader
from engage.synth.reviews import ReviewsLoader

__all__ = ["ADMIN_EMAIL", "MODERATOR_EMAIL", "PARTICIPANT_EMAIL", "SYNTH_PASSWORD", "Sizes",
           "generate", "run"]


class Loader(PeopleLoader, ConsultationLoader, ContributionLoader, PrioritiesLoader,
             ReviewsLoader):
    def run(self) -> None:
        self.users()
        self.associations()
        self.themes_()
        self.consultations_()
        self.questionnaires()
        self.contributions()
        self.replies()
        self.supports_and_reports()
        self.summaries()
        self.exercises()
        self.calls()
        self.insert(AuditEntry, self.audit)
        db.session.flush()


def _reset_sequences(tables) -> None:
    """PostgreSQL: the next id of every table we wrote ids into follows the largest."""
    for table in tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
            f"(SELECT max(id) FROM {table.name}))"
        ))


def is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def generate(scale: float = 1.0, seed: int = 2026) -> Counter:
    """Fill the (empty) database; returns the number of rows written per table."""
    if scale <= 0:
        raise ValueError("the scale must be positive")
    if not is_empty():
        raise RuntimeError("synth fills an empty database: this one already has accounts.")
    loader = Loader(scale, seed)
    loader.run()
    counts = Counter({name: n for name, n in loader.counts.items() if not name.startswith("_")})
    written = [table for table in db.metadata.sorted_tables if counts.get(table.name)]
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        _reset_sequences(written)
    db.session.commit()
    if dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    elif dialect == "sqlite":
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return counts


def run(scale: float, seed: int, echo) -> Counter:
    """For the command: generate, then print the rows per table and the time taken."""
    started = time.perf_counter()
    counts = generate(scale, seed)
    elapsed = time.perf_counter() - started
    for name in sorted(counts):
        echo(f"  {name:<45} {counts[name]:>9,}")
    echo(f"{sum(counts.values()):,} rows at scale {scale:g} in {elapsed:.1f} s "
         f"({db.engine.dialect.name}).")
    echo(f"Accounts: {ADMIN_EMAIL}, {MODERATOR_EMAIL}, {PARTICIPANT_EMAIL} "
         f"(password: {SYNTH_PASSWORD}, synthetic data only).")
    return counts
