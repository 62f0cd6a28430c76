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

from migrations.helpers import add_columns, create_table, drop_columns, reference
from planner.models.base import UTCDateTime

revision = '0014_forms'
down_revision = "0013b"
branch_labels = None
depends_on = None


def upgrade():
    create_table('deleted_setup_item',
                 reference('deleted_setup_item', 'event_id', 'event', ondelete='CASCADE'),
                 sa.Column('kind', sa.String(length=20), nullable=False),
                 sa.Column('payload', sa.JSON(), nullable=False),
                 sa.Column('deleted_at', UTCDateTime(), nullable=False),
                 reference('deleted_setup_item', 'deleted_by_id', 'user', nullable=True, ondelete='SET NULL'),
                 sa.Column('restored_at', UTCDateTime(), nullable=True),
                 indexes=['event_id'])
    add_columns('slot', sa.Column('retired_at', UTCDateTime(), nullable=True))


def downgrade():
    drop_columns('slot', 'retired_at')
    op.drop_table('deleted_setup_item')
