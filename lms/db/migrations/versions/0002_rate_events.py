"""rate events: the rate limiter's counts, in the database so every worker shares them

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 08:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket_key', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_events'))
    )
    with op.batch_alter_table('rate_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_events_bucket_key'), ['bucket_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_events_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rate_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_events_at'))
        batch_op.drop_index(batch_op.f('ix_rate_events_bucket_key'))
    op.drop_table('rate_events')
