"""The organiser's backfill runs in the background like the scheduler: the form answers at once,
the run's page shows it being prepared (progress, cancel), and the draft's diff opens when it is
done — in the thread pool and on RQ workers (Redis); refusals and changes in between are said
in words; one run per round at a time, also when two start at once."""
from __future__ import annotations

import threading
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

import solver
from planner.errors import ServiceError
from planner.eventday.attendance import mark_absent
from planner.eventday.backfill_runs import run_backfill_job, start_backfill
from planner.extensions import db
from planner.models import DayPresence, ScheduleVersion, SolveJob
from planner.scheduling import solving
from tests.eventday.helpers import scenario

DAY = date(2026, 11, 8)


def _absent_zlat() -> dict:
    data = scenario()
    mark_absent(data["event"], data["firms"]["zlat"].participants[0], DAY)
    db.session.commit()
    return data


def _form(data) -> dict:
    """Re-plan from the second slot: the meetings of the first are past."""
    return {"day": DAY.isoformat(), "start": "09:30"}


def _job_id(answer) -> int:
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    location = answer.headers["Location"]
    assert "/backfill/runs/" in location, location
    return int(location.rsplit("/", 1)[1])


def _wait_finished(job_id: int, seconds: float = 60) -> SolveJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(SolveJob, job_id)
        if job.status in solving.FINISHED:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status}")


def _opens_the_diff(client, slug: str, job_id: int, lang: str = "en") -> str:
    done = client.get(f"/day/{slug}/backfill/runs/{job_id}?lang={lang}")
    assert done.status_code == 302 and "/diff" in done.headers["Location"], done.status_code
    page = client.get(done.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_in_the_thread_pool_the_page_shows_the_run_being_prepared_then_the_diff(app, client, auth, monkeypatch):
    app.config["KARVAN_JOBS"] = "thread"
    data = _absent_zlat()
    event = data["event"]
    gate, real_solve = threading.Event(), solver.solve

    def held_solve(problem, config, **kwargs):  # the run stays in progress until the test has looked
        kwargs["on_progress"](0.2, 5.0, 6.0)
        gate.wait(30)
        return real_solve(problem, config, **kwargs)

    monkeypatch.setattr(solver, "solve", held_solve)
    auth.login("org@karvan.example")
    answer = client.post(f"/day/{event.slug}/backfill?lang=en", data=_form(data))
    job_id = _job_id(answer)
    try:
        page = client.get(f"/day/{event.slug}/backfill/runs/{job_id}?lang=fa")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "برنامهٔ تازه در حال آماده شدن است" in html
        assert 'class="job-progress"' in html and "۰۹:۳۰" in html
        # The form's page sends the organiser to the run while it goes on; a second start is refused.
        assert client.get(f"/day/{event.slug}/backfill").headers["Location"].endswith(f"/backfill/runs/{job_id}")
        again = client.post(f"/day/{event.slug}/backfill?lang=en", data=_form(data), follow_redirects=True)
        assert "already running" in again.get_data(as_text=True)
        state = client.get(f"/organiser/jobs/{job_id}.json").get_json()
        assert state["status"] in ("queued", "running") and not state["finished"]
    finally:
        gate.set()
    job = _wait_finished(job_id)
    assert job.status == "done", (job.error, job.progress)
    assert job.time_limit_s == solving.SOLVE_TIME_LIMIT_S  # the scheduler's normal limit, not a request's
    version = db.session.get(ScheduleVersion, job.result_version_id)
    assert version.status == "draft" and version.solve_job_id == job_id
    assert version.stats["backfill"]["released"] == [data["requests"]["toos-zlat"].id]
    assert version.stats["backfill"]["from"].startswith("2026-11-08T09:30:00+03:30")
    diff = _opens_the_diff(client, event.slug, job_id)
    assert "A draft for the rest of the day is ready" in diff and "Cancelled (1)" in diff
    assert db.session.scalar(select(func.count(SolveJob.id))) == 1


def test_on_rq_workers_the_run_is_queued_then_the_diff_opens(app, client, auth, database_url, redis_url, monkeypatch):
    from rq import Queue, SimpleWorker

    from planner.jobs import queue_name, redis_connection

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    app.config.update(KARVAN_JOBS="rq", REDIS_URL=redis_url)
    data = _absent_zlat()
    event = data["event"]
    auth.login("org@karvan.example")
    job_id = _job_id(client.post(f"/day/{event.slug}/backfill?lang=en", data=_form(data)))
    waiting = client.get(f"/day/{event.slug}/backfill/runs/{job_id}?lang=ru")
    assert waiting.status_code == 200 and "Новый план готовится" in waiting.get_data(as_text=True)
    connection = redis_connection(app)
    queue = Queue(queue_name(), connection=connection)
    assert queue.count == 1
    assert SimpleWorker([queue], connection=connection).work(burst=True)
    job = _wait_finished(job_id, seconds=5)
    assert job.status == "done", (job.error, job.progress)
    diff = _opens_the_diff(client, event.slug, job_id)
    assert "Cancelled (1)" in diff and data["firms"]["zlat"].name_latin in diff


def test_refusals_answer_at_once_and_a_change_in_between_is_said_in_words(client, auth):
    data = scenario()
    event = data["event"]
    auth.login("org@karvan.example")
    nobody = client.post(f"/day/{event.slug}/backfill?lang=en", data=_form(data))
    assert nobody.status_code == 200  # the form again, with what was typed
    html = nobody.get_data(as_text=True)
    assert "Nobody is confirmed absent" in html and 'value="09:30"' in html
    bad = client.post(f"/day/{event.slug}/backfill?lang=en", data={"day": DAY.isoformat(), "start": "25:99"})
    assert bad.status_code == 200 and "Enter a time as hours and minutes" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SolveJob.id))) == 0

    # Queued, then the absence is taken back before a worker takes the run.
    person = data["firms"]["zlat"].participants[0]
    mark_absent(event, person, DAY)
    db.session.commit()
    job_id = _job_id(client.post(f"/day/{event.slug}/backfill?lang=en", data=_form(data)))  # sync runner: it ran
    assert db.session.get(SolveJob, job_id).status == "done"
    job = _queued_backfill(data)
    db.session.execute(delete(DayPresence).where(DayPresence.participant_id == person.id))
    db.session.commit()
    run_backfill_job(job.id)
    db.session.expire_all()
    job = db.session.get(SolveJob, job.id)
    assert (job.status, job.error) == ("failed", "changed")
    page = client.get(f"/day/{event.slug}/backfill/runs/{job.id}?lang=en").get_data(as_text=True)
    assert "The round changed while the run was waiting" in page and "Back to the re-plan form" in page


def _queued_backfill(data) -> SolveJob:
    """A second backfill, queued and committed, not yet run."""
    job = start_backfill(data["event"], datetime(2026, 11, 8, 9, 30, tzinfo=ZoneInfo("Asia/Tehran")))
    db.session.commit()
    return job


def test_one_run_per_round_also_when_two_start_at_once(any_app, monkeypatch):
    data = _absent_zlat()
    event = data["event"]
    first = solving.start_solve(event, time_limit_s=5)
    db.session.commit()
    # The second click read "nothing running" before the first was stored: the index refuses it.
    monkeypatch.setattr(solving, "active_job", lambda event: None)
    with pytest.raises(ServiceError, match="already running"):
        solving.start_solve(event, time_limit_s=5)
    db.session.rollback()
    assert db.session.scalar(select(func.count(SolveJob.id))) == 1
    db.session.add(SolveJob(event_id=event.id, status="running", time_limit_s=5))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    first = db.session.get(SolveJob, first.id)
    first.status = "done"
    db.session.commit()
    assert solving.start_solve(event, time_limit_s=5).id != first.id  # a finished run leaves room
