"""people management: account states and invitations (issue 17, item 5)

Administrators invite people and deactivate accounts. `users` gains `invited_at` (an
invited account waits for its owner, who gives their consent on accepting: so
`privacy_consent_at` may be empty until then), `deactivated_at` and `deactivated_reason`.
`account_audit_log` keeps the administrators' decisions about accounts (invitations, role
changes with their reason, deactivations), an audit log of the accounts' own.

Downgrading removes the invitations never accepted (accounts nobody ever used, whose
`privacy_consent_at` cannot be filled), then the columns and the table.

Revision ID: 0015_people_management
Revises: 0014_notifications
Create Date: 2026-12-06 00:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_people_management'
down_revision = '0014_notifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deactivated_reason', sa.Text(), nullable=True))
        batch_op.alter_column('privacy_consent_at', existing_type=sa.DateTime(timezone=True),
                              nullable=True)

    op.create_table('account_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('role_before', sa.String(length=20), nullable=True),
    sa.Column('role_after', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint("action IN ('invite', 'resend_invitation', 'accept_invitation', 'change_role', 'deactivate', 'reactivate', 'resend_confirmation')", name=op.f('ck_account_audit_log_action_allowed')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_account_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_audit_log_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_audit_log'))
    )
    with op.batch_alter_table('account_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_audit_log_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_audit_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_account_audit_log_actor_id'))

    op.drop_table('account_audit_log')
    # Invitations never accepted: nobody used these accounts, and they have no consent date.
    op.execute("DELETE FROM users WHERE privacy_consent_at IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('privacy_consent_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.drop_column('deactivated_reason')
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('invited_at')
