"""attendance per person per round

A person's attending days move from `participant.attending_days` (one list for every
round, erased by saving a profile that showed other rounds) to one `attendance` row per
person and round. Each listed day is kept in every round of the firm's registrations that
holds it; a person who listed days but none of a round's gets an empty list there (they
did not attend it before either).

Revision ID: 0010
Revises: 0001
"""
import json
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

from migrations.helpers import add_columns, create_table, drop_columns, reference

revision = '0010'
down_revision = '0011'
branch_labels = None
depends_on = None


def _days(start, end) -> list[str]:
    start, end = (date.fromisoformat(str(value)[:10]) for value in (start, end))
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def _as_list(value):
    if value is None or isinstance(value, list):
        return value
    return json.loads(value)


def upgrade():
    create_table('attendance',
                 reference('attendance', 'participant_id', 'participant', ondelete='CASCADE'),
                 reference('attendance', 'event_id', 'event', ondelete='CASCADE'),
                 sa.Column('days', sa.JSON(), nullable=True),
                 sa.UniqueConstraint('participant_id', 'event_id', name='uq_attendance_participant_event'),
                 indexes=['event_id', 'participant_id'])

    bind = op.get_bind()
    attendance = sa.table('attendance', sa.column('participant_id', sa.Integer), sa.column('event_id', sa.Integer),
                          sa.column('days', sa.JSON))
    rows = bind.execute(sa.text(
        "SELECT p.id, p.attending_days, e.id, e.start_date, e.end_date FROM participant p "
        "JOIN event_registration r ON r.firm_id = p.firm_id JOIN event e ON e.id = r.event_id "
        "WHERE p.attending_days IS NOT NULL")).all()
    values = []
    for person_id, listed, event_id, start, end in rows:
        listed = _as_list(listed)
        if listed is None:
            continue
        own = _days(start, end)
        chosen = [day for day in own if day in set(listed)]
        if chosen != own:
            values.append({"participant_id": person_id, "event_id": event_id, "days": chosen})
    if values:
        op.bulk_insert(attendance, values)

    drop_columns('participant', 'attending_days')


def downgrade():
    add_columns('participant', sa.Column('attending_days', sa.JSON(), nullable=True))
    bind = op.get_bind()
    merged: dict[int, set] = {}
    for person_id, days in bind.execute(sa.text("SELECT participant_id, days FROM attendance")).all():
        days = _as_list(days)
        if days is not None:
            merged.setdefault(person_id, set()).update(days)
    participant = sa.table('participant', sa.column('id', sa.Integer), sa.column('attending_days', sa.JSON))
    for person_id, days in merged.items():
        bind.execute(participant.update().where(participant.c.id == person_id).values(attending_days=sorted(days)))
    op.drop_table('attendance')
