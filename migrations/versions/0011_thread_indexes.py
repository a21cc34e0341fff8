"""thread indexes: association positions and the replies of a contribution, in page order

Hand-written (issue 8). A consultation page lists the association positions (a few per
consultation) newest first, and a contribution's page its replies oldest first: partial
indexes give both in that order, so that PostgreSQL reads the rows it shows instead of
sorting every contribution of the consultation.

Revision ID: 0011_thread_indexes
Revises: 0010_performance_indexes
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_thread_indexes"
down_revision = "0010_performance_indexes"
branch_labels = None
depends_on = None

TABLE = "consultation_contributions"
POSITION = "parent_id IS NULL AND association_id IS NOT NULL"
REPLY = "parent_id IS NOT NULL"


def _where(condition: str) -> dict:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index("ix_consultation_contributions_positions",
                              ["consultation_id", "created_at", "id"], unique=False,
                              **_where(POSITION))
        batch_op.create_index("ix_consultation_contributions_replies",
                              ["parent_id", "created_at", "id"], unique=False, **_where(REPLY))


def downgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_consultation_contributions_replies", **_where(REPLY))
        batch_op.drop_index("ix_consultation_contributions_positions", **_where(POSITION))
