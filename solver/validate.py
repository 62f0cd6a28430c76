"""An independent check of every hard rule and of the figures of a schedule.

Written from docs/DESIGN.md alone, without CP-SAT and without `solver.index`, so that
it can catch mistakes in the model.  It accepts any partial schedule (for
example the current plan with one meeting moved by hand): pass a `Solution` or
just an iterable of `Assignment`.  `required_unscheduled` is reported only for a
schedule that claims to be one (status OPTIMAL or FEASIBLE, or bare assignments).

Violation codes (stable, for the web app to translate):
``unknown_meeting``, ``unknown_slot``, ``unknown_table``, ``unknown_interpreter``,
``meeting_assigned_twice``, ``assigned_and_unscheduled``, ``table_double_booked``,
``participant_double_booked``, ``participant_unavailable``, ``session_not_allowed``,
``fixed_slot_moved``, ``fixed_table_moved``, ``host_table_violated``, ``table_reserved``,
``interpreter_missing``, ``interpreter_unqualified``, ``interpreter_double_booked``,
``interpreter_unavailable``, ``required_unscheduled``, ``max_meetings_exceeded``.

Rule 4 is `Meeting.mandatory` and the reserved-table rule is `Table.admits`, the same
definitions the model is built from; a `fixed` meeting that is not required may be
left out (``fixed_unscheduled`` was retired with issue 15).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .types import Assignment, Problem, Solution


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    meetings: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    interpreters: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        out: dict = {"code": self.code, "message": self.message}
        for key in ("meetings", "participants", "slots", "tables", "interpreters"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        return out


@dataclass(frozen=True)
class Figures:
    scheduled: int = 0
    scheduled_weight: int = 0
    shortfall: int = 0
    holes: int = 0
    moved: int = 0

    @property
    def value(self) -> int:
        return self.scheduled_weight - self.shortfall

    def to_dict(self) -> dict:
        return {"scheduled": self.scheduled, "scheduled_weight": self.scheduled_weight,
                "shortfall": self.shortfall, "holes": self.holes, "moved": self.moved}


@dataclass(frozen=True)
class Report:
    violations: tuple[Violation, ...] = ()
    figures: Figures = field(default_factory=Figures)
    holes_by_participant: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def codes(self) -> set[str]:
        return {v.code for v in self.violations}


def check(problem: Problem, solution: Solution | Iterable[Assignment]) -> Report:
    if isinstance(solution, Solution):
        assignments = list(solution.assignments)
        unscheduled = set(solution.unscheduled)
        claims_schedule = solution.status.has_schedule
    else:
        assignments, unscheduled, claims_schedule = list(solution), set(), True
    found: list[Violation] = []
    add = found.append

    meetings = {m.id: m for m in problem.meetings}
    slots = {s.id: s for s in problem.slots}
    tables = {t.id: t for t in problem.tables}
    people = {p.id: p for p in problem.participants}
    interpreters = {i.id: i for i in problem.interpreters}
    session_of = {sid: s.id for s in problem.sessions for sid in s.slots}

    placed: dict[str, Assignment] = {}
    for a in assignments:
        bad = False
        for kind, value, known in (("meeting", a.meeting, meetings), ("slot", a.slot, slots),
                                   ("table", a.table, tables),
                                   ("interpreter", a.interpreter, interpreters)):
            if value is not None and value not in known:
                add(Violation(f"unknown_{kind}", f"assignment of {a.meeting!r} names unknown {kind} {value!r}",
                              meetings=(a.meeting,)))
                bad = True
        if bad:
            continue
        if a.meeting in placed:
            add(Violation("meeting_assigned_twice", f"meeting {a.meeting!r} is assigned more than once",
                          meetings=(a.meeting,)))
            continue
        placed[a.meeting] = a
        if a.meeting in unscheduled:
            add(Violation("assigned_and_unscheduled", f"meeting {a.meeting!r} is both assigned and unscheduled",
                          meetings=(a.meeting,)))

    by_table: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_person: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_interpreter: dict[tuple[str, str], list[str]] = defaultdict(list)
    count: dict[str, int] = defaultdict(int)
    for a in placed.values():
        m = meetings[a.meeting]
        by_table[(a.slot, a.table)].append(m.id)
        if not tables[a.table].admits(m):
            add(Violation("table_reserved", f"table {a.table!r} is reserved for participant "
                          f"{tables[a.table].reserved_for!r}, who is not in meeting {m.id!r}",
                          meetings=(m.id,), participants=(tables[a.table].reserved_for,), slots=(a.slot,),
                          tables=(a.table,)))
        if m.sessions is not None and session_of[a.slot] not in m.sessions:
            add(Violation("session_not_allowed", f"meeting {m.id!r} is in session {session_of[a.slot]!r}, "
                          "which it may not use", meetings=(m.id,), slots=(a.slot,)))
        if m.fixed is not None and m.fixed.slot is not None and m.fixed.slot != a.slot:
            add(Violation("fixed_slot_moved", f"meeting {m.id!r} is fixed to slot {m.fixed.slot!r}",
                          meetings=(m.id,), slots=(a.slot, m.fixed.slot)))
        if m.fixed is not None and m.fixed.table is not None and m.fixed.table != a.table:
            add(Violation("fixed_table_moved", f"meeting {m.id!r} is fixed to table {m.fixed.table!r}",
                          meetings=(m.id,), tables=(a.table, m.fixed.table)))
        for pid in m.participants:
            p = people[pid]
            count[pid] += 1
            by_person[(a.slot, pid)].append(m.id)
            if a.slot in p.unavailable:
                add(Violation("participant_unavailable", f"participant {pid!r} is unavailable in slot {a.slot!r}",
                              meetings=(m.id,), participants=(pid,), slots=(a.slot,)))
            if p.table is not None and p.table != a.table:
                add(Violation("host_table_violated", f"participant {pid!r} meets only at table {p.table!r}",
                              meetings=(m.id,), participants=(pid,), tables=(a.table, p.table)))
        _check_interpreter(m, a, people, interpreters, add)
        if a.interpreter is not None:
            by_interpreter[(a.slot, a.interpreter)].append(m.id)

    for (slot, table), ids in by_table.items():
        if len(ids) > 1:
            add(Violation("table_double_booked", f"table {table!r} hosts {len(ids)} meetings in slot {slot!r}",
                          meetings=tuple(ids), slots=(slot,), tables=(table,)))
    for (slot, pid), ids in by_person.items():
        if len(ids) > 1:
            add(Violation("participant_double_booked", f"participant {pid!r} has {len(ids)} meetings in slot {slot!r}",
                          meetings=tuple(ids), participants=(pid,), slots=(slot,)))
    for (slot, iid), ids in by_interpreter.items():
        if len(ids) > 1:
            add(Violation("interpreter_double_booked", f"interpreter {iid!r} serves {len(ids)} meetings in slot {slot!r}",
                          meetings=tuple(ids), slots=(slot,), interpreters=(iid,)))
    for m in problem.meetings:
        if m.id in placed:
            continue
        if m.mandatory and claims_schedule:
            add(Violation("required_unscheduled", f"required meeting {m.id!r} is not scheduled", meetings=(m.id,)))
    for p in problem.participants:
        if p.max_meetings is not None and count[p.id] > p.max_meetings:
            add(Violation("max_meetings_exceeded", f"participant {p.id!r} has {count[p.id]} meetings, "
                          f"at most {p.max_meetings} allowed", participants=(p.id,)))

    holes = _holes(problem, placed, meetings)
    previous_moved = sum(1 for a in problem.previous
                         if a.meeting not in placed or placed[a.meeting].slot != a.slot
                         or placed[a.meeting].table != a.table)
    figures = Figures(
        scheduled=len(placed),
        scheduled_weight=sum(meetings[mid].weight for mid in placed),
        shortfall=sum(max(0, p.min_meetings - count[p.id]) for p in problem.participants),
        holes=sum(holes.values()),
        moved=previous_moved,
    )
    return Report(tuple(found), figures, {pid: n for pid, n in holes.items() if n})


def _check_interpreter(m, a: Assignment, people, interpreters, add) -> None:
    languages = [people[pid].languages for pid in m.participants]
    needs = not frozenset.intersection(*languages)
    if a.interpreter is None:
        if needs:
            add(Violation("interpreter_missing", f"meeting {m.id!r} shares no language and has no interpreter",
                          meetings=(m.id,), slots=(a.slot,)))
        return
    interp = interpreters[a.interpreter]
    if needs and not all(interp.languages & langs for langs in languages):
        add(Violation("interpreter_unqualified", f"interpreter {interp.id!r} does not speak a language of "
                      f"every participant of {m.id!r}", meetings=(m.id,), interpreters=(interp.id,)))
    if a.slot in interp.unavailable:
        add(Violation("interpreter_unavailable", f"interpreter {interp.id!r} is unavailable in slot {a.slot!r}",
                      meetings=(m.id,), slots=(a.slot,), interpreters=(interp.id,)))


def _holes(problem: Problem, placed: dict[str, Assignment], meetings) -> dict[str, int]:
    """Rule 5: free, available slots strictly between a participant's first and last meeting of a session."""
    start = {s.id: (s.start, s.end) for s in problem.slots}
    busy: dict[str, set[str]] = defaultdict(set)
    for a in placed.values():
        for pid in meetings[a.meeting].participants:
            busy[pid].add(a.slot)
    holes: dict[str, int] = defaultdict(int)
    for p in problem.participants:
        mine = busy.get(p.id)
        if not mine:
            continue
        for session in problem.sessions:
            ordered = sorted(session.slots, key=lambda sid: start[sid])
            marks = [i for i, sid in enumerate(ordered) if sid in mine]
            if len(marks) < 2:
                continue
            for sid in ordered[marks[0] + 1:marks[-1]]:
                if sid not in mine and sid not in p.unavailable:
                    holes[p.id] += 1
    return dict(holes)
