"""Backfill: re-plan the rest of a day after no-shows, through the solver contract.

From the published version and the people confirmed absent on the day of `start`:
- every meeting outside the window (before `start`, or on another day) is `fixed` at its slot
  and table, required, and keeps its interpreter: it stays exactly as published;
- a meeting in the window whose firm has nobody left that day is released (unscheduled,
  reason "no_show"); a meeting where a colleague of the absent person remains stays, without them;
- the other meetings in the window are required but free to move; the published plan is the
  solver's `previous`, so a meeting moves only when that lets a freed partner meet someone;
- freed partners (the present side of a released meeting) get optional meetings from their
  accepted but unscheduled requests (their usual weight), then from their best suggestions
  among present firms (weighted lower); a suggestion scheduled this way becomes a request
  marked `proposed_on` the day;
- nobody can be placed outside the window (out-of-window slots are unavailable except where a
  person already has a kept meeting), and absent people are unavailable in it.
The answer is checked by `solver.validate.check` (in `store_draft`) and stored as a draft, with
its diff against the published version; the organiser publishes it (`publish_version`), which
sends the REQUEST and CANCEL e-mails and updates the feeds.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import solver
from planner.errors import ServiceError
from planner.eventday.attendance import absent_ids
from planner.extensions import db
from planner.matching.candidates import suggest_partners
from planner.models import Event, ScheduleVersion
from planner.models.shapes import UnscheduledEntry
from planner.scheduling.drafts import store_draft
from planner.scheduling.interpreters import keep_previous_interpreters
from planner.scheduling.publishing import diff_versions
from planner.scheduling.solving import SOLVE_TIME_LIMIT_S
from planner.scheduling.translate import _suggestion_weight, build_problem, pid, row_id
from planner.scheduling.versions import published_version
from planner.text.i18n import _, format_day
from planner.timetables.changes import ScheduleDiff

log = logging.getLogger(__name__)
SUGGESTIONS_PER_FREED_FIRM = 3


@dataclass
class BackfillResult:
    """The stored draft, what it changes against the published version, and the request ids
    released (absence) and proposed on the day."""

    version: ScheduleVersion
    diff: ScheduleDiff
    released: list[int] = field(default_factory=list)
    proposed: list[int] = field(default_factory=list)
    freed_firms: list[int] = field(default_factory=list)


def backfill_scope(event: Event, start: datetime) -> tuple[ScheduleVersion, date, set[int]]:
    """(published version, day of `start` in the round's zone, ids of the people confirmed absent
    that day) for a backfill from `start` (aware). ServiceError, with `field` "start",
    "published", "day" or "absent", when there is nothing to re-plan from there."""
    if start.tzinfo is None:
        raise ServiceError(_("Give the time with its UTC offset, e.g. 2026-11-09T09:00+03:30."), "start")
    published = published_version(event)
    if published is None:
        raise ServiceError(_("This round has no published schedule to backfill."), "published")
    day = start.astimezone(ZoneInfo(event.timezone)).date()
    if day not in event.days:
        raise ServiceError(_("This day is not one of the round's days."), "day")
    absent = absent_ids(event, day)
    if not absent:
        raise ServiceError(_("Nobody is confirmed absent on %(day)s; there is nothing to backfill.",
                             day=format_day(day)), "absent")
    return published, day, absent


def backfill_day(event: Event, start: datetime, *, time_limit_s: float = SOLVE_TIME_LIMIT_S, workers: int | None = None,
                 user_id: int | None = None, job_id: int | None = None, on_progress=None,
                 should_stop=None, on_figures=None) -> BackfillResult:
    """Re-plan the rest of the day of `start` (aware) around the people confirmed absent that
    day; stores and returns a validated draft (made by solve job `job_id`, when one runs it).

    `time_limit_s` bounds the whole search; `on_progress(elapsed, objective, bound)`,
    `on_figures(scheduled, holes)` and `should_stop()` are handed to the solver as a scheduler
    run does. ServiceError as `backfill_scope` says, with field "published_outdated" when
    published meetings can no longer happen as published, and "timeout" or "infeasible" when
    the solver finds no plan.
    """
    published, day, absent = backfill_scope(event, start)
    zone = ZoneInfo(event.timezone)
    deadline = time.monotonic() + time_limit_s
    translation = build_problem(event, base=published, previous=published, suggestions=False)
    problem = translation.problem
    prev = {a.meeting: a for a in problem.previous}
    if len(prev) != len(published.meetings):
        raise ServiceError(_("Some meetings of the published schedule are no longer possible (a request was "
                             "withdrawn or a day was closed). Re-run the scheduler first."), "published_outdated")
    slot_start = {s.id: s.start for s in problem.slots}
    window = {s for s, begins in slot_start.items() if begins.astimezone(zone).date() == day and begins >= start}
    outside = set(slot_start) - window
    gone = {pid(person_id) for person_id in absent}
    firm_core = {firm_id: [pid(p.id) for p in people] for firm_id, people in translation.firm_people.items()}
    unavailable = {p.id: p.unavailable for p in problem.participants}

    def present(firm_id: int) -> list[str]:
        """The firm's scheduled people who can meet in the window."""
        return [p for p in firm_core.get(firm_id, []) if p not in gone and not window <= unavailable[p]]

    meetings: dict[str, solver.Meeting] = {}
    released, candidates = [], []
    for meeting in problem.meetings:
        before = prev.get(meeting.id)
        if before is not None and before.slot in outside:
            meetings[meeting.id] = replace(meeting, fixed=solver.Fixed(before.slot, before.table), required=True)
        elif before is not None:
            sides = translation.firm_of_meeting[meeting.id]
            if all(present(firm_id) for firm_id in sides):
                touched = bool(gone & set(meeting.participants))
                meetings[meeting.id] = replace(meeting, participants=tuple(p for p in meeting.participants if p not in gone),
                                               required=True, fixed=None if touched else meeting.fixed)
            else:
                released.append(meeting.id)
        else:
            candidates.append(meeting)
    freed = sorted({firm_id for key in released for firm_id in translation.firm_of_meeting[key] if present(firm_id)})

    # Freed partners' accepted but unscheduled requests, with a present partner.
    pairs = {frozenset(sides) for sides in translation.firm_of_meeting.values()}
    for meeting in candidates:
        sides = translation.firm_of_meeting[meeting.id]
        if set(sides) & set(freed) and all(present(firm_id) for firm_id in sides):
            meetings[meeting.id] = replace(meeting, participants=tuple(p for f in sides for p in present(f)),
                                           required=False, fixed=None)
    # Then their best suggestions among present firms.
    for firm_id in freed:
        taken = 0
        for pair in suggest_partners(event, firm_id, limit=4 * SUGGESTIONS_PER_FREED_FIRM):
            other = pair.firm_b
            if taken >= SUGGESTIONS_PER_FREED_FIRM:
                break
            if frozenset((firm_id, other)) in pairs or not present(other):
                continue
            key = f"g{firm_id}-{other}"
            pairs.add(frozenset((firm_id, other)))
            meetings[key] = solver.Meeting(key, tuple(present(firm_id) + present(other)), weight=_suggestion_weight(pair.score))
            translation.suggestions[key] = (firm_id, other, pair.score)
            translation.firm_of_meeting[key] = (firm_id, other)
            taken += 1

    # Nobody is placed outside the window except where they keep a meeting; absent people not in it.
    kept_slots: dict[str, set[str]] = {}
    for key, meeting in meetings.items():
        if meeting.fixed is not None and key in prev and prev[key].slot in outside:
            for person in meeting.participants:
                kept_slots.setdefault(person, set()).add(prev[key].slot)
    people = tuple(replace(p, unavailable=frozenset(p.unavailable | (outside - kept_slots.get(p.id, set()))
                                                    | (window if p.id in gone else set())))
                   for p in problem.participants)
    backfill_problem = replace(problem, participants=people, meetings=tuple(meetings.values()),
                               previous=tuple(a for a in problem.previous if a.meeting in meetings))

    solution = solver.solve(backfill_problem, solver.Config(time_limit_s=time_limit_s, workers=workers),
                            on_progress=on_progress, should_stop=should_stop, on_figures=on_figures)
    if solution.status == solver.Status.INFEASIBLE and not (should_stop and should_stop()):
        # A change since publishing (a closed day, a person's days) keeps a meeting from staying:
        # let meetings in the window go rather than find nothing, in the time that is left.
        backfill_problem = replace(backfill_problem, meetings=tuple(
            replace(m, required=False) if m.fixed is None else m for m in backfill_problem.meetings))
        solution = solver.solve(backfill_problem, solver.Config(time_limit_s=max(1.0, deadline - time.monotonic()),
                                                                workers=workers),
                                on_progress=on_progress, should_stop=should_stop, on_figures=on_figures)
    if not solution.status.has_schedule:
        raise ServiceError(_("The scheduler found no plan for the rest of the day (%(status)s).",
                             status=solution.status.value),
                           "infeasible" if solution.status == solver.Status.INFEASIBLE else "timeout")
    solution = keep_previous_interpreters(backfill_problem, solution)
    # Meetings outside the window keep their published interpreter, as they keep slot and table.
    solution = replace(solution, assignments=tuple(
        replace(a, interpreter=prev[a.meeting].interpreter) if a.slot in outside and a.meeting in prev else a
        for a in solution.assignments))

    translation.problem = backfill_problem
    translation.requests = {key: request for key, request in translation.requests.items() if key in meetings}
    version = store_draft(translation, solution, base=published, job_id=job_id, user_id=user_id, extra_stats={
        "backfill": {"from": start.isoformat(), "day": day.isoformat(), "absent": sorted(absent),
                     "released": [row_id(key) for key in released], "freed_firms": freed}})
    _finish(version, start, zone, absent, published, released)
    proposed = []
    for key in translation.suggestions:
        request = translation.requests.get(key)
        if request is not None:
            request.proposed_on = day
            proposed.append(request.id)
    db.session.flush()
    return BackfillResult(version, diff_versions(published, version), [row_id(key) for key in released], proposed, freed)


def _finish(version: ScheduleVersion, start: datetime, zone: ZoneInfo, absent: set[int], published: ScheduleVersion,
            released: list[str]) -> None:
    """Absent people leave the meetings of the rest of the day (past ones stay as they were);
    the unscheduled list keeps what the published version had left out, and names the released meetings."""
    day = start.astimezone(zone).date()
    for meeting in version.meetings:
        if meeting.slot.start_dt >= start and meeting.slot.start_dt.astimezone(zone).date() == day:
            meeting.participants = [p for p in meeting.participants if p.id not in absent]
    placed = {m.request_id for m in version.meetings}
    listed = {entry.get("request_id") for entry in version.unscheduled or []}
    released_ids = {row_id(key) for key in released}
    entries = list(version.unscheduled or [])
    entries += [UnscheduledEntry(request_id=request_id, reason="no_show") for request_id in sorted(released_ids)]
    entries += [entry for entry in published.unscheduled or []
                if entry.get("request_id") not in placed | listed | released_ids]
    version.unscheduled = entries
