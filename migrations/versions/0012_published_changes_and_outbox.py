"""Changes after publication and a mail outbox that loses nothing

- meeting.cancelled_at / cancel_reason: a published meeting called off by a later change;
- meeting_request.ical_uid: the UID fixed at first publish; requests already published keep
  the UID their invitations carried (karvan-meeting-<id>@karvan), so calendars that hold them
  keep matching;
- outgoing_message.version_id: which publish a message belongs to (filled from the payload).

Revision ID: 0012
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from migrations.helpers import add_columns, drop_columns
from planner.models.base import UTCDateTime

revision = '0012'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    add_columns('meeting', sa.Column('cancelled_at', UTCDateTime(), nullable=True),
                sa.Column('cancel_reason', sa.String(length=30), nullable=True))
    add_columns('meeting_request', sa.Column('ical_uid', sa.String(length=255), nullable=True))
    with op.batch_alter_table('outgoing_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outgoing_message_version_id'), ['version_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outgoing_message_version_id_schedule_version'), 'schedule_version',
                                    ['version_id'], ['id'], ondelete='SET NULL')

    # Existing data: published requests keep the UID their invitations already carry.
    op.execute("UPDATE meeting_request SET ical_uid = 'karvan-meeting-' || id || '@karvan' WHERE ical_sequence >= 0")
    # Messages of a publish name their version in the payload; copy it into the column.
    connection = op.get_bind()
    message = sa.table('outgoing_message', sa.column('id', sa.Integer), sa.column('payload', sa.JSON),
                       sa.column('version_id', sa.Integer))
    versions = {row.id for row in connection.execute(sa.text("SELECT id FROM schedule_version"))}
    for row in connection.execute(sa.select(message.c.id, message.c.payload)).fetchall():
        version_id = (row.payload or {}).get("version_id") if isinstance(row.payload, dict) else None
        if version_id in versions:
            connection.execute(message.update().where(message.c.id == row.id).values(version_id=version_id))


def downgrade():
    with op.batch_alter_table('outgoing_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outgoing_message_version_id_schedule_version'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outgoing_message_version_id'))
        batch_op.drop_column('version_id')
    drop_columns('meeting_request', 'ical_uid')
    drop_columns('meeting', 'cancel_reason', 'cancelled_at')
