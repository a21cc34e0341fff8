"""association accreditation and representation decisions (issue 17, item 6)

`associations` get the number and the date of their approval (the ministerial order or the
regional health agency's decision) and who recorded the accreditation last, and when: a
staff action, kept like `memberships.decided_by_id` when that account is deleted (the
user row stays, without a name; the key is set to NULL only if the row itself goes).
Associations accredited before this revision have neither number nor date: the admin list
says so, and the next save asks for them. `memberships` get the moderator's message sent
with the decision (required to decline), empty for the decisions taken before.

Revision ID: 0016_association_accreditation
Revises: 0015_people_management
Create Date: 2026-12-06 01:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_association_accreditation'
down_revision = '0015_people_management'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accreditation_number', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('accredited_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('accreditation_set_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('accreditation_set_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_associations_accreditation_set_by_id_users'), 'users', ['accreditation_set_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_message', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('decision_message')

    with op.batch_alter_table('associations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_associations_accreditation_set_by_id_users'), type_='foreignkey')
        batch_op.drop_column('accreditation_set_at')
        batch_op.drop_column('accreditation_set_by_id')
        batch_op.drop_column('accredited_on')
        batch_op.drop_column('accreditation_number')
