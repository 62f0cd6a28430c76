"""Solve jobs: a scheduler run off the request thread, its state and progress in `SolveJob`.

`start_solve` records a queued job (the caller commits, then calls `launch_solve`);
the task `scheduling.solve` runs it through `planner.jobs` (thread, RQ or sync). While
CP-SAT searches, progress {elapsed, objective, bound} and a heartbeat are written to the job
row and `cancel_requested` is polled, all on connections of their own, so any web worker can
show a live bar and cancel. A run whose heartbeat stops (its process was killed) is marked
`interrupted` by whoever looks at it next — the scheduling page, the progress poll, a new
`start_solve` from the web or the CLI — so one dead worker never blocks the event. A failed, cancelled or timed-out run stores nothing: the published
version is never touched by a solve, only by `publishing.publish_version`.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

import solver
from planner.errors import ServiceError
from planner.extensions import db
from planner.jobs import enqueue, task
from planner.models import Event, MeetingRequest, ScheduleVersion, SolveJob
from planner.models.base import utcnow
from planner.models.enums import JobStatus, RequestStatus
from planner.models.shapes import SolveProgress
from planner.scheduling.drafts import solve_event
from planner.text.i18n import _, _l

log = logging.getLogger(__name__)
TASK_NAME = "scheduling.solve"
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.INTERRUPTED)
QUEUE_GRACE = timedelta(minutes=5)  # a queued run no worker took by its time limit and this
SOLVE_TIME_LIMIT_S = 30.0  # the solver's time limit when the organiser does not choose one (re-plan, backfill)

JOB_STATUS = {
    JobStatus.QUEUED: _l("waiting to start"),
    JobStatus.RUNNING: _l("running"),
    JobStatus.DONE: _l("done"),
    JobStatus.FAILED: _l("failed"),
    JobStatus.CANCELLED: _l("cancelled"),
    JobStatus.INTERRUPTED: _l("interrupted"),
}
JOB_ERRORS = {
    "timeout": _l("No schedule was found within the time limit. Try a longer time limit."),
    "infeasible": _l("The locked meetings cannot all be kept together; unlock some and try again."),
    "no_slots": _l("The event has no slots on usable days; add sessions first."),
    "interrupted": _l("The run was interrupted (the worker stopped)."),
    "invalid": _l("The solver's schedule broke a rule; nothing was stored."),
    "crash": _l("The scheduler failed unexpectedly."),
    "changed": _l("The round changed while the run was waiting (a publish, or an absence taken back); nothing was "
                  "stored. Start it again."),
    "published_outdated": _l("Some meetings of the published schedule are no longer possible (a request was "
                             "withdrawn or a day was closed). Re-run the scheduler first."),
}
# Why no schedule was found, by the solver's reason code (its own message is English, for the log).
JOB_REASONS = {
    "proven_infeasible": _l("The must-meet and locked meetings cannot all be placed together."),
    "required_cannot_fit": _l("The must-meet and locked meetings need more slots, tables or interpreters than there are."),
    "meeting_cannot_fit": _l("A must-meet or locked meeting has no slot where both firms are available."),
    "participant_over_max": _l("A person has more must-meet meetings than their maximum."),
    "participant_overloaded": _l("A person has more must-meet meetings than slots."),
    "table_overloaded": _l("A table has more locked meetings than slots."),
    "slot_overloaded": _l("More meetings are locked to one slot than there are tables."),
    "tables_insufficient": _l("There are more must-meet meetings than table places."),
    "interpreters_insufficient": _l("There are not enough interpreters for the must-meet meetings that need one."),
}


def job_status_label(code: str) -> str:
    return str(JOB_STATUS.get(code, code))


def job_error_label(code: str | None) -> str:
    return str(JOB_ERRORS.get(code or "", code or ""))


def job_reason_label(code: str | None) -> str | None:
    """Why no schedule was found, in the reader's language (None when the code is unknown)."""
    label = JOB_REASONS.get(code or "")
    return str(label) if label is not None else None


def active_job(event: Event) -> SolveJob | None:
    return db.session.scalar(select(SolveJob).where(SolveJob.event_id == event.id, SolveJob.status.in_(ACTIVE))
                             .order_by(SolveJob.id.desc()).limit(1))


def _seconds(key: str) -> timedelta:
    return timedelta(seconds=float(current_app.config[key]))


def is_orphaned(job: SolveJob, now: datetime | None = None) -> bool:
    """True when no worker is running `job` any more although its row says it is active.

    Running: no heartbeat for KARVAN_JOB_STALE_S seconds, or — once cancel was asked, which a
    live worker honours at its next heartbeat — for two heartbeat intervals. Queued: no worker
    took it within its time limit plus five minutes (RQ worker down).
    """
    now = now or utcnow()
    if job.status == JobStatus.RUNNING:
        silent_for = now - (job.heartbeat_at or job.started_at or job.created_at)
        heartbeat = _seconds("KARVAN_JOB_HEARTBEAT_S")
        return silent_for > (2 * heartbeat if job.cancel_requested else max(_seconds("KARVAN_JOB_STALE_S"), 2 * heartbeat))
    if job.status == JobStatus.QUEUED:
        return job.created_at + timedelta(seconds=job.time_limit_s) + QUEUE_GRACE < now
    return False


def end_if_orphaned(job: SolveJob) -> bool:
    """Mark `job` interrupted (cancelled, when cancel was asked) if its worker is gone; flushes.

    Returns whether it did. The conditional UPDATE keeps a worker that is alive after all, and
    a second looker, from being overwritten.
    """
    now = utcnow()
    if not is_orphaned(job, now):
        return False
    status = JobStatus.CANCELLED if job.cancel_requested else JobStatus.INTERRUPTED
    table = SolveJob.__table__
    ended = db.session.execute(update(table).where(table.c.id == job.id, table.c.status == job.status,
                                                   table.c.heartbeat_at.is_(None) if job.heartbeat_at is None
                                                   else table.c.heartbeat_at == job.heartbeat_at)
                               .values(status=status, error="interrupted", finished_at=now)).rowcount
    db.session.refresh(job)
    if ended:
        log.warning("solve job %s had no heartbeat since %s; marked %s", job.id, job.heartbeat_at, status)
    return bool(ended)


def expire_stale_jobs(event: Event) -> None:
    """End the active runs of `event` whose worker died (see `is_orphaned`); flushes."""
    for job in db.session.scalars(select(SolveJob).where(SolveJob.event_id == event.id, SolveJob.status.in_(ACTIVE))).all():
        end_if_orphaned(job)


def start_solve(event: Event, *, time_limit_s: float = 30.0, user_id: int | None = None,
                method: str = "cp-sat") -> SolveJob:
    """Record a queued run; flushes. One run per event at a time (`uq_solve_job_active` holds it
    when two start at once): ServiceError when one is queued or running."""
    if not 1 <= time_limit_s <= 3600:
        raise ServiceError(_("The time limit is between 1 second and 1 hour."), "time_limit")
    if not event.sessions:
        raise ServiceError(_("The event has no slots on usable days; add sessions first."))
    expire_stale_jobs(event)
    if active_job(event) is not None:
        raise ServiceError(_("The scheduler is already running for this event."))
    accepted = db.session.scalar(select(func.count(MeetingRequest.id)).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.ACCEPTED))
    job = SolveJob(event_id=event.id, status=JobStatus.QUEUED, time_limit_s=float(time_limit_s), created_by_id=user_id,
                   progress=SolveProgress(elapsed=0, objective=None, bound=None, method=method, accepted=accepted))
    try:
        with db.session.begin_nested():  # two clicks at once: the unique index keeps one
            db.session.add(job)
    except IntegrityError:
        raise ServiceError(_("The scheduler is already running for this event.")) from None
    return job


def launch_solve(job: SolveJob) -> None:
    """Hand a committed job to the background runner."""
    enqueue(TASK_NAME, job_id=job.id)


def request_cancel(job: SolveJob) -> None:
    """Ask the worker to stop; a queued run, or a running one whose worker is gone, ends at once."""
    if job.status not in ACTIVE:
        raise ServiceError(_("This run has already finished."))
    job.cancel_requested = True
    if job.status == JobStatus.QUEUED:
        job.status, job.finished_at = JobStatus.CANCELLED, utcnow()
    db.session.flush()
    if job.status == JobStatus.RUNNING:
        end_if_orphaned(job)


def job_state(job: SolveJob) -> dict:
    """What the progress bar shows, JSON-friendly."""
    progress = SolveProgress(**(job.progress or {}))
    elapsed = float(progress.get("elapsed") or 0)
    if job.status == JobStatus.RUNNING and job.started_at is not None:
        elapsed = max(elapsed, (utcnow() - job.started_at).total_seconds())
    fraction = 1.0 if job.status in FINISHED else min(0.99, elapsed / max(job.time_limit_s, 0.1))
    return {
        "id": job.id, "status": job.status, "status_label": job_status_label(job.status),
        "elapsed": round(elapsed, 1), "time_limit": job.time_limit_s, "fraction": round(fraction, 3),
        "objective": progress.get("objective"), "bound": progress.get("bound"),
        "cancel_requested": job.cancel_requested, "error": job.error,
        "error_label": job_error_label(job.error) if job.error else None,
        "reason_label": job_reason_label(progress.get("reason")), "reference": progress.get("reference"),
        "accepted": progress.get("accepted"), "scheduled": progress.get("scheduled"), "holes": progress.get("holes"),
        "remaining": max(0.0, round(job.time_limit_s - elapsed)) if job.status in ACTIVE else 0,
        "detail": progress.get("detail"), "version_id": job.result_version_id,
        "finished": job.status in FINISHED,
    }


class JobChannel:
    """Progress and heartbeat out, cancellation in; thread-safe, on connections of its own
    (CP-SAT calls back from its own threads, outside the app context). Between `start()` and
    `stop()` a daemon thread beats every `heartbeat_s` seconds, also while the model is built
    and when the search finds nothing new. A row no longer `running` (someone saw the heartbeat
    stop and ended it) reads as a cancel, so a worker that was only stalled stops too."""

    def __init__(self, engine, job_id: int, every_s: float = 0.5, heartbeat_s: float = 5.0,
                 initial: SolveProgress | None = None):
        self.engine, self.job_id, self.every_s, self.heartbeat_s = engine, job_id, every_s, heartbeat_s
        self.started = time.perf_counter()
        # what the row held when the run started (method, accepted requests) is written back with every update
        self.latest = SolveProgress(**(initial or {}))
        self.latest.update(elapsed=0.0, objective=None, bound=None)
        self.cancelled = False
        self.outcome: dict[str, str | None] = {}  # why a run found no schedule: {"error", "reason"}
        self._last = 0.0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._beater: threading.Thread | None = None

    def start(self) -> None:
        self._beater = threading.Thread(target=self._beat, name=f"karvan-heartbeat-{self.job_id}", daemon=True)
        self._beater.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._beater is not None:
            self._beater.join()

    def _beat(self) -> None:
        while not self._stopped.wait(self.heartbeat_s):
            self.sync(force=True)

    def progress(self, elapsed: float, objective: float, bound: float) -> None:
        with self._lock:
            self.latest.update(objective=_number(objective), bound=_number(bound))
        self.sync()

    def no_schedule(self, solution: solver.Solution) -> None:
        """Note why `solution` holds no schedule: "infeasible" or "timeout", and the solver's reason code."""
        found = solution.stats.extra.get("reason")
        self.outcome = {"error": "infeasible" if solution.status == solver.Status.INFEASIBLE else "timeout",
                        "reason": found.get("code") if isinstance(found, dict) else None}
        log.info("solve job %s found no schedule: %s", self.job_id, found)

    def figures(self, scheduled: int, holes: int) -> None:
        """The best whole schedule so far: meetings placed and gaps in people's days."""
        with self._lock:
            self.latest.update(scheduled=int(scheduled), holes=int(holes))
        self.sync()

    def should_stop(self) -> bool:
        self.sync()
        return self.cancelled

    def sync(self, force: bool = False) -> None:
        with self._lock:
            now = time.perf_counter()
            if not force and now - self._last < self.every_s:
                return
            self._last = now
            self.latest["elapsed"] = round(now - self.started, 2)
            table = SolveJob.__table__
            try:
                with self.engine.begin() as connection:
                    connection.execute(update(table).where(table.c.id == self.job_id, table.c.status == JobStatus.RUNNING)
                                       .values(progress=dict(self.latest), heartbeat_at=utcnow()))
                    row = connection.execute(select(table.c.cancel_requested, table.c.status)
                                             .where(table.c.id == self.job_id)).one()
                    self.cancelled = bool(row.cancel_requested) or row.status != JobStatus.RUNNING
            except Exception:  # progress is best effort; the solve goes on
                log.warning("could not record progress of solve job %s", self.job_id, exc_info=True)


def _number(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return round(value, 2) if abs(value) < 1e15 else None


def _reference(job_id: int) -> str:
    """A short reference that finds the failed run's line in the server log."""
    return f"solve-{job_id}-{secrets.token_hex(3)}"


def run_tracked(job_id: int, work: Callable[[SolveJob, JobChannel], ScheduleVersion | None]) -> None:
    """Run a queued job's `work(job, channel)` and record how it ended; every background run
    that makes a draft (the scheduler, the event day's backfill) goes through here.

    `work` searches with `channel.progress` and `channel.should_stop`, and returns the stored
    draft, or None when no schedule was found: the job ends `failed` with the reason code it
    left in `channel.outcome` ("timeout" by default). A ServiceError whose `field` is a code of
    JOB_ERRORS ends it under that code, any other under "invalid"; a cancel asked for during
    the run stores nothing. The job is marked running and committed first, then the heartbeat
    runs until `work` returns.
    """
    job = db.session.get(SolveJob, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return
    if job.cancel_requested:
        job.status, job.finished_at = JobStatus.CANCELLED, utcnow()
        db.session.commit()
        return
    job.status, job.started_at = JobStatus.RUNNING, utcnow()
    job.heartbeat_at = job.started_at
    db.session.commit()
    channel = JobChannel(db.engine, job_id, heartbeat_s=float(current_app.config["KARVAN_JOB_HEARTBEAT_S"]),
                         initial=job.progress)
    channel.start()
    status, error, version_id, reference = JobStatus.FAILED, None, None, None
    try:
        version = work(job, channel)
        if channel.cancelled:
            db.session.rollback()
            status = JobStatus.CANCELLED
        elif version is None:
            error = channel.outcome.get("error") or "timeout"
        else:
            status, version_id = JobStatus.DONE, version.id
            db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        if channel.cancelled:
            status = JobStatus.CANCELLED
        else:
            code = "no_slots" if exc.field == "slots" else exc.field
            error, reference = (code if code in JOB_ERRORS else "invalid"), _reference(job_id)
            log.warning("job %s refused [%s]: %s", job_id, reference, exc.message)
    except Exception:  # the organiser gets a translated message and a reference into this log line
        reference = _reference(job_id)
        log.exception("job %s failed [%s]", job_id, reference)
        db.session.rollback()
        error = "crash"
    finally:
        channel.stop()
    job = db.session.get(SolveJob, job_id)
    db.session.refresh(job)
    if job.status != JobStatus.RUNNING:  # ended by a looker who thought this worker dead; that stands
        db.session.commit()
        return
    progress = SolveProgress(**(job.progress or {}))
    progress.update(channel.latest, reason=channel.outcome.get("reason"), reference=reference)
    if version_id is not None:
        version = db.session.get(ScheduleVersion, version_id)
        progress.update(scheduled=version.stats.get("scheduled"), holes=version.stats.get("holes"))
    job.progress = progress
    job.status, job.error, job.result_version_id, job.finished_at = status, error, version_id, utcnow()
    db.session.commit()


@task(TASK_NAME)
def run_solve_job(job_id: int, workers: int | None = None) -> None:
    """The background task: solve, validate, store a draft; record how it ended."""

    def work(job: SolveJob, channel: JobChannel) -> ScheduleVersion | None:
        event = db.session.get(Event, job.event_id)
        version, solution = solve_event(event, time_limit_s=job.time_limit_s, job_id=job.id, user_id=job.created_by_id,
                                        method=(job.progress or {}).get("method", "cp-sat"), on_progress=channel.progress,
                                        should_stop=channel.should_stop, workers=workers, on_figures=channel.figures)
        if version is None:
            channel.no_schedule(solution)
        return version

    run_tracked(job_id, work)


def solve_now(event: Event, *, time_limit_s: float, user_id: int | None = None, workers: int | None = None,
              method: str = "cp-sat") -> SolveJob:
    """Run a solve in this process and wait (CLI, demo): the same task, the same job row."""
    job = start_solve(event, time_limit_s=time_limit_s, user_id=user_id, method=method)
    db.session.commit()
    job_id = job.id
    run_solve_job(job_id, workers=workers)
    return db.session.get(SolveJob, job_id)
