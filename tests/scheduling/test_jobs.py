"""Solve jobs: lifecycle (queued → running → done), failure, timeout and cancellation
leaving the published version untouched; the thread runner with live progress; the RQ
path against the real Redis."""
from __future__ import annotations

import time
from traceback import format_exc

import pytest
from flask_babel import force_locale

import solver
from planner.errors import ServiceError
from planner.extensions import db
from planner.models import ScheduleVersion, SolveJob
from planner.scheduling import solving
from planner.scheduling.drafts import solve_event
from planner.scheduling.publishing import publish_version
from planner.scheduling.solving import job_state, launch_solve, request_cancel, run_solve_job, start_solve
from planner.scheduling.versions import published_version
from tests.scheduling_factories import make_round

LIMIT = 2.0


def _published_snapshot(event):
    version = published_version(event)
    return version.id, sorted((m.request_id, m.slot_id, m.table_id, m.interpreter_id) for m in version.meetings)


def _with_published(any_app):
    r = make_round()
    version, _ = solve_event(r["event"], time_limit_s=LIMIT)
    publish_version(version, expected_revision=0)
    db.session.commit()
    return r


def test_job_lifecycle_ends_with_a_draft(any_app):
    r = _with_published(any_app)
    before = _published_snapshot(r["event"])
    job = start_solve(r["event"], time_limit_s=LIMIT)
    assert job.status == "queued"
    db.session.commit()
    launch_solve(job)  # the sync runner in tests
    db.session.expire_all()
    job = db.session.get(SolveJob, job.id)
    assert job.status == "done" and job.started_at and job.finished_at
    version = db.session.get(ScheduleVersion, job.result_version_id)
    assert version.status == "draft" and version.solve_job_id == job.id
    state = job_state(job)
    assert state["finished"] and state["fraction"] == 1.0 and state["version_id"] == version.id
    assert "elapsed" in job.progress and "objective" in job.progress and "bound" in job.progress
    assert _published_snapshot(r["event"]) == before


def test_one_run_per_event_and_sane_limits(any_app):
    r = make_round()
    start_solve(r["event"], time_limit_s=LIMIT)
    with pytest.raises(ServiceError):
        start_solve(r["event"], time_limit_s=LIMIT)
    with pytest.raises(ServiceError):
        start_solve(make_round()["event"], time_limit_s=0)


def test_a_failing_solve_is_recorded_and_touches_nothing(any_app, monkeypatch):
    r = _with_published(any_app)
    before = _published_snapshot(r["event"])
    versions = db.session.scalar(db.select(db.func.count(ScheduleVersion.id)))

    def explode(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(solver, "solve", explode)
    job = start_solve(r["event"], time_limit_s=LIMIT)
    db.session.commit()
    logged = []  # recorded on the logger itself: an earlier test's logging config may silence caplog
    monkeypatch.setattr(solving.log, "exception", lambda message, *args: logged.append((message % args, format_exc())))
    run_solve_job(job.id)
    job = db.session.get(SolveJob, job.id)
    reference = job.progress["reference"]
    assert job.status == "failed" and job.error == "crash" and reference.startswith(f"solve-{job.id}-")
    # The organiser reads a translated reason and a reference; the log line carries both.
    assert any(reference in line and "solver crashed" in trace for line, trace in logged)
    with any_app.test_request_context(), force_locale("ru"):
        state = job_state(job)
    assert state["error_label"] == "Планировщик неожиданно завершился с ошибкой." and state["reference"] == reference
    assert "solver crashed" not in str(state)
    assert job.result_version_id is None
    assert db.session.scalar(db.select(db.func.count(ScheduleVersion.id))) == versions
    assert _published_snapshot(r["event"]) == before


def test_a_timed_out_solve_stores_nothing(any_app, monkeypatch):
    r = _with_published(any_app)
    before = _published_snapshot(r["event"])
    monkeypatch.setattr(solver, "solve", lambda *a, **k: solver.Solution(solver.Status.UNKNOWN))
    job = start_solve(r["event"], time_limit_s=LIMIT)
    db.session.commit()
    run_solve_job(job.id)
    job = db.session.get(SolveJob, job.id)
    assert (job.status, job.error) == ("failed", "timeout")
    assert "time limit" in job_state(job)["error_label"]
    assert _published_snapshot(r["event"]) == before


def test_a_job_cancelled_before_it_starts_never_runs(any_app):
    r = make_round()
    job = start_solve(r["event"], time_limit_s=LIMIT)
    request_cancel(job)
    db.session.commit()
    run_solve_job(job.id)
    assert db.session.get(SolveJob, job.id).status == "cancelled"
    assert db.session.scalar(db.select(db.func.count(ScheduleVersion.id))) == 0


def test_cancelling_a_running_solve_in_the_thread_runner(app, monkeypatch):
    """A long solve in the background thread shows progress and stops on cancel."""
    app.config["KARVAN_JOBS"] = "thread"
    r = make_round()
    version, _ = solve_event(r["event"], time_limit_s=LIMIT)
    publish_version(version, expected_revision=0)
    db.session.commit()
    before = _published_snapshot(r["event"])
    real_solve = solver.solve

    def slow_solve(problem, config, **kwargs):  # keep searching until told to stop
        should_stop = kwargs["should_stop"]
        kwargs["on_progress"](0.1, 3.0, 5.0)
        deadline = time.monotonic() + 30
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(0.05)
        return real_solve(problem, config, method="greedy")

    monkeypatch.setattr(solver, "solve", slow_solve)
    job = start_solve(r["event"], time_limit_s=60)
    db.session.commit()
    launch_solve(job)
    job_id = job.id
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(SolveJob, job_id)
        if job.status == "running" and (job.progress or {}).get("objective") == 3.0:
            break
        time.sleep(0.1)
    assert job.status == "running" and job.progress["bound"] == 5.0
    request_cancel(job)
    db.session.commit()
    while time.monotonic() < deadline and job.status == "running":
        time.sleep(0.1)
        db.session.expire_all()
        job = db.session.get(SolveJob, job_id)
    assert job.status == "cancelled" and job.result_version_id is None
    assert db.session.scalar(db.select(db.func.count(ScheduleVersion.id))) == 1
    assert _published_snapshot(r["event"]) == before


def test_solve_runs_as_an_rq_job_on_redis(app, database_url, redis_url, monkeypatch):
    """The RQ path: enqueue on the real Redis, run with a SimpleWorker in burst mode."""
    from rq import Queue, SimpleWorker

    from planner.jobs import queue_name, redis_connection

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    app.config.update(KARVAN_JOBS="rq", REDIS_URL=redis_url)
    r = make_round()
    db.session.commit()
    job = start_solve(r["event"], time_limit_s=LIMIT)
    db.session.commit()
    launch_solve(job)
    connection = redis_connection(app)
    queue = Queue(queue_name(), connection=connection)
    assert queue.count == 1
    assert SimpleWorker([queue], connection=connection).work(burst=True)
    db.session.expire_all()
    job = db.session.get(SolveJob, job.id)
    assert job.status == "done", job.progress
    version = db.session.get(ScheduleVersion, job.result_version_id)
    assert version.status == "draft" and len(version.meetings) == 4
