"""newsletter: its subscribers and issues (issue 19); extra headers of outbox messages

`newsletter_subscribers` hold an address (unique), its language, the secret of its signed
links and when it was confirmed (double opt-in); an unsubscribed address is deleted.
`newsletter_issues` hold each issue sent: its number and day (both unique: the command run
again, or twice at once, sends nothing more), the period it covers and the ids of what it
lists (JSON). `outbox_messages.headers` (JSON, optional) carries extra headers of a message:
the newsletter's `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058).

Revision ID: 0019_newsletter
Revises: 0018_accountability
Create Date: 2026-12-08 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_newsletter'
down_revision = '0018_accountability'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('newsletter_subscribers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('secret', sa.String(length=32), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_subscribers')),
    sa.UniqueConstraint('email', name=op.f('uq_newsletter_subscribers_email'))
    )
    with op.batch_alter_table('newsletter_subscribers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newsletter_subscribers_confirmed_at'), ['confirmed_at'], unique=False)

    op.create_table('newsletter_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_issues')),
    sa.UniqueConstraint('issued_on', name='uq_newsletter_issues_issued_on'),
    sa.UniqueConstraint('number', name='uq_newsletter_issues_number')
    )
    with op.batch_alter_table('newsletter_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newsletter_issues_period_end'), ['period_end'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('headers')

    with op.batch_alter_table('newsletter_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newsletter_issues_period_end'))

    op.drop_table('newsletter_issues')
    with op.batch_alter_table('newsletter_subscribers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newsletter_subscribers_confirmed_at'))

    op.drop_table('newsletter_subscribers')
