"""idempotency: a digest on pilot log entries and comments, so a resent form adds nothing

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 04:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('pilot_log_entries', 'comments'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_digest'), ['digest'])


def downgrade() -> None:
    for table in ('comments', 'pilot_log_entries'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_digest'), type_='unique')
            batch_op.drop_column('digest')
