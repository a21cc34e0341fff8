"""notifications: what happened that concerns a person, how they want to hear of it, the
digests sent and their visits to My space

Issue 16, item 1. `notifications` hold a kind and ids (never a text: it is worded when
shown, in the reader's language), `notification_preferences` the deliveries chosen (no row:
the kind's default), `notification_digests` one row per person, period and day or week (the
digest command can run again), `space_visits` the start of the person's last visits.

Revision ID: 0014_notifications
Revises: 0013_sign_in_sessions
Create Date: 2026-12-05 22:13:17

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_notifications'
down_revision = '0013_sign_in_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint("period IN ('daily', 'weekly')", name=op.f('ck_notification_digests_period_allowed')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_digests')),
    sa.UniqueConstraint('user_id', 'period', 'period_start', name='uq_notification_digests_user_period')
    )
    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('delivery', sa.String(length=10), nullable=False),
    sa.CheckConstraint("delivery IN ('app', 'email', 'daily', 'weekly')", name=op.f('ck_notification_preferences_delivery_allowed')),
    sa.CheckConstraint("kind IN ('reply', 'moderation', 'consultation_opened', 'consultation_closing', 'summary_published', 'cited', 'priority_results', 'review_assigned', 'review_due')", name=op.f('ck_notification_preferences_kind_allowed')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name='uq_notification_preferences_user_kind')
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('reply', 'moderation', 'consultation_opened', 'consultation_closing', 'summary_published', 'cited', 'priority_results', 'review_assigned', 'review_due')", name=op.f('ck_notifications_kind_allowed')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_unread', ['user_id'], unique=False, postgresql_where=sa.text('read_at IS NULL'), sqlite_where=sa.text('read_at IS NULL'))
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at', 'id'], unique=False)

    op.create_table('space_visits',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('previous_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_space_visits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_space_visits'))
    )


def downgrade():
    op.drop_table('space_visits')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_created')
        batch_op.drop_index('ix_notifications_unread', postgresql_where=sa.text('read_at IS NULL'), sqlite_where=sa.text('read_at IS NULL'))

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
    op.drop_table('notification_digests')
