"""The full-text index of consultations (every translation) and contributions.

Every statement below is a module-level constant: the Alembic migration of this
area runs them (`op.execute`) for the database it is on, after creating the tables,
and runs the DROP statements before dropping the tables. `attach_fulltext` makes
`db.create_all()` (tests, first start) create the same objects.

See `engage.core.search` for why both databases give the same results.
"""

from sqlalchemy import Table

from engage.core import search

CONSULTATION_TRANSLATIONS = "consultation_translations"
CONTRIBUTIONS = "consultation_contributions"
INDEXED_TABLES = (CONSULTATION_TRANSLATIONS, CONTRIBUTIONS)

# SQLite: an FTS5 table per indexed table, kept in sync by triggers.
SQLITE_CONSULTATION_TRANSLATIONS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS consultation_translations_fts USING fts5("
    "search_text, content='consultation_translations', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS consultation_translations_fts_insert AFTER INSERT ON "
    "consultation_translations BEGIN INSERT INTO consultation_translations_fts(rowid, "
    "search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS consultation_translations_fts_delete AFTER DELETE ON "
    "consultation_translations BEGIN INSERT INTO consultation_translations_fts("
    "consultation_translations_fts, rowid, search_text) VALUES ('delete', old.id, "
    "old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS consultation_translations_fts_update AFTER UPDATE OF "
    "search_text ON consultation_translations BEGIN INSERT INTO consultation_translations_fts("
    "consultation_translations_fts, rowid, search_text) VALUES ('delete', old.id, "
    "old.search_text); INSERT INTO consultation_translations_fts(rowid, search_text) VALUES "
    "(new.id, new.search_text); END",
    "INSERT INTO consultation_translations_fts(consultation_translations_fts) "
    "VALUES ('rebuild')",
)
SQLITE_CONTRIBUTIONS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS consultation_contributions_fts USING fts5("
    "search_text, content='consultation_contributions', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS consultation_contributions_fts_insert AFTER INSERT ON "
    "consultation_contributions BEGIN INSERT INTO consultation_contributions_fts(rowid, "
    "search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS consultation_contributions_fts_delete AFTER DELETE ON "
    "consultation_contributions BEGIN INSERT INTO consultation_contributions_fts("
    "consultation_contributions_fts, rowid, search_text) VALUES ('delete', old.id, "
    "old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS consultation_contributions_fts_update AFTER UPDATE OF "
    "search_text ON consultation_contributions BEGIN INSERT INTO consultation_contributions_fts("
    "consultation_contributions_fts, rowid, search_text) VALUES ('delete', old.id, "
    "old.search_text); INSERT INTO consultation_contributions_fts(rowid, search_text) VALUES "
    "(new.id, new.search_text); END",
    "INSERT INTO consultation_contributions_fts(consultation_contributions_fts) "
    "VALUES ('rebuild')",
)
SQLITE_DROP_DDL = (
    "DROP TABLE IF EXISTS consultation_translations_fts",
    "DROP TABLE IF EXISTS consultation_contributions_fts",
)

# PostgreSQL: a GIN index on the tsvector of each indexed table (kept in sync by PostgreSQL).
POSTGRESQL_CONSULTATION_TRANSLATIONS_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_consultation_translations_fulltext ON "
    "consultation_translations USING gin (to_tsvector('simple', search_text))",
)
POSTGRESQL_CONTRIBUTIONS_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_consultation_contributions_fulltext ON "
    "consultation_contributions USING gin (to_tsvector('simple', search_text))",
)
POSTGRESQL_DROP_DDL = (
    "DROP INDEX IF EXISTS ix_consultation_translations_fulltext",
    "DROP INDEX IF EXISTS ix_consultation_contributions_fulltext",
)

# What the migration runs, by dialect: upgrade after creating the tables, downgrade first.
MIGRATION_UPGRADE = {
    "sqlite": SQLITE_CONSULTATION_TRANSLATIONS_DDL + SQLITE_CONTRIBUTIONS_DDL,
    "postgresql": POSTGRESQL_CONSULTATION_TRANSLATIONS_DDL + POSTGRESQL_CONTRIBUTIONS_DDL,
}
MIGRATION_DOWNGRADE = {"sqlite": SQLITE_DROP_DDL, "postgresql": POSTGRESQL_DROP_DDL}


def attach_fulltext(translations: Table, contributions: Table) -> None:
    """Let `db.create_all()` / `db.drop_all()` create and drop the full-text objects."""
    search.attach_ddl(
        translations,
        sqlite=SQLITE_CONSULTATION_TRANSLATIONS_DDL,
        postgresql=POSTGRESQL_CONSULTATION_TRANSLATIONS_DDL,
        sqlite_drop=SQLITE_DROP_DDL[:1],
        postgresql_drop=POSTGRESQL_DROP_DDL[:1],
    )
    search.attach_ddl(
        contributions,
        sqlite=SQLITE_CONTRIBUTIONS_DDL,
        postgresql=POSTGRESQL_CONTRIBUTIONS_DDL,
        sqlite_drop=SQLITE_DROP_DDL[1:],
        postgresql_drop=POSTGRESQL_DROP_DDL[1:],
    )
