"""The only translator between rows and `solver` types, and the store of draft schedules.

Ids in the problem are the row ids with a prefix: participant ``p12``, slot ``s40``,
table ``t3``, interpreter ``i2``, session ``session7``, meeting ``m<request id>`` (so a
meeting keeps its id, and its iCalendar UID, across versions) and ``g<firm>-<firm>``
for a suggested meeting that has no request yet.

How rows become a problem:
- A firm's meetings are attended by all of its people who come on at least one usable
  day; each person is unavailable outside their attending days and their delegation's
  travel window, on their own country's public holidays (visitors), and on blocked days.
  The firm's minimum number of meetings is put on its first person only, so a shortfall
  counts once per firm; the maximum on every person (they attend the same meetings).
- A host table (a firm's stand) is the table of every person of that firm, and of no other
  meeting: it goes to the solver `reserved_for` the firm's first core person (who attends
  every meeting of the firm), so the solver, its validator and the board all keep it.
- Accepted requests become meetings: "must" → required, "would like" → optional with a
  weight; with `Event.suggest_for_shortfall`, the best-scoring partners of firms below
  their minimum become optional meetings weighted by the match score.
- Locked meetings of the version being edited are `fixed`; the published version's
  meetings are `previous`, so a re-plan moves as little as it can.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

import solver
from planner.events.services import event_sessions, public_holidays, usable_days
from planner.extensions import db
from planner.matching.candidates import score_pairs_for_event
from planner.models import Event, Firm, MeetingRequest, Participant, ScheduleVersion
from planner.models.enums import RequestPriority, RequestStatus
from planner.models.shapes import UnscheduledEntry
from planner.scheduling.explain import (
    person_languages,
)
from planner.scheduling.versions import published_version

log = logging.getLogger(__name__)

VENUE_COUNTRY = "IR"  # rounds are held in Mashhad; `events.services.blockers_for` blocks Iran's holidays
WEIGHT_MUST = 20  # only counts when required meetings had to be relaxed
WEIGHT_WOULD_LIKE = 10
WEIGHT_SUGGESTION_MAX = 5  # a suggestion weighs 1..5 by match score; a shortfall unit weighs 1

def pid(participant_id: int) -> str:
    return f"p{participant_id}"


def sid(slot_id: int) -> str:
    return f"s{slot_id}"


def tid(table_id: int) -> str:
    return f"t{table_id}"


def iid(interpreter_id: int) -> str:
    return f"i{interpreter_id}"


def mid(request_id: int) -> str:
    return f"m{request_id}"


def row_id(solver_id: str) -> int:
    """`p12` → 12, `m7` → 7 (not for suggestions)."""
    return int(solver_id.lstrip("pstim"))


@dataclass
class Translation:
    """A problem and what its ids stand for."""

    event: Event
    problem: solver.Problem
    requests: dict[str, MeetingRequest] = field(default_factory=dict)  # meeting id -> request
    suggestions: dict[str, tuple[int, int, float]] = field(default_factory=dict)  # meeting id -> (firm, firm, score)
    firm_people: dict[int, list[Participant]] = field(default_factory=dict)  # the core, in every meeting
    companions: dict[int, list[tuple[Participant, set[date]]]] = field(default_factory=dict)  # (person, days away)
    slot_day: dict[str, date] = field(default_factory=dict)
    firm_of_meeting: dict[str, tuple[int, int]] = field(default_factory=dict)
    skipped: list[UnscheduledEntry] = field(default_factory=list)  # requests left out of the problem
    skipped_pairs: dict[int, tuple[int, int]] = field(default_factory=dict)  # request id -> (firm, firm)
    absent: dict[int, str] = field(default_factory=dict)  # registered firm id -> why nobody of it attends
    locked: set[str] = field(default_factory=set)


# --- rows -> problem --------------------------------------------------------------------------

def _day_of(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def firm_bounds(event: Event) -> dict[int, tuple[int, int | None]]:
    """Id of each firm taking part (approved) -> (min, max) meetings, the firm's own or the event's."""
    bounds = {}
    for registration in event.taking_part:
        bounds[registration.firm_id] = event.meeting_bounds(registration)
    return bounds


def accepted_requests(event: Event) -> list[MeetingRequest]:
    return list(db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.ACCEPTED).order_by(MeetingRequest.id)))


def build_problem(event: Event, *, base: ScheduleVersion | None = None, previous: ScheduleVersion | None = None,
                  with_fixed: bool = True, suggestions: bool | None = None) -> Translation:
    """The solver problem for `event`: locked meetings of `base` fixed, `previous`
    (default: the published version) as the plan to stay close to."""
    zone = ZoneInfo(event.timezone)
    usable = usable_days(event)
    opened = set(event.open_days or [])

    # sessions and slots on usable days
    sessions, slots, slot_day = [], [], {}
    for session in event_sessions(event):
        if _day_of(session.start_dt, zone) not in usable or not session.slots:
            continue
        ids = []
        for slot in session.slots:
            slots.append(solver.Slot(sid(slot.id), slot.start_dt.astimezone(zone), slot.end_dt.astimezone(zone)))
            slot_day[sid(slot.id)] = _day_of(slot.start_dt, zone)
            ids.append(sid(slot.id))
        sessions.append(solver.Session(f"session{session.id}", tuple(ids)))
    days_with_slots = sorted(set(slot_day.values()))
    host_table = {table.host_firm_id: tid(table.id) for table in reversed(event.tables) if table.host_firm_id}

    # people of registered firms
    bounds = firm_bounds(event)
    firm_ids = list(bounds)
    firms = {firm.id: firm for firm in db.session.scalars(select(Firm).where(Firm.id.in_(firm_ids)))} if firm_ids else {}
    people: list[solver.Participant] = []
    firm_people: dict[int, list[Participant]] = {}
    firm_companions: dict[int, list[tuple[Participant, set[date]]]] = {}
    absent: dict[int, str] = {}
    for firm_id in sorted(firms):
        firm = firms[firm_id]
        low, high = bounds[firm_id]
        causes: set[str] = set()  # why people are away on days with slots
        # Visitors are away on their own country's public holidays (the venue's block the day).
        home = firm.region.country if firm.region.country != VENUE_COUNTRY else None
        attending = []
        for person in firm.participants:
            away = set()
            for day in days_with_slots:
                outside = any(visit.away_on(day) for visit in person.visits_to(event.id))
                holiday = home is not None and day.isoformat() not in opened and public_holidays(home, day) is not None
                absent_day = not person.attends(event.id, day)
                if absent_day or outside or holiday:
                    away.add(day)
                    causes.add("not_attending_days" if absent_day else "outside_travel_window" if outside
                               else "home_holidays")
            if days_with_slots and len(away) == len(days_with_slots):
                continue
            attending.append((person, away))
        if not attending or not days_with_slots:
            absent[firm_id] = ("no_people" if not firm.participants else "no_sessions" if not days_with_slots
                               else causes.pop() if len(causes) == 1 else "no_participants")
            continue
        # The firm's core attends every meeting: its people who come on every day, else the one
        # who comes most. The others join the meetings held on their days (see `store_draft`).
        core = [(person, away) for person, away in attending if not away] or [min(attending, key=lambda pa: len(pa[1]))]
        firm_people[firm_id] = [person for person, _away in core]
        firm_companions[firm_id] = [(person, away) for person, away in attending if (person, away) not in core]
        for index, (person, away) in enumerate(core):
            people.append(solver.Participant(
                id=pid(person.id),
                unavailable=frozenset(s for s, day in slot_day.items() if day in away),
                languages=person_languages(person),
                min_meetings=low if index == 0 else 0,
                max_meetings=high,
                table=host_table.get(firm_id),
            ))

    slot_ids = set(slot_day)
    interpreters = [solver.Interpreter(iid(item.id), frozenset(item.languages or []),
                                       frozenset(sid(s.id) for s in item.unavailable_slots) & slot_ids)
                    for item in event.interpreters]

    translation = Translation(event, None, firm_people=firm_people, companions=firm_companions,  # type: ignore[arg-type]
                              slot_day=slot_day, absent=absent)
    fixed = {}
    if base is not None and with_fixed:
        for meeting in base.live_meetings:
            if meeting.locked and sid(meeting.slot_id) in slot_ids:
                fixed[mid(meeting.request_id)] = solver.Fixed(sid(meeting.slot_id), tid(meeting.table_id))

    meetings: list[solver.Meeting] = []
    registered = set(firm_ids)
    for request in accepted_requests(event):
        pair = (request.requester_firm_id, request.target_firm_id)
        reason = None
        if not set(pair) <= registered:
            waiting = {r.firm_id for r in event.registrations if not r.takes_part}
            reason = "not_approved" if set(pair) & waiting else "not_registered"
        elif event.who_can_meet == "cross-region" and firms[pair[0]].region_id == firms[pair[1]].region_id:
            reason = "same_region"
        elif not all(firm_id in firm_people for firm_id in pair):
            reason = next(absent[firm_id] for firm_id in pair if firm_id not in firm_people)
        if reason:
            translation.skipped.append(UnscheduledEntry(request_id=request.id, reason=reason))
            translation.skipped_pairs[request.id] = pair
            continue
        key = mid(request.id)
        if request.suggested:
            weight = _suggestion_weight(request.score or 0.0)
        else:
            weight = WEIGHT_MUST if request.priority == RequestPriority.MUST else WEIGHT_WOULD_LIKE
        meetings.append(solver.Meeting(
            id=key,
            participants=tuple(pid(p.id) for firm_id in pair for p in firm_people[firm_id]),
            # A locked meeting is kept where it is: `fixed` says where, `required` that it happens
            # (contract rule 4: a fixed optional meeting may be dropped).
            weight=weight, required=(request.priority == RequestPriority.MUST and not request.suggested) or key in fixed,
            fixed=fixed.get(key)))
        translation.requests[key] = request
        translation.firm_of_meeting[key] = pair
        if key in fixed:
            translation.locked.add(key)

    if event.suggest_for_shortfall if suggestions is None else suggestions:
        meetings += _suggested_meetings(event, translation, bounds)

    previous = previous if previous is not None else published_version(event)
    known = {m.id for m in meetings}
    interpreter_ids = {i.id for i in interpreters}
    prior = []
    if previous is not None:
        for meeting in previous.live_meetings:
            key = mid(meeting.request_id)
            if key in known and sid(meeting.slot_id) in slot_ids:
                interpreter = iid(meeting.interpreter_id) if meeting.interpreter_id else None
                prior.append(solver.Assignment(key, sid(meeting.slot_id), tid(meeting.table_id),
                                               interpreter if interpreter in interpreter_ids else None))
    # A stand takes only its firm's meetings: reserved for the firm's first core person, who is in
    # every meeting of the firm. A stand whose firm sends nobody is an ordinary table.
    tables = [solver.Table(tid(table.id), reserved_for=pid(firm_people[table.host_firm_id][0].id)
                           if table.host_firm_id in firm_people else None) for table in event.tables]
    translation.problem = solver.Problem(tuple(sessions), tuple(slots), tuple(tables), tuple(people),
                                         tuple(interpreters), tuple(meetings), tuple(prior))
    return translation


def _suggestion_weight(score: float) -> int:
    return max(1, min(WEIGHT_SUGGESTION_MAX, round(score / 8)))


def _suggested_meetings(event: Event, translation: Translation, bounds) -> list[solver.Meeting]:
    """Optional meetings with the best partners of firms whose requests fall short of their minimum."""

    count: dict[int, int] = defaultdict(int)
    for a, b in translation.firm_of_meeting.values():
        count[a] += 1
        count[b] += 1
    short = {firm_id for firm_id, (low, _high) in bounds.items()
             if firm_id in translation.firm_people and count[firm_id] < low}
    if not short:
        return []
    asked = set()
    for a, b in db.session.execute(select(MeetingRequest.requester_firm_id, MeetingRequest.target_firm_id)
                                   .where(MeetingRequest.event_id == event.id)):
        asked.add(frozenset((a, b)))
    wanted = {firm_id: 2 * (bounds[firm_id][0] - count[firm_id]) for firm_id in short}
    out = []
    for pair in score_pairs_for_event(event):
        a, b = pair.firm_a, pair.firm_b
        if frozenset((a, b)) in asked or a not in translation.firm_people or b not in translation.firm_people:
            continue
        if wanted.get(a, 0) <= 0 and wanted.get(b, 0) <= 0:
            continue
        for firm_id in (a, b):
            if firm_id in wanted:
                wanted[firm_id] -= 1
        asked.add(frozenset((a, b)))
        key = f"g{a}-{b}"
        out.append(solver.Meeting(key, tuple(pid(p.id) for f in (a, b) for p in translation.firm_people[f]),
                                  weight=_suggestion_weight(pair.score)))
        translation.suggestions[key] = (a, b, pair.score)
        translation.firm_of_meeting[key] = (a, b)
    return out


def version_assignments(version: ScheduleVersion) -> list[solver.Assignment]:
    return [solver.Assignment(mid(m.request_id), sid(m.slot_id), tid(m.table_id),
                              iid(m.interpreter_id) if m.interpreter_id else None) for m in version.live_meetings]


def version_solution(version: ScheduleVersion) -> solver.Solution:
    """A stored version as a `b2b-solution/1` solution (for export and checks)."""
    stats = version.stats or {}
    known = {key: stats[key] for key in ("method", "wall_s", "scheduled", "scheduled_weight", "shortfall", "holes",
                                         "moved", "best_bound") if key in stats}
    status = solver.Status(stats.get("status", "FEASIBLE"))
    if not status.has_schedule:
        status = solver.Status.FEASIBLE
    unscheduled = tuple(mid(item["request_id"]) for item in version.unscheduled or [] if "request_id" in item)
    return solver.Solution(status, tuple(version_assignments(version)), unscheduled, solver.Stats(**known))

