"""accountability notifications: the kinds that tell people what the network did with what
they said (issue 19, item 4)

`notifications.kind` and `notification_preferences.kind` accept five more kinds:
'commitment_response' (a commitment answers your cited words), 'commitment_status' (it, or
one you follow, changes status), 'priority_taken_up' (a funding call takes up a priority you
ranked), 'position_cited' (a commitment answers your association's position) and
'followed_update' (news of a commitment or a funded project you follow). Their CHECKs are
replaced, in a batch so that SQLite copies the tables. Going back deletes the notifications
and preferences of these kinds first (a preference row only ever held a choice).

Revision ID: 0020_accountability_notices
Revises: 0019_newsletter
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_accountability_notices'
down_revision = '0019_newsletter'
branch_labels = None
depends_on = None

KINDS_BEFORE = ('reply', 'moderation', 'consultation_opened', 'consultation_closing',
                'summary_published', 'cited', 'priority_results', 'review_assigned',
                'review_due')
KINDS_ADDED = ('commitment_response', 'commitment_status', 'priority_taken_up',
               'position_cited', 'followed_update')
TABLES = ('notifications', 'notification_preferences')


def _allowed(kinds) -> str:
    return "kind IN ({})".format(", ".join(f"'{kind}'" for kind in kinds))


def _kind_check(table, kinds):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'ck_{table}_kind_allowed'), type_='check')
        batch_op.create_check_constraint(batch_op.f(f'ck_{table}_kind_allowed'),
                                         _allowed(kinds))


def upgrade():
    for table in TABLES:
        _kind_check(table, KINDS_BEFORE + KINDS_ADDED)


def downgrade():
    for table in TABLES:
        kinds = sa.table(table, sa.column('kind'))
        op.execute(kinds.delete().where(kinds.c.kind.in_(KINDS_ADDED)))
        _kind_check(table, KINDS_BEFORE)
