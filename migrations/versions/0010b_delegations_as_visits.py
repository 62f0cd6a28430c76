"""delegations as visits: members, rounds and interpreters of a visit; archiving

A person may belong to several visits, so membership moves from `participant.delegation_id`
to `delegation_member`. Each existing delegation attends the rounds its members' firms are
registered for (where its travel window applied until now).

Revision ID: 0010b
Revises: 0010a
"""
import sqlalchemy as sa
from alembic import op

from migrations.helpers import add_columns, drop_columns, link_table

revision = '0010b'
down_revision = '0010a'
branch_labels = None
depends_on = None


def upgrade():
    link_table('delegation_member', 'delegation', 'participant')
    link_table('delegation_event', 'delegation', 'event')
    link_table('delegation_interpreter', 'delegation', 'interpreter')
    add_columns('delegation', sa.Column('archived', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.alter_column('archived', server_default=None)

    op.execute("INSERT INTO delegation_member (delegation_id, participant_id) "
               "SELECT delegation_id, id FROM participant WHERE delegation_id IS NOT NULL")
    op.execute("INSERT INTO delegation_event (delegation_id, event_id) "
               "SELECT DISTINCT p.delegation_id, r.event_id FROM participant p "
               "JOIN event_registration r ON r.firm_id = p.firm_id WHERE p.delegation_id IS NOT NULL")
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_delegation_id'))
        batch_op.drop_constraint(batch_op.f('fk_participant_delegation_id_delegation'), type_='foreignkey')
        batch_op.drop_column('delegation_id')


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delegation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_participant_delegation_id_delegation'), 'delegation', ['delegation_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_participant_delegation_id'), ['delegation_id'], unique=False)
    op.execute("UPDATE participant SET delegation_id = (SELECT MIN(delegation_id) FROM delegation_member m "
               "WHERE m.participant_id = participant.id)")
    drop_columns('delegation', 'archived')
    op.drop_table('delegation_interpreter')
    op.drop_table('delegation_event')
    op.drop_table('delegation_member')
