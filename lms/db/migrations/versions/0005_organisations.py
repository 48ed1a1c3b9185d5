"""organisations and countries, extra quiz attempts, certificate completion dates and events

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 04:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_country'), ['country'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        # Not batch mode: it would copy `users` and drop the old table, and with foreign keys on,
        # dropping it deletes every learner's records through ON DELETE CASCADE. SQLite adds a
        # nullable column with its REFERENCES clause in place.
        op.execute('ALTER TABLE users ADD COLUMN organisation_id INTEGER '
                   'REFERENCES organisations (id) ON DELETE SET NULL')
    else:
        op.add_column('users', sa.Column('organisation_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_users_organisation_id_organisations'), 'users', 'organisations',
                              ['organisation_id'], ['id'], ondelete='SET NULL')
    op.create_index(op.f('ix_users_organisation_id'), 'users', ['organisation_id'], unique=False)

    op.create_table('extra_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=100), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_extra_attempts_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_extra_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_attempts'))
    )
    with op.batch_alter_table('extra_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extra_attempts_user_id'), ['user_id'], unique=False)

    op.create_table('certificate_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_certificate_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_events_certificate_id_certificates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_events'))
    )
    with op.batch_alter_table('certificate_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_events_certificate_id'), ['certificate_id'], unique=False)

    op.add_column('certificates', sa.Column('completed_at', sa.DateTime(), nullable=True))  # in place, no table copy
    _backfill_completion_dates()


def _backfill_completion_dates() -> None:
    """A first certificate was issued at the completion time; a replacement inherits its predecessor's date."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, issued_at, superseded_by_id FROM certificates")).all()
    predecessor = {new: old for old, _at, new in rows if new is not None}
    issued = {cid: at for cid, at, _new in rows}
    for cid in issued:
        root = cid
        seen = {root}
        while root in predecessor and predecessor[root] not in seen:
            root = predecessor[root]
            seen.add(root)
        bind.execute(sa.text("UPDATE certificates SET completed_at = :at WHERE id = :id"), {"at": issued[root], "id": cid})


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite cannot drop a column that holds a foreign key, and rebuilding `users` with foreign
        # keys on would delete every learner's records (see upgrade). Refuse before changing anything.
        raise RuntimeError("0003 cannot be undone on SQLite without losing records: restore the copy of the "
                           "database file taken before upgrading")
    op.drop_index(op.f('ix_certificate_events_certificate_id'), table_name='certificate_events')
    op.drop_table('certificate_events')
    op.drop_column('certificates', 'completed_at')
    op.drop_index(op.f('ix_extra_attempts_user_id'), table_name='extra_attempts')
    op.drop_table('extra_attempts')
    op.drop_index(op.f('ix_users_organisation_id'), table_name='users')
    op.drop_constraint(op.f('fk_users_organisation_id_organisations'), 'users', type_='foreignkey')
    op.drop_column('users', 'organisation_id')
    op.drop_index(op.f('ix_organisations_country'), table_name='organisations')
    op.drop_table('organisations')
