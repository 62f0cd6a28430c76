"""delegations as visits: members, rounds and interpreters of a visit; archiving

A person may belong to several visits, so membership moves from `participant.delegation_id`
to `delegation_member`. Each existing delegation attends the rounds its members' firms are
registered for (where its travel window applied until now).

Revision ID: 0010b
Revises: 0010a
"""
import sqlalchemy as sa
from alembic import op

revision = '0010b'
down_revision = '0010a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delegation_member',
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_delegation_member_delegation_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_delegation_member_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('delegation_id', 'participant_id', name=op.f('pk_delegation_member'))
    )
    op.create_table('delegation_event',
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_delegation_event_delegation_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_delegation_event_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('delegation_id', 'event_id', name=op.f('pk_delegation_event'))
    )
    op.create_table('delegation_interpreter',
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('interpreter_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_delegation_interpreter_delegation_id_delegation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interpreter_id'], ['interpreter.id'], name=op.f('fk_delegation_interpreter_interpreter_id_interpreter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('delegation_id', 'interpreter_id', name=op.f('pk_delegation_interpreter'))
    )
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived', sa.Boolean(), nullable=False, server_default=sa.false()))
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
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.drop_column('archived')
    op.drop_table('delegation_interpreter')
    op.drop_table('delegation_event')
    op.drop_table('delegation_member')
