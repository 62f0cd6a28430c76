"""DDL that Karvan's migrations share, named by the models' naming convention
(`planner.extensions.NAMING_CONVENTION`): pk_<table>, fk_<table>_<column>_<target>,
ix_<table>_<column>.

Migrations are history: a helper here may gain options, but what it creates for a given call
must never change, or databases migrated before and after the change would differ. Alembic
finds this module through `prepend_sys_path` in alembic.ini (the repository's root).
"""
import sqlalchemy as sa
from alembic import op


def reference(table: str, column: str, target: str, *, nullable: bool = False,
              ondelete: str | None = None) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    """An integer column `column` of `table` and its foreign key to `target.id`
    (fk_<table>_<column>_<target>), for `create_table`."""
    return (sa.Column(column, sa.Integer(), nullable=nullable),
            sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                    ondelete=ondelete))


def create_table(name: str, *parts, indexes=()) -> None:
    """Create `name` with an integer `id` primary key (pk_<name>) and `parts`: columns,
    `reference(...)` pairs and other constraints, columns kept in their order; then an index
    per column named in `indexes` (ix_<name>_<column>)."""
    columns, keys, constraints = [sa.Column("id", sa.Integer(), nullable=False)], [], []
    for part in parts:
        if isinstance(part, tuple):
            columns.append(part[0])
            keys.append(part[1])
        elif isinstance(part, sa.Column):
            columns.append(part)
        else:
            constraints.append(part)
    op.create_table(name, *columns, *keys, sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")), *constraints)
    if indexes:
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in indexes:
                batch_op.create_index(batch_op.f(f"ix_{name}_{column}"), [column], unique=False)


def link_table(name: str, left: str, right: str) -> None:
    """An association table `name` whose primary key (pk_<name>) is its two foreign keys,
    `<left>_id` → `left.id` and `<right>_id` → `right.id`, each ON DELETE CASCADE."""
    sides = [reference(name, f"{side}_id", side, ondelete="CASCADE") for side in (left, right)]
    op.create_table(name, *(column for column, _key in sides), *(key for _column, key in sides),
                    sa.PrimaryKeyConstraint(f"{left}_id", f"{right}_id", name=op.f(f"pk_{name}")))


def add_columns(table: str, *columns: sa.Column) -> None:
    """Add `columns` to an existing table (batch mode, so SQLite can follow)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.add_column(column)


def drop_columns(table: str, *names: str) -> None:
    """Drop the columns `names` of an existing table (batch mode, so SQLite can follow)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name in names:
            batch_op.drop_column(name)
