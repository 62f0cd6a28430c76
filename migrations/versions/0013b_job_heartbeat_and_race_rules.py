"""solve job heartbeat

A running solve writes `heartbeat_at`; one silent too long is marked interrupted.

Revision ID: 0013b
Revises: 0010b
"""
import sqlalchemy as sa
from alembic import op

from planner.models.base import UTCDateTime

revision = '0013b'
down_revision = '0010b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('solve_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('solve_job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
