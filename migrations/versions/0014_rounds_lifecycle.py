"""rounds have a life cycle: a registration deadline, approval of firms, archiving; reminders

`event.registration_deadline_dt` (UTC; firms join and send requests until then),
`event.approve_firms` (firms that join wait for an organiser), `event.archived_at`.
`event_registration.status` ("approved", "pending", "refused"; every existing registration is
approved, so the demo and every round keep their firms) and `decided_at`.
`reminder_batch`: one row per confirmed send of reminders, its preview's token unique (a
repeated confirm sends nothing twice).

Revision ID: 0014_rounds
Revises: 0014_eventday
"""
import sqlalchemy as sa
from alembic import op

from planner.models.base import UTCDateTime

revision = '0014_rounds'
down_revision = '0014_eventday'  # written on 0013b; chained after 0014_forms, then 0014_eventday, at the merges
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_deadline_dt', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('approve_firms', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('archived_at', UTCDateTime(), nullable=True))
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='approved', nullable=False))
        batch_op.add_column(sa.Column('decided_at', UTCDateTime(), nullable=True))
    op.create_table(
        'reminder_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('messages', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_reminder_batch_created_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_reminder_batch_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_batch')),
        sa.UniqueConstraint('token', name=op.f('uq_reminder_batch_token')),
    )
    with op.batch_alter_table('reminder_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_batch_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reminder_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_batch_event_id'))
    op.drop_table('reminder_batch')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_column('decided_at')
        batch_op.drop_column('status')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('approve_firms')
        batch_op.drop_column('registration_deadline_dt')
