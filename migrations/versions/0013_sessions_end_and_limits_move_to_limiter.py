"""Sessions that end (user.session_version) and log-in limits in Flask-Limiter (drop login_attempt).

Revision ID: 0013
Revises: 0001
"""
import secrets

import sqlalchemy as sa
from alembic import op

from migrations.helpers import add_columns, create_table, drop_columns
from planner.models.base import UTCDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    add_columns('user', sa.Column('session_version', sa.String(length=32), nullable=True))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_version', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user.c.id)).all():
        connection.execute(user.update().where(user.c.id == user_id).values(session_version=secrets.token_hex(16)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_version', existing_type=sa.String(length=32), nullable=False)

    # Failed log-ins are counted by Flask-Limiter (Redis or memory); the table was never pruned.
    op.drop_table('login_attempt')


def downgrade():
    create_table('login_attempt',
                 sa.Column('key', sa.String(length=300), nullable=False),
                 sa.Column('at', UTCDateTime(), nullable=False),
                 sa.Column('success', sa.Boolean(), nullable=False),
                 indexes=['at', 'key'])
    drop_columns('user', 'session_version')
