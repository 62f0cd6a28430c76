"""Fixtures: a fresh database per test (SQLite by default, PostgreSQL for marked tests),
the flaskr-style app/client/runner/auth fixtures, factories, and a live server + chromium
for browser tests."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import warnings
from pathlib import Path

import pytest
from flask import got_request_exception, request, request_finished
from sqlalchemy import create_engine, text

from planner import create_app
from planner.config import overrides_for_tests
from planner.extensions import db
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
# Runs on one machine share one Redis: each run gets its own RQ queue and rate-limit keys (and
# RQ jobs, which build their app from the environment, see the same names).
RUN_TAG = f"karvan-test-{os.getpid()}"
os.environ["KARVAN_RQ_QUEUE"] = RUN_TAG
os.environ["RATELIMIT_KEY_PREFIX"] = RUN_TAG
PG_URL = os.environ.get("KARVAN_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KARVAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_skipped_services: set[str] = set()
_server_errors: list[str] = []


def _note_exception(sender, exception, **extra):
    _server_errors.append(f"{request.method} {request.full_path}: {exception!r}")


def _note_response(sender, response, **extra):
    if response.status_code == 500:
        _server_errors.append(f"{request.method} {request.full_path} answered 500")


# Any app of the run (test client or live server thread): an unhandled exception in a view, or a
# 500 answer, fails the test that caused it, even where the test only looked at something else.
got_request_exception.connect(_note_exception)
request_finished.connect(_note_response)


@pytest.fixture(autouse=True)
def no_http_500():
    """Fails the test during which any request ended in an unhandled exception or an HTTP 500."""
    start = len(_server_errors)
    yield
    if len(_server_errors) > start:
        pytest.fail("a request answered HTTP 500 during this test:\n" + "\n".join(_server_errors[start:]))


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _build_app(database_url: str, **extra):
    return create_app({**overrides_for_tests(database_url), **extra})


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file with the schema and the reference data, copied for every test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = _build_app(f"sqlite:///{path}")
    with app.app_context():
        from planner.taxonomy.reference import load_reference_data

        db.create_all()
        load_reference_data(ROOT / "data")
        db.session.commit()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory) -> Path:
    """A SQLite file with the whole demo seeded once per run (it solves and publishes the demo
    round, ~10 s); tests asking for `demo_app` start from a copy instead of seeding again."""
    from planner.demo.seed import seed_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    app = _build_app(f"sqlite:///{path}")
    with app.app_context():
        seed_demo(ROOT / "data")
        db.session.commit()
        # Fold any write-ahead log into the file so that a plain copy holds every row.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def database_url(request, sqlite_template, tmp_path) -> str:
    source = request.getfixturevalue("demo_template") if "demo_app" in request.fixturenames else sqlite_template
    target = tmp_path / "karvan.sqlite"
    shutil.copy(source, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app(database_url):
    """The app with an app context pushed, so tests can use db.session directly."""
    app = _build_app(database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _private_pg_database() -> tuple[str, callable]:
    """A database of this run's own on the server (runs on one machine must not share one),
    falling back to the shared `test` database when we may not create databases."""
    name = f"karvan_test_{os.getpid()}"
    admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any refusal means: use the shared database
        warnings.warn(f"using the shared PostgreSQL database ({error.__class__.__name__})", stacklevel=1)
        return PG_URL, lambda: None

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_URL.rsplit("/", 1)[0] + f"/{name}", drop


@pytest.fixture(scope="session")
def pg_prepared():
    """Create the schema and reference data in PostgreSQL once per run."""
    if not _reachable("127.0.0.1", 5432):
        yield None
        return
    url, drop = _private_pg_database()
    app = _build_app(url)
    with app.app_context():
        from planner.taxonomy.reference import load_reference_data

        db.drop_all()
        db.create_all()
        load_reference_data(ROOT / "data")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    yield url
    drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_app(request, database_url, pg_prepared):
    """The app on SQLite and, when reachable, on PostgreSQL (reference tables kept, the rest emptied)."""
    if request.param == "sqlite":
        url = database_url
    else:
        if pg_prepared is None:
            _skipped_services.add("PostgreSQL at 127.0.0.1:5432")
            pytest.skip("PostgreSQL NOT REACHABLE at 127.0.0.1:5432 — PostgreSQL tests SKIPPED")
        url = pg_prepared
    app = _build_app(url)
    with app.app_context():
        if request.param == "postgresql":
            keep = {"sector", "product", "region"}
            names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables if table.name not in keep)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def redis_url():
    if not _reachable("127.0.0.1", 6379):
        _skipped_services.add("Redis at 127.0.0.1:6379")
        pytest.skip("Redis NOT REACHABLE at 127.0.0.1:6379 — Redis tests SKIPPED")
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    _forget_this_runs_keys(connection)
    yield REDIS_URL
    _forget_this_runs_keys(connection)


def _forget_this_runs_keys(connection) -> None:
    """Empty this run's queue (its jobs too) and drop its registries and counters; other runs'
    keys stay (a FLUSHDB here once wiped a concurrent run's queue)."""
    from rq import Queue

    Queue(RUN_TAG, connection=connection).empty()
    for key in connection.scan_iter(match=f"*{RUN_TAG}*", count=1000):
        connection.delete(key)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = "correct horse battery"):
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_firm(app):
    return factories.make_firm


@pytest.fixture
def make_user(app):
    return factories.make_user


@pytest.fixture
def make_event(app):
    return factories.make_event


@pytest.fixture
def demo_app(app):
    """The app with the whole demo data set loaded (its database is a copy of `demo_template`,
    chosen by `database_url`)."""
    return app


# --- browser tests -----------------------------------------------------------------------

class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(demo_app):
    """The demo app served on a free loopback port for Playwright."""
    server = LiveServer(demo_app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is missing at /usr/bin/chromium; `make test` installs it")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fa-IR")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter):
    if _skipped_services:
        terminalreporter.write_sep("!", "SERVICES MISSING — tests SKIPPED: " + ", ".join(sorted(_skipped_services)), red=True, bold=True)
