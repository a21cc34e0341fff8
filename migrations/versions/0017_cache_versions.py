"""version counters of what pages show (issue 18, item 1)

`cache_versions` holds one counter per scope (a consultation, an exercise, a funding call,
a person, a site-wide list): engage.core.versions bumps them in the transaction that
writes, and the page cache and the aggregate cache key their entries by them. A missing row
reads as version 0; rows are created by the first write to their scope.

Revision ID: 0017_cache_versions
Revises: 0016_association_accreditation
Create Date: 2026-12-06 04:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_cache_versions'
down_revision = '0016_association_accreditation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cache_versions',
        sa.Column('scope', sa.String(length=60), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_cache_versions')),
    )


def downgrade():
    op.drop_table('cache_versions')
