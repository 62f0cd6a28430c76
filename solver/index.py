"""Facts derived once from a `Problem` and shared by the model, greedy and pre-check.

For each meeting: the slots it may take (sessions, fixed slot, everyone available,
an interpreter of a suitable kind free), the table it is pinned to (a host table
or a fixed table), the reserved tables it may use (reserved for one of its
participants), whether it draws on the general (unreserved) tables, whether it
needs an interpreter and which interpreter kinds qualify.

Tables: a table with `reserved_for` takes only that participant's meetings.  Since
a participant attends one meeting per slot, a meeting with such an owner never
competes for the owner's table, so per slot only the meetings that use a general
table have to fit into the general tables (`MeetingFacts.general`).  Interpreters with the same language set are interchangeable within a
slot, so they are grouped into kinds with a per-slot capacity; individuals are
named after the slots are chosen.  `solver.validate` does not use this module.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .types import Assignment, Meeting, Problem


@dataclass
class MeetingFacts:
    meeting: Meeting
    index: int
    slots: list[int]  # allowed slot indices, chronological
    table: int | None  # pinned table index
    needs_interpreter: bool
    kinds: list[int]  # qualified interpreter kinds (when needed)
    mandatory: bool  # Meeting.mandatory (rule 4): required
    why_not: str | None = None  # code when `slots` is empty
    owned: list[int] = field(default_factory=list)  # unpinned: reserved tables of its participants
    general: bool = True  # takes a general (unreserved) table: pinned to one, or unpinned without `owned`


@dataclass
class Prepared:
    problem: Problem
    slot_ids: list[str] = field(default_factory=list)  # chronological
    slot_index: dict[str, int] = field(default_factory=dict)
    session_of: list[int] = field(default_factory=list)  # slot index -> session index
    session_slots: list[list[int]] = field(default_factory=list)  # chronological
    table_ids: list[str] = field(default_factory=list)
    table_index: dict[str, int] = field(default_factory=dict)
    participant_index: dict[str, int] = field(default_factory=dict)
    available: list[set[int]] = field(default_factory=list)  # participant -> slots
    kinds: list[frozenset[str]] = field(default_factory=list)  # interpreter kinds by languages
    kind_members: list[list[int]] = field(default_factory=list)  # kind -> interpreter indices
    kind_capacity: list[list[int]] = field(default_factory=list)  # kind -> slot -> free interpreters
    interpreter_available: list[set[int]] = field(default_factory=list)
    meetings: list[MeetingFacts] = field(default_factory=list)
    by_participant: list[list[int]] = field(default_factory=list)  # participant -> meetings
    previous: dict[int, Assignment] = field(default_factory=dict)  # meeting index -> assignment
    host_tables: set[int] = field(default_factory=set)  # tables some participant is hosted at
    reserved: set[int] = field(default_factory=set)  # tables with reserved_for
    table_order: list[int] = field(default_factory=list)  # general tables: interchangeable first, host last
    meeting_pos: dict[str, int] = field(default_factory=dict)
    interpreter_pos: dict[str, int] = field(default_factory=dict)
    interpreter_kind: list[int] = field(default_factory=list)  # interpreter -> kind

    @property
    def n_slots(self) -> int:
        return len(self.slot_ids)

    @property
    def n_general(self) -> int:
        """Tables any meeting may use (not reserved)."""
        return len(self.table_order)

    def admits(self, t: int, k: int) -> bool:
        """May meeting k sit at table t (`Table.admits`)?"""
        return self.problem.tables[t].admits(self.meetings[k].meeting)


def prepare(problem: Problem) -> Prepared:
    prep = Prepared(problem)
    session_pos = {s.id: i for i, s in enumerate(problem.sessions)}
    slot_session = {sid: session_pos[s.id] for s in problem.sessions for sid in s.slots}
    ordered = sorted(problem.slots, key=lambda s: (s.start, s.end, slot_session[s.id], s.id))
    prep.slot_ids = [s.id for s in ordered]
    prep.slot_index = {sid: i for i, sid in enumerate(prep.slot_ids)}
    prep.session_of = [slot_session[sid] for sid in prep.slot_ids]
    prep.session_slots = [sorted(prep.slot_index[sid] for sid in s.slots) for s in problem.sessions]
    prep.table_ids = [t.id for t in problem.tables]
    prep.table_index = {tid: i for i, tid in enumerate(prep.table_ids)}
    prep.participant_index = {p.id: i for i, p in enumerate(problem.participants)}
    all_slots = set(range(prep.n_slots))
    prep.host_tables = {prep.table_index[p.table] for p in problem.participants if p.table is not None}
    prep.reserved = {t for t, table in enumerate(problem.tables) if table.reserved_for is not None}
    prep.table_order = sorted((t for t in range(len(prep.table_ids)) if t not in prep.reserved),
                              key=lambda t: (t in prep.host_tables, t))
    prep.available = [all_slots - {prep.slot_index[s] for s in p.unavailable}
                      for p in problem.participants]

    kind_of: dict[frozenset[str], int] = {}
    for n, interp in enumerate(problem.interpreters):
        prep.interpreter_available.append(all_slots - {prep.slot_index[s] for s in interp.unavailable})
        if interp.languages not in kind_of:
            kind_of[interp.languages] = len(prep.kinds)
            prep.kinds.append(interp.languages)
            prep.kind_members.append([])
        prep.kind_members[kind_of[interp.languages]].append(n)
        prep.interpreter_kind.append(kind_of[interp.languages])
        prep.interpreter_pos[interp.id] = n
    prep.kind_capacity = [[sum(1 for n in members if s in prep.interpreter_available[n])
                           for s in range(prep.n_slots)] for members in prep.kind_members]

    prep.by_participant = [[] for _ in problem.participants]
    session_sets = {s.id: set(prep.session_slots[i]) for i, s in enumerate(problem.sessions)}
    for k, meeting in enumerate(problem.meetings):
        facts = _meeting_facts(prep, meeting, k, session_sets, all_slots)
        prep.meetings.append(facts)
        for pid in meeting.participants:
            prep.by_participant[prep.participant_index[pid]].append(k)

    prep.meeting_pos = {m.id: k for k, m in enumerate(problem.meetings)}
    prep.previous = {prep.meeting_pos[a.meeting]: a for a in problem.previous if a.meeting in prep.meeting_pos}
    return prep


def _meeting_facts(prep: Prepared, meeting: Meeting, k: int, session_sets: dict[str, set[int]],
                   all_slots: set[int]) -> MeetingFacts:
    problem = prep.problem
    people = [problem.participants[prep.participant_index[p]] for p in meeting.participants]
    why: str | None = None

    tables = {p.table for p in people if p.table is not None}
    if meeting.fixed is not None and meeting.fixed.table is not None:
        tables.add(meeting.fixed.table)
    table = prep.table_index[next(iter(tables))] if len(tables) == 1 else None
    owned = [] if tables else [t for t, item in enumerate(problem.tables)
                               if item.reserved_for is not None and item.admits(meeting)]
    if len(tables) > 1:
        why = "table_conflict"
    elif table is not None and not problem.tables[table].admits(meeting):
        why = "table_reserved"
    elif table is None and not owned and not prep.table_order:
        why = "no_tables"
    general = table not in prep.reserved if table is not None else not owned

    shared = frozenset.intersection(*(p.languages for p in people))
    needs = not shared
    kinds = [n for n, langs in enumerate(prep.kinds) if all(langs & p.languages for p in people)] if needs else []

    slots = set(all_slots)
    if meeting.sessions is not None:
        slots = set().union(*(session_sets[s] for s in meeting.sessions)) if meeting.sessions else set()
    if meeting.fixed is not None and meeting.fixed.slot is not None:
        slots &= {prep.slot_index[meeting.fixed.slot]}
    for person in people:
        slots &= prep.available[prep.participant_index[person.id]]
    before_interpreters = bool(slots)
    if needs:
        slots = {s for s in slots if any(prep.kind_capacity[n][s] > 0 for n in kinds)}
    if why is None and not slots:
        if needs and any(not p.languages for p in people):
            why = "participant_without_language"
        elif needs and not kinds:
            why = "no_qualified_interpreter"
        elif before_interpreters:
            why = "no_interpreter_free"
        else:
            why = "no_common_slot"
    if why is not None:
        slots = set()
    return MeetingFacts(meeting, k, sorted(slots), table, needs, kinds, meeting.mandatory, why, owned, general)
