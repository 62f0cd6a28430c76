"""regions as data: the language of native names, archiving

The rule "Iranian → Persian script, else Russian" becomes data: each region names the
language its firms write native names in. Existing regions get what the rule gave them.

Revision ID: 0010a
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

from migrations.helpers import add_columns, drop_columns

revision = '0010a'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    add_columns('region', sa.Column('native_locale', sa.String(length=8), nullable=True),
                sa.Column('archived', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE region SET native_locale = CASE WHEN country = 'IR' THEN 'fa' ELSE 'ru' END")
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.alter_column('native_locale', existing_type=sa.String(length=8), nullable=False)
        batch_op.alter_column('archived', server_default=None)


def downgrade():
    drop_columns('region', 'archived', 'native_locale')
