"""privacy columns: consent withdrawal, deletion, inactivity warning

Revision ID: 0003_privacy
Revises: 0002_reports
Create Date: 2026-11-30 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_privacy'
down_revision = '0002_reports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('inactivity_warning_sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('inactivity_warning_sent_at')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('consent_withdrawn_at')
