"""performance indexes: the lists of a consultation's contributions and the moderation queue

Hand-written (issue 8). The consultation page lists a consultation's top-level
contributions newest or most supported first, twenty at a time: the two partial indexes
give them in that order, so that PostgreSQL reads twenty rows instead of sorting
thousands; search results, newest first, come from an index on the date. The deleted
contributions (kept in the list while they carry replies) are few: a partial index finds
them without reading the others. The moderation queue lists what
is pending or reported: a partial index holds those rows. (The same queue indexes of
priority submissions and comments are created by 0007_priorities.)

PostgreSQL: JIT compilation is turned off for this database. It starts above a cost that
counts over a large table reach, and then spends 300–400 ms compiling a query that runs
in 100 ms (measured on the synthetic data at scale 1): a loss for short web queries.
Where the migration's role may not change the database's settings, it says so and goes on.

Revision ID: 0010_performance_indexes
Revises: 0007_priorities
Create Date: 2026-11-30 11:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_performance_indexes"
down_revision = '0007_priorities'
branch_labels = None
depends_on = None

TABLE = "consultation_contributions"
TOP_LEVEL = "parent_id IS NULL"
DELETED = "deleted_at IS NOT NULL"
IN_QUEUE = "moderation_status = 'pending' OR open_report_count > 0"


def _where(condition: str) -> dict:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


JIT_OFF = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'not allowed to turn JIT off for this database: do it as its owner';
END
$$
"""
JIT_RESET = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'not allowed to reset JIT for this database';
END
$$
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(JIT_OFF)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index("ix_consultation_contributions_newest",
                              ["consultation_id", "created_at", "id"], unique=False,
                              **_where(TOP_LEVEL))
        batch_op.create_index("ix_consultation_contributions_supported",
                              ["consultation_id", "support_count", "created_at", "id"],
                              unique=False, **_where(TOP_LEVEL))
        batch_op.create_index("ix_consultation_contributions_created", ["created_at", "id"],
                              unique=False)
        batch_op.create_index("ix_consultation_contributions_deleted", ["consultation_id"],
                              unique=False, **_where(DELETED))
        batch_op.create_index("ix_consultation_contributions_queue",
                              ["open_report_count", "created_at"], unique=False,
                              **_where(IN_QUEUE))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(JIT_RESET)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_consultation_contributions_queue", **_where(IN_QUEUE))
        batch_op.drop_index("ix_consultation_contributions_deleted", **_where(DELETED))
        batch_op.drop_index("ix_consultation_contributions_created")
        batch_op.drop_index("ix_consultation_contributions_supported", **_where(TOP_LEVEL))
        batch_op.drop_index("ix_consultation_contributions_newest", **_where(TOP_LEVEL))
