"""kept drafts: forms posted after the session ended

Revision ID: 0012_kept_drafts
Revises: 0011_thread_indexes
Create Date: 2026-12-05 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_kept_drafts'
down_revision = '0011_thread_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=2000), nullable=False),
    sa.Column('back', sa.String(length=2000), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kept_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_drafts')),
    sa.UniqueConstraint('key', name=op.f('uq_kept_drafts_key'))
    )
    with op.batch_alter_table('kept_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_drafts_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_drafts_user_id'))
    op.drop_table('kept_drafts')
