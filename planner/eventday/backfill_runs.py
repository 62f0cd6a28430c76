"""Backfill in the background: the organiser's re-plan of a day runs as a solve job.

`start_backfill` checks at once that there is something to re-plan (an answer in the reader's
language while the form is still on screen) and records a queued `SolveJob` marked
`kind="backfill"` with the instant to re-plan from; the caller commits, then calls
`launch_backfill`. The task `eventday.backfill` runs `backfill_day` through
`scheduling.solving.run_tracked`, the same runner as the scheduler: thread pool or RQ worker
(`planner.jobs`), progress and heartbeat on the job row, cancel, the solver's normal time limit,
one run per round at a time. The finished job names the draft, whose diff the organiser checks
before publishing.
"""
from __future__ import annotations

from datetime import datetime

from planner.errors import ServiceError
from planner.eventday.backfill import backfill_day, backfill_scope
from planner.extensions import db
from planner.jobs import enqueue, task
from planner.models import Event, ScheduleVersion, SolveJob
from planner.models.shapes import SolveProgress
from planner.scheduling.solving import SOLVE_TIME_LIMIT_S, JobChannel, run_tracked, start_solve

TASK_NAME = "eventday.backfill"
KIND = "backfill"
# What `backfill_scope` refuses, found again by the worker: the round changed after the form was sent.
CHANGED = {"start", "published", "day", "absent"}


def start_backfill(event: Event, start: datetime, *, user_id: int | None = None,
                   time_limit_s: float = SOLVE_TIME_LIMIT_S) -> SolveJob:
    """Record a queued backfill of the day of `start` (aware) from `start` on; flushes.

    ServiceError as `backfill_scope` says, or when a run (scheduler or backfill) of the round
    is already going on.
    """
    backfill_scope(event, start)
    job = start_solve(event, time_limit_s=time_limit_s, user_id=user_id)
    job.progress = SolveProgress(**(job.progress or {}), kind=KIND, backfill_from=start.isoformat())
    db.session.flush()
    return job


def launch_backfill(job: SolveJob) -> None:
    """Hand a committed backfill job to the background runner."""
    enqueue(TASK_NAME, job_id=job.id)


def is_backfill(job: SolveJob | None) -> bool:
    return job is not None and (job.progress or {}).get("kind") == KIND


def backfill_start(job: SolveJob) -> datetime:
    """The aware instant a backfill job re-plans from."""
    return datetime.fromisoformat(job.progress["backfill_from"])


@task(TASK_NAME)
def run_backfill_job(job_id: int, workers: int | None = None) -> None:
    """The background task: re-plan the day, validate, store the draft; record how it ended."""

    def work(job: SolveJob, channel: JobChannel) -> ScheduleVersion:
        event = db.session.get(Event, job.event_id)
        try:
            return backfill_day(event, backfill_start(job), time_limit_s=job.time_limit_s, workers=workers,
                                user_id=job.created_by_id, job_id=job.id, on_progress=channel.progress,
                                should_stop=channel.should_stop, on_figures=channel.figures).version
        except ServiceError as error:
            if error.field in CHANGED:
                raise ServiceError(error.message, "changed") from error
            raise

    run_tracked(job_id, work)
