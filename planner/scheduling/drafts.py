"""Draft schedules: a solver answer stored as a new version (validated first), its figures
refreshed, a solve of a whole event, and a version exported as `b2b-instance/1` + `b2b-solution/1`."""
from __future__ import annotations

import logging
from dataclasses import replace

import solver
from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, Meeting, MeetingRequest, Participant, ScheduleVersion
from planner.models.base import utcnow
from planner.models.enums import RequestPriority, RequestStatus, VersionStatus
from planner.models.shapes import UnscheduledEntry, VersionStats
from planner.scheduling.explain import explain_unscheduled, person_languages, zero_meeting_firms
from planner.scheduling.interpreters import keep_previous_interpreters
from planner.scheduling.translate import (
    Translation,
    build_problem,
    mid,
    pid,
    row_id,
    version_assignments,
    version_solution,
)
from planner.scheduling.versions import add_numbered, latest_version, published_version
from planner.text.i18n import _
from solver.io import problem_to_dict, solution_to_dict
from solver.validate import check

log = logging.getLogger(__name__)


def _request_for_suggestion(translation: Translation, key: str) -> MeetingRequest:
    a, b, score = translation.suggestions[key]
    request = MeetingRequest(event_id=translation.event.id, requester_firm_id=a, target_firm_id=b,
                             priority=RequestPriority.WOULD_LIKE, status=RequestStatus.ACCEPTED, score=score, suggested=True,
                             responded_at=utcnow())
    db.session.add(request)
    db.session.flush()
    translation.requests[key] = request
    return request


def store_draft(translation: Translation, solution: solver.Solution, *, base: ScheduleVersion | None = None,
                job_id: int | None = None, user_id: int | None = None, extra_stats: dict | None = None) -> ScheduleVersion:
    """Validate `solution` and store it as a new draft version; refuses an invalid one."""
    problem = translation.problem
    report = check(problem, solution)
    if not report.ok:
        codes = ", ".join(sorted(report.codes()))
        raise ServiceError(_("The solver's schedule breaks a rule (%(codes)s); nothing was stored.", codes=codes), "solution")
    event = translation.event
    version = add_numbered(ScheduleVersion(event_id=event.id, status=VersionStatus.DRAFT,
                                           based_on_id=base.id if base else None, solve_job_id=job_id, created_by_id=user_id))
    locked = translation.locked
    for a in solution.assignments:
        request = translation.requests.get(a.meeting) or _request_for_suggestion(translation, a.meeting)
        meeting = Meeting(request_id=request.id, slot_id=row_id(a.slot), table_id=row_id(a.table),
                          interpreter_id=row_id(a.interpreter) if a.interpreter else None,
                          locked=a.meeting in locked, sequence=max(0, request.ical_sequence))
        meeting.participants = meeting_people(translation, a.meeting, a.slot)
        version.meetings.append(meeting)
    left = [key for key in solution.unscheduled if key in translation.requests]
    reasons = explain_unscheduled(problem, solution, left)
    relaxed = set((extra_stats or {}).get("relaxed_required", []))
    version.unscheduled = translation.skipped + [
        UnscheduledEntry(request_id=translation.requests[key].id, people=_attending(translation, key),
                         reason="required_infeasible" if key in relaxed else reasons[key]) for key in left]
    stats: VersionStats = solution.stats.to_dict()
    stats.update(report.figures.to_dict())
    stats.update(status=solution.status.value,
                 requests=sum(1 for key in translation.requests if key not in translation.suggestions) + len(translation.skipped),
                 suggestions=len(translation.suggestions),
                 suggestions_scheduled=sum(1 for a in solution.assignments if a.meeting in translation.suggestions),
                 zero_firms=zero_meeting_firms(translation, solution.assignments), **(extra_stats or {}))
    version.stats = stats
    db.session.flush()
    return version


def _attending(translation: Translation, key: str) -> list[int]:
    """Row ids of the people the scheduler counted for meeting `key` (their languages decide)."""
    return [person.id for firm_id in translation.firm_of_meeting[key] for person in translation.firm_people[firm_id]]


def meeting_people(translation: Translation, key: str, slot_key: str) -> list[Participant]:
    """Who attends meeting `key` in slot `slot_key`: both firms' core, and their other people
    who come that day."""
    return [person for firm_id in translation.firm_of_meeting[key] for person in translation.firm_people[firm_id]] + [
        person for firm_id in translation.firm_of_meeting[key]
        for person, away in translation.companions.get(firm_id, []) if translation.slot_day[slot_key] not in away]


def refresh_figures(version: ScheduleVersion) -> solver.validate.Report:
    """Recompute a version's figures after a manual change."""
    translation = build_problem(version.event, with_fixed=False)
    known = {m.id for m in translation.problem.meetings}
    assignments = [a for a in version_assignments(version) if a.meeting in known]
    report = check(translation.problem, assignments)
    stats = VersionStats(**(version.stats or {}))
    stats.update(report.figures.to_dict())
    stats["zero_firms"] = zero_meeting_firms(translation, assignments)
    version.stats = stats
    placed = {a.meeting for a in assignments}
    left = [key for key in translation.requests if key not in placed]
    reasons = explain_unscheduled(translation.problem, solver.Solution(solver.Status.FEASIBLE, tuple(assignments)), left)
    version.unscheduled = translation.skipped + [
        UnscheduledEntry(request_id=translation.requests[key].id, people=_attending(translation, key), reason=reasons[key])
        for key in left if not translation.requests[key].suggested]
    return report


def solve_event(event: Event, *, time_limit_s: float = 30.0, base: ScheduleVersion | None = None,
                method: str = "cp-sat", job_id: int | None = None, user_id: int | None = None,
                on_progress=None, should_stop=None, workers: int | None = None,
                on_figures=None) -> tuple[ScheduleVersion | None, solver.Solution]:
    """Solve the event and store a draft. Returns (None, solution) when there is no schedule
    (cancelled, timed out or infeasible even with must-meets relaxed)."""
    if base is None:
        base = latest_version(event)
    translation = build_problem(event, base=base, previous=published_version(event) or base)
    if not translation.problem.slots:
        raise ServiceError(_("The event has no slots on usable days; add sessions first."), "slots")
    config = solver.Config(time_limit_s=time_limit_s, workers=workers)
    solution = solver.solve(translation.problem, config, method=method, on_progress=on_progress, should_stop=should_stop,
                            on_figures=on_figures)
    extra: dict = {}
    if solution.status == solver.Status.INFEASIBLE and any(m.required for m in translation.problem.meetings) \
            and not (should_stop and should_stop()):
        # Keep going with must-meets as heavy optional meetings, and say which ones did not fit.
        extra["infeasible_reason"] = solution.stats.extra.get("reason")
        required = [m.id for m in translation.problem.meetings if m.required]
        relaxed = replace(translation.problem, meetings=tuple(
            replace(m, required=False) for m in translation.problem.meetings))
        original = translation.problem
        translation.problem = relaxed
        solution = solver.solve(relaxed, config, method=method, on_progress=on_progress, should_stop=should_stop,
                            on_figures=on_figures)
        placed = {a.meeting for a in solution.assignments}
        extra["relaxed_required"] = [key for key in required if key not in placed]
        translation.problem = relaxed if extra["relaxed_required"] else original
    if not solution.status.has_schedule or (should_stop and should_stop()):
        return None, solution
    solution = keep_previous_interpreters(translation.problem, solution)
    version = store_draft(translation, solution, base=base, job_id=job_id, user_id=user_id, extra_stats=extra)
    return version, solution


def _companions(translation: Translation) -> tuple[solver.Participant, ...]:
    """The people who come on some days only, as participants of no meeting: they join their
    firm's meetings held on their days (`meeting_people`), which the contract cannot say, but
    their ids and days belong in the instance so that every person with meetings is in it."""
    tables = {p.id: p.table for p in translation.problem.participants}
    return tuple(
        solver.Participant(id=pid(person.id), languages=person_languages(person),
                           unavailable=frozenset(s for s, day in translation.slot_day.items() if day in away),
                           table=next((tables[pid(core.id)] for core in translation.firm_people[firm_id]), None))
        for firm_id, people in sorted(translation.companions.items()) for person, away in people)


def export_version(version: ScheduleVersion) -> tuple[dict, dict]:
    """(`b2b-instance/1`, `b2b-solution/1`) dicts of a version, ids as in `build_problem`.

    The instance lists every participant of the round who attends on some day with slots, so
    the participant ids of `export-ics` (p<participant id>) all appear in it; people who come
    on some days only are participants of no meeting (see `_companions`)."""
    translation = build_problem(version.event, base=version, previous=version, suggestions=False)
    # A must-meeting released on the event day (its firm's people did not come) is no longer
    # required: the version records why it is unscheduled, and the instance says the same.
    released = {mid(item["request_id"]) for item in version.unscheduled or []
                if item.get("reason") == "no_show" and "request_id" in item}
    translation.problem = replace(
        translation.problem, participants=translation.problem.participants + _companions(translation),
        meetings=tuple(replace(m, required=False) if m.id in released else m for m in translation.problem.meetings))
    problem = translation.problem
    known = {m.id for m in problem.meetings}
    # a locked meeting stays pinned; suggestions made requests are in the problem as m<id>
    solution = version_solution(version)
    assignments = tuple(a for a in solution.assignments if a.meeting in known)
    placed = {a.meeting for a in assignments}
    figures = check(problem, assignments).figures
    stats = replace(solution.stats, **figures.to_dict())
    solution = solver.Solution(solution.status, assignments,
                               tuple(m.id for m in problem.meetings if m.id not in placed), stats)
    return problem_to_dict(problem), solution_to_dict(solution)
