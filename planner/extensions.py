"""Flask extensions, created unbound; create_app() binds them with init_app()."""
import sqlite3

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy import event as sa_event
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
# Storage (Redis or memory) comes from RATELIMIT_STORAGE_URI at init_app; limits are named where
# they are used (planner.accounts.limits).
limiter = Limiter(key_func=get_remote_address, strategy="fixed-window")


def tune_sqlite(engine, busy_timeout_ms: int) -> None:
    """SQLite for several writers (web requests, job threads, `send-mail`): WAL so that readers
    never block the writer, and a busy timeout so that a writer waits its turn instead of
    failing with "database is locked". No-op for other databases."""
    if engine.dialect.name != "sqlite":
        return

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if engine.url.database and engine.url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
