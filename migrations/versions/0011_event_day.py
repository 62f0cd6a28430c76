"""event day: attendance per day, outcomes per meeting and side, meetings proposed on the day,
the check-in grace and the closing of feedback (existing outcomes are kept, without a side)

Revision ID: 0011
Revises: 0001
Create Date: 2026-11-30 03:54:12.790295

"""
import sqlalchemy as sa
from alembic import op

from migrations.helpers import add_columns, create_table, drop_columns, reference
from planner.models.base import UTCDateTime

revision = '0011'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    create_table('day_presence',
                 reference('day_presence', 'event_id', 'event', ondelete='CASCADE'),
                 reference('day_presence', 'participant_id', 'participant', ondelete='CASCADE'),
                 sa.Column('day', sa.Date(), nullable=False),
                 sa.Column('status', sa.String(length=10), nullable=False),
                 sa.Column('recorded_at', UTCDateTime(), nullable=False),
                 reference('day_presence', 'recorded_by_id', 'user', nullable=True, ondelete='SET NULL'),
                 sa.UniqueConstraint('event_id', 'participant_id', 'day', name='uq_day_presence_event_person_day'),
                 indexes=['event_id', 'participant_id'])
    add_columns('event', sa.Column('checkin_grace_minutes', sa.Integer(), server_default='15', nullable=False),
                sa.Column('feedback_closed_at', UTCDateTime(), nullable=True))
    add_columns('meeting_request', sa.Column('proposed_on', sa.Date(), nullable=True))

    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('firm_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('updated_at', UTCDateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_outcome_request_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_outcome_firm_id'), ['firm_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_request_id'), ['request_id'], unique=False)
        batch_op.create_unique_constraint('uq_outcome_request_firm', ['request_id', 'firm_id'])
        batch_op.create_foreign_key(batch_op.f('fk_outcome_firm_id_firm'), 'firm', ['firm_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_outcome_participant_id_participant'), 'participant', ['participant_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outcome_participant_id_participant'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_outcome_firm_id_firm'), type_='foreignkey')
        batch_op.drop_constraint('uq_outcome_request_firm', type_='unique')
        batch_op.drop_index(batch_op.f('ix_outcome_request_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_firm_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_outcome_request_id'), ['request_id'])
        batch_op.drop_column('updated_at')
        batch_op.drop_column('source')
        batch_op.drop_column('participant_id')
        batch_op.drop_column('firm_id')
    drop_columns('meeting_request', 'proposed_on')
    drop_columns('event', 'feedback_closed_at', 'checkin_grace_minutes')
    op.drop_table('day_presence')
