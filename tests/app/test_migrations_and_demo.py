"""The migration builds exactly the models' schema; the demo data loads once and only once."""
import socket
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from planner import create_app
from planner.config import overrides_for_tests
from planner.extensions import db
from planner.models import Event, Exhibition, Firm, Region

ROOT = Path(__file__).resolve().parents[2]


def _schema_diff(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_sqlite_migration_matches_models(tmp_path):
    app = create_app(overrides_for_tests(f"sqlite:///{tmp_path / 'migrated.sqlite'}"))
    with app.app_context():
        upgrade()
        # SQLite cannot ALTER TABLE ADD CONSTRAINT, so the two foreign keys that close a
        # cycle (use_alter) exist only on PostgreSQL, where the next test checks them.
        diff = [item for item in _schema_diff(app)
                if not (item[0] == "add_fk" and item[1].use_alter)]
        db.engine.dispose()
    assert diff == [], f"models changed without a migration: {diff}"


def test_postgresql_migration_matches_models():
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        pytest.skip("PostgreSQL NOT REACHABLE at 127.0.0.1:5432 — migration test on PostgreSQL SKIPPED")
    admin = create_engine("postgresql://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS karvan_migration_test"))
        connection.execute(text("CREATE DATABASE karvan_migration_test"))
    try:
        app = create_app(overrides_for_tests("postgresql://postgres@127.0.0.1:5432/karvan_migration_test"))
        with app.app_context():
            upgrade()
            diff = _schema_diff(app)
            db.session.remove()
            db.engine.dispose()
        assert diff == [], f"models changed without a migration: {diff}"
    finally:
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS karvan_migration_test WITH (FORCE)"))
        admin.dispose()


def _counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}


def test_seed_demo_loads_realistic_data_and_is_idempotent(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    by_region = dict(db.session.execute(
        select(Region.key, func.count(Firm.id)).join(Firm, Firm.region_id == Region.id).group_by(Region.key)).all())
    assert by_region["khorasan-razavi"] >= 40 and by_region["chelyabinsk"] >= 30
    assert db.session.scalar(select(func.count()).select_from(Exhibition)) >= 10
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    assert event is not None and event.exhibition.key == "mining-1405"
    assert event.start_date >= event.exhibition.start_date and event.end_date <= event.exhibition.end_date
    firms = db.session.scalars(select(Firm)).all()
    assert all(1 <= len(f.participants) <= 3 for f in firms)
    assert all(f.capabilities or f.needs for f in firms)
    before = _counts()
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    db.session.expire_all()
    assert _counts() == before, "a second seed-demo changes nothing"
