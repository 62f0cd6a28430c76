"""Jobs that die are seen to die: a solve killed with SIGKILL stops writing its heartbeat, is
marked interrupted by the next look (page, progress poll, CLI), the Run button comes back and
a new solve starts within seconds; Cancel ends an orphaned run at once."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from planner.extensions import db
from planner.models import SolveJob
from planner.models.base import utcnow
from planner.scheduling.solving import request_cancel, start_solve
from tests.factories import make_user
from tests.scheduling_factories import make_round

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT_S, STALE_S = 0.3, 1.5


def _fast_heartbeat(app, stale_s: float = STALE_S):
    app.config.update(KARVAN_JOB_HEARTBEAT_S=HEARTBEAT_S, KARVAN_JOB_STALE_S=stale_s)


def _running_job(event, beat_ago_s: float) -> SolveJob:
    job = start_solve(event, time_limit_s=60)
    job.status, job.started_at = "running", utcnow() - timedelta(seconds=beat_ago_s + 1)
    job.heartbeat_at = utcnow() - timedelta(seconds=beat_ago_s)
    db.session.commit()
    return job


def _run_button_disabled(client, event) -> bool:
    page = client.get(f"/organiser/events/{event.id}/schedule").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="solve-form".*?</form>', page, re.S).group(0)
    button = re.search(r'<input[^>]*type="submit"[^>]*>', form).group(0)
    return bool(re.search(r'\sdisabled[\s>=]', button))


def test_a_silent_run_is_interrupted_by_the_next_look(any_app, client, auth):
    _fast_heartbeat(any_app, stale_s=60)  # the live phase must not go stale on a slow machine
    r = make_round()
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")
    alive = _running_job(r["event"], beat_ago_s=0)
    assert client.get(f"/organiser/jobs/{alive.id}.json").get_json()["status"] == "running"
    assert _run_button_disabled(client, r["event"])

    db.session.execute(db.update(SolveJob).where(SolveJob.id == alive.id)
                       .values(heartbeat_at=utcnow() - timedelta(seconds=61)))
    db.session.commit()
    state = client.get(f"/organiser/jobs/{alive.id}.json").get_json()
    assert state["status"] == "interrupted" and state["finished"]
    assert state["error_label"] and state["status_label"]
    assert not _run_button_disabled(client, r["event"])
    db.session.expire_all()
    assert db.session.get(SolveJob, alive.id).finished_at is not None


def test_cancel_ends_an_orphaned_run_at_once(any_app):
    _fast_heartbeat(any_app)
    r = make_round()
    # silent for three heartbeats but not yet stale: a live worker would have seen the cancel
    job = _running_job(r["event"], beat_ago_s=3 * HEARTBEAT_S)
    request_cancel(job)
    db.session.commit()
    assert (job.status, job.error) == ("cancelled", "interrupted") and job.finished_at
    # a live one only gets the flag (a slow heartbeat, so this machine's pace cannot matter)
    any_app.config["KARVAN_JOB_HEARTBEAT_S"] = 30
    job = _running_job(make_round()["event"], beat_ago_s=0)
    request_cancel(job)
    assert job.status == "running" and job.cancel_requested


def _start_and_kill(database_url: str, event_slug: str, app) -> int:
    env = {**os.environ, "DATABASE_URL": database_url, "KARVAN_JOB_HEARTBEAT_S": str(HEARTBEAT_S),
           "KARVAN_JOB_STALE_S": str(STALE_S), "KARVAN_JOBS": "sync", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen([sys.executable, str(ROOT / "tests/scheduling/slow_solve_cli.py"), "solve", event_slug,
                                "--time-limit", "600"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        job = None
        while time.monotonic() < deadline and process.poll() is None:
            db.session.expire_all()
            job = db.session.scalar(db.select(SolveJob).where(SolveJob.status == "running"))
            if job is not None and job.heartbeat_at > job.started_at:  # the heartbeat thread is beating
                break
            time.sleep(0.2)
        assert job is not None, process.stderr.read().decode() if process.poll() is not None else "no running job"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    return job.id


def test_after_sigkill_a_new_solve_starts_from_the_ui_and_the_cli(app, database_url, client, auth, runner):
    _fast_heartbeat(app)
    r = make_round()
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    event, slug = r["event"], r["event"].slug
    auth.login("org@karvan.example")

    killed = _start_and_kill(database_url, slug, app)
    assert db.session.get(SolveJob, killed).status == "running"  # the row still says so
    time.sleep(STALE_S + 0.5)
    assert not _run_button_disabled(client, event)
    response = client.post(f"/organiser/events/{event.id}/solve", data={"time_limit": "2", "method": "greedy"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(SolveJob, killed).status == "interrupted"
    newest = db.session.scalar(db.select(SolveJob).order_by(SolveJob.id.desc()))
    assert newest.id != killed and newest.status == "done"

    killed = _start_and_kill(database_url, slug, app)
    time.sleep(STALE_S + 0.5)
    result = runner.invoke(args=["solve", slug, "--time-limit", "2", "--method", "greedy"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(SolveJob, killed).status == "interrupted"
    assert db.session.scalar(db.select(db.func.count()).select_from(SolveJob).where(SolveJob.status == "done")) == 2
