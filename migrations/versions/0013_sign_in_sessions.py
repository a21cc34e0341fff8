"""sign-in sessions: one row per signed-in browser, deleted when it signs out

Issue 15: the session and "remember me" cookies name a row of this table, so that signing
out ends the session on the server too. Sessions opened before this migration carried
"<user id>:<version>" and are no longer accepted: everyone signs in again once.

Revision ID: 0013_sign_in_sessions
Revises: 0012_kept_drafts
Create Date: 2026-12-05 21:25:32

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_sign_in_sessions'
down_revision = '0012_kept_drafts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_sessions',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_sessions'))
    )
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_sessions_user_id'))
    op.drop_table('sign_in_sessions')
