"""One run per round at a time, held by the database: a partial unique index on solve_job.event_id
while the run is queued or running (scheduler runs and the event day's backfill alike).

Existing data: of several runs of one round still marked queued or running (left by the race
this closes, or by workers that died), the newest stays and the others are marked interrupted.

Revision ID: 0014_eventday
Revises: 0014_forms
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from planner.models.base import UTCDateTime

revision = '0014_eventday'
down_revision = '0014_forms'  # re-chained after main's 0014_forms (both were written on 0013b)
branch_labels = None
depends_on = None

ACTIVE = "status IN ('queued', 'running')"


def upgrade():
    jobs = sa.table('solve_job', sa.column('id', sa.Integer), sa.column('event_id', sa.Integer),
                    sa.column('status', sa.String), sa.column('error', sa.Text),
                    sa.column('finished_at', UTCDateTime()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(jobs.c.id, jobs.c.event_id).where(jobs.c.status.in_(('queued', 'running')))
                              .order_by(jobs.c.event_id, jobs.c.id.desc())).all()
    seen = set()
    for row in rows:
        if row.event_id in seen:
            connection.execute(jobs.update().where(jobs.c.id == row.id).values(
                status='interrupted', error='interrupted', finished_at=datetime.now(timezone.utc)))
        seen.add(row.event_id)
    with op.batch_alter_table('solve_job', schema=None) as batch_op:
        batch_op.create_index('uq_solve_job_active', ['event_id'], unique=True,
                              sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))


def downgrade():
    with op.batch_alter_table('solve_job', schema=None) as batch_op:
        batch_op.drop_index('uq_solve_job_active')
