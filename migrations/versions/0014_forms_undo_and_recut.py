"""deletions on the setup page can be undone; a change of slot length re-cuts sessions

`deleted_setup_item` keeps what a deletion removed (rows, ids and links) until it is undone or
no longer can be (`planner.events.undo`). `slot.retired_at` marks a slot a re-cut took out of its
session while meetings (called off, or in earlier versions) still name it
(`planner.scheduling.recut`).

Revision ID: 0014_forms
Revises: 0013b
"""
import sqlalchemy as sa
from alembic import op

import planner.models.base

revision = '0014_forms'
down_revision = "0013b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deleted_setup_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('deleted_at', planner.models.base.UTCDateTime(), nullable=False),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('restored_at', planner.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_deleted_setup_item_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user.id'], name=op.f('fk_deleted_setup_item_deleted_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deleted_setup_item'))
    )
    with op.batch_alter_table('deleted_setup_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deleted_setup_item_event_id'), ['event_id'], unique=False)
    with op.batch_alter_table('slot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', planner.models.base.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('slot', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
    with op.batch_alter_table('deleted_setup_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deleted_setup_item_event_id'))
    op.drop_table('deleted_setup_item')
