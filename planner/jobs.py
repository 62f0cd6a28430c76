"""Background work (solves, e-mail) off the request thread.

Three runners, chosen by KARVAN_JOBS (config):
- "thread": an in-process thread pool, the default for one machine with SQLite;
- "rq": RQ on Redis (default when REDIS_URL is set); `flask --app wsgi worker` runs the worker;
- "sync": run at once in the caller's thread (tests, CLI).

State that users watch (progress, status) is written to the database by the task itself,
so any web worker can show it. A task is a plain function registered under a name with
@task; it receives keyword arguments that are JSON-friendly (ids, numbers, strings) and runs
inside an app context with its own database session.
"""
from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app
from sqlalchemy import event as sa_event

from planner.extensions import db

log = logging.getLogger(__name__)

# Modules whose import registers tasks; RQ workers import them before running one.
TASK_MODULES: list[str] = []
_TASKS: dict[str, Callable[..., None]] = {}
_POOLS: dict[int, ThreadPoolExecutor] = {}
# The app an RQ worker process runs its jobs in, keyed by the environment it was built from:
# building one per job (config, extensions, blueprints, catalogues) cost more than sending an
# e-mail. A forking worker adopts its own app before forking, so every job inherits it.
_WORKER_APPS: dict[tuple, tuple[Flask, int]] = {}


def _environment_key() -> tuple:
    return tuple(sorted(os.environ.items()))


def adopt_worker_app(app: Flask) -> None:
    """Make `app` the one RQ jobs of this process (and of its forks) run in."""
    _WORKER_APPS.clear()
    _WORKER_APPS[_environment_key()] = (app, os.getpid())


def queue_name(app: Flask | None = None) -> str:
    """The RQ queue of this installation (config RQ_QUEUE, env KARVAN_RQ_QUEUE)."""
    return (app or current_app).config.get("RQ_QUEUE", "karvan")


def task(name: str, module: str | None = None):
    """Register `func` as a background task called `name`."""

    def decorator(func: Callable[..., None]) -> Callable[..., None]:
        _TASKS[name] = func
        owner = module or func.__module__
        if owner not in TASK_MODULES:
            TASK_MODULES.append(owner)
        return func

    return decorator


def _lookup(name: str) -> Callable[..., None]:
    if name not in _TASKS:
        for module in TASK_MODULES:
            importlib.import_module(module)
    return _TASKS[name]


def _run_in_context(app: Flask, name: str, kwargs: dict) -> None:
    from planner.extensions import db

    with app.app_context():
        try:
            _lookup(name)(**kwargs)
        except Exception:
            log.exception("background task %s failed", name)
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def run_task(name: str, kwargs: dict, task_modules: list[str] | None = None) -> None:
    """Entry point of RQ jobs: build the app from the environment and run the task.

    The app factory is the one import of the package root from below it: an RQ worker
    process starts with no app, and this is where it makes one (`.importlinter` allows it).
    """
    from planner import create_app

    for module in task_modules or []:
        importlib.import_module(module)
    key = _environment_key()
    if key not in _WORKER_APPS:
        _WORKER_APPS.clear()  # the environment changed (tests): the old app is stale
        _WORKER_APPS[key] = (create_app(), os.getpid())
    app, built_in = _WORKER_APPS[key]
    if built_in != os.getpid():
        # A forked job: database connections pooled before the fork belong to the parent
        # (SQLAlchemy's advice for multiprocessing: dispose without closing them).
        from planner.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
        _WORKER_APPS[key] = (app, os.getpid())
    _run_in_context(app, name, kwargs)


def _pool(app: Flask) -> ThreadPoolExecutor:
    key = id(app)
    if key not in _POOLS:
        _POOLS[key] = ThreadPoolExecutor(max_workers=app.config.get("KARVAN_JOB_THREADS", 2), thread_name_prefix="karvan-job")
    return _POOLS[key]


def redis_connection(app: Flask | None = None):
    from redis import Redis

    app = app or current_app._get_current_object()
    return Redis.from_url(app.config["REDIS_URL"])


def enqueue(name: str, *, retry: tuple[float, ...] = (), **kwargs) -> str | None:
    """Run task `name` in the background; returns the RQ job id when RQ is used.

    `retry`: on RQ, the delays in seconds after which RQ's `Retry` runs a failed job again
    (e-mail delivery passes MAIL_RETRY_DELAYS_S); the other runners leave retrying to the task.
    """
    app = current_app._get_current_object()
    _lookup(name)  # fail fast on an unknown task, in the caller's request
    mode = app.config.get("KARVAN_JOBS", "thread")
    if mode == "sync":
        _run_in_context(app, name, kwargs)
        return None
    if mode == "rq":
        from rq import Queue, Retry

        queue = Queue(queue_name(app), connection=redis_connection(app))
        job = queue.enqueue(run_task, name, kwargs, list(TASK_MODULES), job_timeout=3600,
                            retry=Retry(max=len(retry), interval=[int(d) for d in retry]) if retry else None)
        return job.id
    _pool(app).submit(_run_in_context, app, name, kwargs)
    return None


_AFTER_COMMIT = "karvan.jobs.after_commit"


def enqueue_after_commit(name: str, *, retry: tuple[float, ...] = (), **kwargs) -> None:
    """`enqueue` task `name` once the current transaction commits, never when it rolls back:
    for work that must see the rows the transaction writes (mail of the outbox, a publish's
    feeds). A task that cannot be enqueued then is logged and left to its fallback (the row
    stays queued for `flask send-mail`; feeds are built on their first request)."""
    _lookup(name)  # fail fast on an unknown task, in the caller's request
    session = db.session()
    if not session.info.get(_AFTER_COMMIT + ".hooked"):
        session.info[_AFTER_COMMIT + ".hooked"] = True
        sa_event.listen(session, "after_commit", _enqueue_pending)
        sa_event.listen(session, "after_soft_rollback", _forget_pending)
    session.info.setdefault(_AFTER_COMMIT, []).append((name, retry, kwargs))


def _enqueue_pending(session) -> None:
    for name, retry, kwargs in session.info.pop(_AFTER_COMMIT, []):
        try:
            enqueue(name, retry=retry, **kwargs)
        except Exception:
            log.exception("could not enqueue %s %s", name, kwargs)


def _forget_pending(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_AFTER_COMMIT, None)
