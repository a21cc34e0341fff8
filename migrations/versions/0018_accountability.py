"""accountability: the network's responses, commitments, calls' links and funded projects
(issue 19, foundation); the network officer role

`accountability_responses` answer one published summary or one exercise's published results
(CHECK: exactly one); `accountability_commitments` hold the owner, status (CHECK), dates and,
per language, the reason a commitment is not retained (CHECK: required then; "done" needs
`done_on`), their texts in `accountability_commitment_translations`, the contributions they
cite and the research priorities they answer in two link tables. Dated updates of
commitments and funded projects have their texts per language, their links (JSON) and PDF
documents (`accountability_documents`). `accountability_call_links` say which priorities or
commitments a funding call answers; `accountability_funded_projects` are the public side of
funded applications (no review content), with lay review's aggregate figures (CHECK: no count
from 1 to 4 people). `accountability_follows` are people's follows; `accountability_audit_log`
records every change of the network's record.

`users.role` accepts 'officer' (network officer, between moderator and administrator): its
CHECK is replaced, in a batch so that SQLite copies the table.

Revision ID: 0018_accountability
Revises: 0017_cache_versions
Create Date: 2026-12-06 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_accountability'
down_revision = '0017_cache_versions'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('participant', 'representative', 'moderator', 'admin')"
ROLES_AFTER = "role IN ('participant', 'representative', 'moderator', 'officer', 'admin')"


def _role_check(allowed):
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role_allowed'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_role_allowed'), allowed)


def upgrade():
    _role_check(ROLES_AFTER)

    op.create_table('accountability_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('target_type', sa.String(length=30), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.CheckConstraint("action IN ('response_start', 'response_discard', 'response_publish', 'commitment_add', 'commitment_edit', 'commitment_remove', 'commitment_update', 'commitment_correct', 'call_link', 'call_unlink', 'project_create', 'project_edit', 'project_publish', 'project_update')", name=op.f('ck_accountability_audit_log_action_allowed')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_accountability_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_audit_log'))
    )
    with op.batch_alter_table('accountability_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountability_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_accountability_audit_log_target', ['target_type', 'target_id'], unique=False)

    op.create_table('accountability_funded_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('institution', sa.String(length=300), nullable=False),
    sa.Column('lay_reviewer_count', sa.Integer(), nullable=True),
    sa.Column('lay_review_rounds', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('lay_review_rounds >= 0', name=op.f('ck_accountability_funded_projects_lay_review_rounds_positive')),
    sa.CheckConstraint('lay_reviewer_count IS NULL OR lay_reviewer_count = 0 OR lay_reviewer_count >= 5', name=op.f('ck_accountability_funded_projects_lay_reviewers_publishable')),
    sa.ForeignKeyConstraint(['application_id'], ['review_applications.id'], name=op.f('fk_accountability_funded_projects_application_id_review_applications')),
    sa.ForeignKeyConstraint(['call_id'], ['funding_calls.id'], name=op.f('fk_accountability_funded_projects_call_id_funding_calls')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_accountability_funded_projects_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_funded_projects')),
    sa.UniqueConstraint('application_id', name=op.f('uq_accountability_funded_projects_application_id'))
    )
    with op.batch_alter_table('accountability_funded_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_funded_projects_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountability_funded_projects_published_at'), ['published_at'], unique=False)

    op.create_table('accountability_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary_id', sa.Integer(), nullable=True),
    sa.Column('exercise_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(summary_id IS NOT NULL AND exercise_id IS NULL) OR (summary_id IS NULL AND exercise_id IS NOT NULL)', name=op.f('ck_accountability_responses_one_target')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_accountability_responses_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['exercise_id'], ['priority_exercises.id'], name=op.f('fk_accountability_responses_exercise_id_priority_exercises')),
    sa.ForeignKeyConstraint(['summary_id'], ['summaries.id'], name=op.f('fk_accountability_responses_summary_id_summaries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_responses')),
    sa.UniqueConstraint('exercise_id', name=op.f('uq_accountability_responses_exercise_id')),
    sa.UniqueConstraint('summary_id', name=op.f('uq_accountability_responses_summary_id'))
    )
    with op.batch_alter_table('accountability_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_responses_published_at'), ['published_at'], unique=False)

    op.create_table('accountability_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason_fr', sa.Text(), nullable=False),
    sa.Column('reason_en', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'done' OR done_on IS NOT NULL", name=op.f('ck_accountability_commitments_done_on_when_done')),
    sa.CheckConstraint("status <> 'not_retained' OR length(trim(reason_fr)) > 0 OR length(trim(reason_en)) > 0", name=op.f('ck_accountability_commitments_reason_when_not_retained')),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'not_retained')", name=op.f('ck_accountability_commitments_status_allowed')),
    sa.CheckConstraint('starts_on IS NULL OR due_on IS NULL OR due_on >= starts_on', name=op.f('ck_accountability_commitments_dates_in_order')),
    sa.ForeignKeyConstraint(['response_id'], ['accountability_responses.id'], name=op.f('fk_accountability_commitments_response_id_accountability_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_commitments'))
    )
    with op.batch_alter_table('accountability_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_commitments_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountability_commitments_status'), ['status'], unique=False)

    op.create_table('accountability_funded_project_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('lay_summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['accountability_funded_projects.id'], name=op.f('fk_accountability_funded_project_translations_project_id_accountability_funded_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_funded_project_translations')),
    sa.UniqueConstraint('project_id', 'language', name='uq_accountability_funded_project_translations_language')
    )
    with op.batch_alter_table('accountability_funded_project_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_funded_project_translations_project_id'), ['project_id'], unique=False)

    op.create_table('accountability_project_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('started', 'progress', 'results', 'publication', 'correction')", name=op.f('ck_accountability_project_updates_kind_allowed')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_accountability_project_updates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['accountability_funded_projects.id'], name=op.f('fk_accountability_project_updates_project_id_accountability_funded_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_project_updates'))
    )
    with op.batch_alter_table('accountability_project_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_project_updates_project_id'), ['project_id'], unique=False)

    op.create_table('accountability_call_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(question_id IS NOT NULL AND commitment_id IS NULL) OR (question_id IS NULL AND commitment_id IS NOT NULL)', name=op.f('ck_accountability_call_links_one_target')),
    sa.ForeignKeyConstraint(['call_id'], ['funding_calls.id'], name=op.f('fk_accountability_call_links_call_id_funding_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commitment_id'], ['accountability_commitments.id'], name=op.f('fk_accountability_call_links_commitment_id_accountability_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_accountability_call_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['priority_questions.id'], name=op.f('fk_accountability_call_links_question_id_priority_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_call_links')),
    sa.UniqueConstraint('call_id', 'commitment_id', name='uq_accountability_call_links_commitment'),
    sa.UniqueConstraint('call_id', 'question_id', name='uq_accountability_call_links_question')
    )
    with op.batch_alter_table('accountability_call_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_call_links_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountability_call_links_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountability_call_links_question_id'), ['question_id'], unique=False)

    op.create_table('accountability_commitment_citations',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['accountability_commitments.id'], name=op.f('fk_accountability_commitment_citations_commitment_id_accountability_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contribution_id'], ['consultation_contributions.id'], name=op.f('fk_accountability_commitment_citations_contribution_id_consultation_contributions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id', 'contribution_id', name=op.f('pk_accountability_commitment_citations'))
    )
    with op.batch_alter_table('accountability_commitment_citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_commitment_citations_contribution_id'), ['contribution_id'], unique=False)

    op.create_table('accountability_commitment_questions',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['accountability_commitments.id'], name=op.f('fk_accountability_commitment_questions_commitment_id_accountability_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['priority_questions.id'], name=op.f('fk_accountability_commitment_questions_question_id_priority_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id', 'question_id', name=op.f('pk_accountability_commitment_questions'))
    )
    with op.batch_alter_table('accountability_commitment_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_commitment_questions_question_id'), ['question_id'], unique=False)

    op.create_table('accountability_commitment_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['accountability_commitments.id'], name=op.f('fk_accountability_commitment_translations_commitment_id_accountability_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_commitment_translations')),
    sa.UniqueConstraint('commitment_id', 'language', name='uq_accountability_commitment_translations_language')
    )
    with op.batch_alter_table('accountability_commitment_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_commitment_translations_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('accountability_commitment_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('progress', 'correction')", name=op.f('ck_accountability_commitment_updates_kind_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'not_retained')", name=op.f('ck_accountability_commitment_updates_status_allowed')),
    sa.ForeignKeyConstraint(['commitment_id'], ['accountability_commitments.id'], name=op.f('fk_accountability_commitment_updates_commitment_id_accountability_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_accountability_commitment_updates_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_commitment_updates'))
    )
    with op.batch_alter_table('accountability_commitment_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_commitment_updates_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('accountability_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(commitment_id IS NOT NULL AND project_id IS NULL) OR (commitment_id IS NULL AND project_id IS NOT NULL)', name=op.f('ck_accountability_follows_one_target')),
    sa.ForeignKeyConstraint(['commitment_id'], ['accountability_commitments.id'], name=op.f('fk_accountability_follows_commitment_id_accountability_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['accountability_funded_projects.id'], name=op.f('fk_accountability_follows_project_id_accountability_funded_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_accountability_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_follows')),
    sa.UniqueConstraint('user_id', 'commitment_id', name='uq_accountability_follows_commitment'),
    sa.UniqueConstraint('user_id', 'project_id', name='uq_accountability_follows_project')
    )
    with op.batch_alter_table('accountability_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_follows_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountability_follows_project_id'), ['project_id'], unique=False)

    op.create_table('accountability_project_update_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['accountability_project_updates.id'], name=op.f('fk_accountability_project_update_translations_update_id_accountability_project_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_project_update_translations')),
    sa.UniqueConstraint('update_id', 'language', name='uq_accountability_project_update_translations_language')
    )
    with op.batch_alter_table('accountability_project_update_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_project_update_translations_update_id'), ['update_id'], unique=False)

    op.create_table('accountability_commitment_update_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['accountability_commitment_updates.id'], name=op.f('fk_accountability_commitment_update_translations_update_id_accountability_commitment_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_commitment_update_translations')),
    sa.UniqueConstraint('update_id', 'language', name='uq_accountability_commitment_update_translations_language')
    )
    with op.batch_alter_table('accountability_commitment_update_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_commitment_update_translations_update_id'), ['update_id'], unique=False)

    op.create_table('accountability_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_update_id', sa.Integer(), nullable=True),
    sa.Column('project_update_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(commitment_update_id IS NOT NULL AND project_update_id IS NULL) OR (commitment_update_id IS NULL AND project_update_id IS NOT NULL)', name=op.f('ck_accountability_documents_one_update')),
    sa.ForeignKeyConstraint(['commitment_update_id'], ['accountability_commitment_updates.id'], name=op.f('fk_accountability_documents_commitment_update_id_accountability_commitment_updates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_update_id'], ['accountability_project_updates.id'], name=op.f('fk_accountability_documents_project_update_id_accountability_project_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_accountability_documents_stored_name'))
    )
    with op.batch_alter_table('accountability_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_documents_commitment_update_id'), ['commitment_update_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountability_documents_project_update_id'), ['project_update_id'], unique=False)



def downgrade():
    with op.batch_alter_table('accountability_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_documents_project_update_id'))
        batch_op.drop_index(batch_op.f('ix_accountability_documents_commitment_update_id'))

    op.drop_table('accountability_documents')
    with op.batch_alter_table('accountability_commitment_update_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_commitment_update_translations_update_id'))

    op.drop_table('accountability_commitment_update_translations')
    with op.batch_alter_table('accountability_project_update_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_project_update_translations_update_id'))

    op.drop_table('accountability_project_update_translations')
    with op.batch_alter_table('accountability_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_follows_project_id'))
        batch_op.drop_index(batch_op.f('ix_accountability_follows_commitment_id'))

    op.drop_table('accountability_follows')
    with op.batch_alter_table('accountability_commitment_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_commitment_updates_commitment_id'))

    op.drop_table('accountability_commitment_updates')
    with op.batch_alter_table('accountability_commitment_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_commitment_translations_commitment_id'))

    op.drop_table('accountability_commitment_translations')
    with op.batch_alter_table('accountability_commitment_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_commitment_questions_question_id'))

    op.drop_table('accountability_commitment_questions')
    with op.batch_alter_table('accountability_commitment_citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_commitment_citations_contribution_id'))

    op.drop_table('accountability_commitment_citations')
    with op.batch_alter_table('accountability_call_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_call_links_question_id'))
        batch_op.drop_index(batch_op.f('ix_accountability_call_links_commitment_id'))
        batch_op.drop_index(batch_op.f('ix_accountability_call_links_call_id'))

    op.drop_table('accountability_call_links')
    with op.batch_alter_table('accountability_project_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_project_updates_project_id'))

    op.drop_table('accountability_project_updates')
    with op.batch_alter_table('accountability_funded_project_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_funded_project_translations_project_id'))

    op.drop_table('accountability_funded_project_translations')
    with op.batch_alter_table('accountability_commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_commitments_status'))
        batch_op.drop_index(batch_op.f('ix_accountability_commitments_response_id'))

    op.drop_table('accountability_commitments')
    with op.batch_alter_table('accountability_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_responses_published_at'))

    op.drop_table('accountability_responses')
    with op.batch_alter_table('accountability_funded_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_funded_projects_published_at'))
        batch_op.drop_index(batch_op.f('ix_accountability_funded_projects_call_id'))

    op.drop_table('accountability_funded_projects')
    with op.batch_alter_table('accountability_audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_accountability_audit_log_target')
        batch_op.drop_index(batch_op.f('ix_accountability_audit_log_created_at'))
        batch_op.drop_index(batch_op.f('ix_accountability_audit_log_actor_id'))

    op.drop_table('accountability_audit_log')
    # Officers become moderators again, the role below.
    op.execute("UPDATE users SET role = 'moderator' WHERE role = 'officer'")
    _role_check(ROLES_BEFORE)
