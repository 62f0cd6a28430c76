"""The shapes of the JSON columns, as TypedDicts: what `ScheduleVersion.stats`,
`ScheduleVersion.unscheduled` and `SolveJob.progress` hold. Writers build them with these
names and readers read them by these names; the database stores plain JSON."""
from __future__ import annotations

from typing import Any, TypedDict


class UnscheduledEntry(TypedDict, total=False):
    """A request the version does not schedule, and why (a reason code of `scheduling.explain`)."""

    request_id: int
    people: list[int]  # participant ids the scheduler counted for the meeting
    reason: str


class ZeroMeetingFirm(TypedDict):
    """A registered firm left without any meeting, and why."""

    firm_id: int
    reason: str  # "no_participants" | "requests_unscheduled" | "no_requests"


class VersionStats(TypedDict, total=False):
    """A version's figures: the solver's `Stats.to_dict()` and the validator's `Figures`, plus
    what the planner adds (counts of requests and suggestions, firms without a meeting)."""

    method: str  # "cp-sat" | "greedy" | "manual"
    status: str  # a `solver.Status` value
    wall_s: float  # seconds the solve took
    scheduled: int
    scheduled_weight: int
    shortfall: int
    holes: int
    moved: int
    best_bound: int | None
    requests: int
    suggestions: int
    suggestions_scheduled: int
    zero_firms: list[ZeroMeetingFirm]
    relaxed_required: list[str]  # meeting ids whose "must" was relaxed to find a schedule
    infeasible_reason: Any


class SolveProgress(TypedDict, total=False):
    """A running solve's progress, written by the solve's thread or RQ job and read by any web worker."""

    elapsed: float  # seconds since the solve started
    objective: float | None  # the best schedule's value so far
    bound: float | None  # the best proven bound so far
    method: str
    detail: str | None  # kept for rows written before `reason` and `reference`
    reason: str | None  # the solver's reason code when no schedule was found (translated on display)
    reference: str | None  # the log line's reference of a failed run, for whoever reads the server log
    accepted: int  # accepted requests the run had to place
    scheduled: int  # meetings in the best schedule so far (the stored draft's once the run is done)
    holes: int  # gaps between meetings in people's days, in the same schedule
    kind: str  # "backfill" for the event day's re-plan (eventday.backfill_runs); absent for a scheduler run
    backfill_from: str  # a backfill's instant to re-plan from, ISO 8601 with its offset
