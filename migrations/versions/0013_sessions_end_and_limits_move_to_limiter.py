"""Sessions that end (user.session_version) and log-in limits in Flask-Limiter (drop login_attempt).

Revision ID: 0013
Revises: 0001
"""
import secrets

import sqlalchemy as sa
from alembic import op

import planner.models.base

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.String(length=32), nullable=True))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_version', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user.c.id)).all():
        connection.execute(user.update().where(user.c.id == user_id).values(session_version=secrets.token_hex(16)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_version', existing_type=sa.String(length=32), nullable=False)

    # Failed log-ins are counted by Flask-Limiter (Redis or memory); the table was never pruned.
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempt_key'))
        batch_op.drop_index(batch_op.f('ix_login_attempt_at'))
    op.drop_table('login_attempt')


def downgrade():
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('at', planner.models.base.UTCDateTime(), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempt_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempt_key'), ['key'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
