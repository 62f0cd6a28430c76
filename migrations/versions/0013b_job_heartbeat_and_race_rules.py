"""solve job heartbeat; one live request per pair held by the database; confirmed e-mails

A running solve writes `heartbeat_at`; one silent too long is marked interrupted.
`meeting_request.live_pair` ("low-high" while pending or accepted, else NULL) carries a unique
constraint per event, so two firms requesting each other at once get one live request. Existing
data: the oldest live request of a pair takes the key; a later duplicate (made by the race this
closes) keeps its row and status, without the key.

`user.email_confirmed_at`: accounts from before count as confirmed (their creation time).

Revision ID: 0013b
Revises: 0010b
"""
import sqlalchemy as sa
from alembic import op

from migrations.helpers import add_columns, drop_columns
from planner.models.base import UTCDateTime

revision = '0013b'
down_revision = '0010b'
branch_labels = None
depends_on = None


def upgrade():
    add_columns('solve_job', sa.Column('heartbeat_at', UTCDateTime(), nullable=True))
    add_columns('meeting_request', sa.Column('live_pair', sa.String(length=41), nullable=True))
    add_columns('user', sa.Column('email_confirmed_at', UTCDateTime(), nullable=True))
    users = sa.table('user', sa.column('created_at', UTCDateTime()), sa.column('email_confirmed_at', UTCDateTime()))
    op.execute(users.update().values(email_confirmed_at=users.c.created_at))

    connection = op.get_bind()
    requests = sa.table('meeting_request', sa.column('id', sa.Integer), sa.column('event_id', sa.Integer),
                        sa.column('requester_firm_id', sa.Integer), sa.column('target_firm_id', sa.Integer),
                        sa.column('status', sa.String), sa.column('live_pair', sa.String))
    taken = set()
    rows = connection.execute(sa.select(requests.c.id, requests.c.event_id, requests.c.requester_firm_id,
                                        requests.c.target_firm_id)
                              .where(requests.c.status.in_(('pending', 'accepted'))).order_by(requests.c.id)).all()
    for row in rows:
        low, high = sorted((row.requester_firm_id, row.target_firm_id))
        key = f"{low}-{high}"
        if (row.event_id, key) in taken:
            continue
        taken.add((row.event_id, key))
        connection.execute(requests.update().where(requests.c.id == row.id).values(live_pair=key))

    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_meeting_request_live_pair'), ['event_id', 'live_pair'])


def downgrade():
    drop_columns('user', 'email_confirmed_at')
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_meeting_request_live_pair'), type_='unique')
        batch_op.drop_column('live_pair')
    drop_columns('solve_job', 'heartbeat_at')
