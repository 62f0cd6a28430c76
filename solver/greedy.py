"""First-fit baseline: book meetings one by one into the earliest slot that works.

This is how a simple booking tool behaves: fixed meetings first, then meetings of
the previous plan where they still fit, then required meetings and finally
optional ones, each in request (input) order, each into the first chronological
slot where every participant is free and available, a table is free (their host
or fixed table when they have one) and, when needed, a qualified interpreter is
free.  Every benchmark row reports it beside CP-SAT; the engine also uses it as
the starting hint.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from .index import Prepared, prepare
from .types import Assignment, Problem, Solution, Stats, Status


@dataclass
class Board:
    """Occupancy of participants, tables and interpreters per slot."""

    prep: Prepared
    person_busy: list[set[int]] = field(default_factory=list)  # participant -> slots
    table_busy: list[set[int]] = field(default_factory=list)  # slot -> tables
    interp_busy: list[set[int]] = field(default_factory=list)  # slot -> interpreters
    count: list[int] = field(default_factory=list)  # participant -> meetings
    placed: dict[int, tuple[int, int, int | None]] = field(default_factory=dict)
    cursor: list[int] = field(default_factory=list)  # slot -> position in prep.table_order

    @classmethod
    def empty(cls, prep: Prepared) -> Board:
        n = prep.n_slots
        return cls(prep, [set() for _ in prep.by_participant], [set() for _ in range(n)],
                   [set() for _ in range(n)], [0] * len(prep.by_participant), {}, [0] * n)

    def fit(self, k: int, s: int, want_table: int | None = None,
            want_interp: int | None = None) -> tuple[int, int | None] | None:
        """(table, interpreter) for meeting k in slot s, or None when it does not fit."""
        prep = self.prep
        facts = prep.meetings[k]
        people = [prep.participant_index[p] for p in facts.meeting.participants]
        if any(s in self.person_busy[p] for p in people):
            return None
        for p in people:
            limit = prep.problem.participants[p].max_meetings
            if limit is not None and self.count[p] >= limit:
                return None
        table = self._table(k, s, want_table)
        if table is None:
            return None
        interp = None
        if facts.needs_interpreter:
            interp = self._interpreter(facts.kinds, s, want_interp)
            if interp is None:
                return None
        return table, interp

    def _table(self, k: int, s: int, want: int | None) -> int | None:
        facts = self.prep.meetings[k]
        busy = self.table_busy[s]
        if facts.table is not None:
            return None if facts.table in busy else facts.table
        if want is not None and want not in busy and self.prep.admits(want, k):
            return want
        # a reserved table of one of its participants first: general tables stay free for others
        for t in facts.owned:
            if t not in busy:
                return t
        # a cursor per slot over the general tables (interchangeable first, host tables
        # last) finds the next free one; `unplace` resets it
        order = self.prep.table_order
        i = self.cursor[s]
        while i < len(order) and order[i] in busy:
            i += 1
        self.cursor[s] = i
        return order[i] if i < len(order) else None

    def _interpreter(self, kinds: list[int], s: int, want: int | None) -> int | None:
        prep = self.prep
        busy = self.interp_busy[s]

        def free(n: int) -> bool:
            return s in prep.interpreter_available[n] and n not in busy
        if want is not None and free(want) and prep.interpreter_kind[want] in kinds:
            return want
        return next((n for kind in kinds for n in prep.kind_members[kind] if free(n)), None)

    def place(self, k: int, s: int, table: int, interp: int | None) -> None:
        prep = self.prep
        for pid in prep.meetings[k].meeting.participants:
            p = prep.participant_index[pid]
            self.person_busy[p].add(s)
            self.count[p] += 1
        self.table_busy[s].add(table)
        if interp is not None:
            self.interp_busy[s].add(interp)
        self.placed[k] = (s, table, interp)

    def unplace(self, k: int) -> tuple[int, int, int | None]:
        prep = self.prep
        s, table, interp = self.placed.pop(k)
        for pid in prep.meetings[k].meeting.participants:
            p = prep.participant_index[pid]
            self.person_busy[p].discard(s)
            self.count[p] -= 1
        self.table_busy[s].discard(table)
        self.cursor[s] = 0
        if interp is not None:
            self.interp_busy[s].discard(interp)
        return s, table, interp

    def first_fit(self, k: int, slots: list[int] | None = None) -> bool:
        for s in self.prep.meetings[k].slots if slots is None else slots:
            fit = self.fit(k, s)
            if fit is not None:
                self.place(k, s, *fit)
                return True
        return False

    def keep_previous(self, k: int) -> bool:
        prep = self.prep
        prev = prep.previous[k]
        s = prep.slot_index[prev.slot]
        if s not in prep.meetings[k].slots:
            return False
        want_interp = None
        if prev.interpreter is not None:
            want_interp = next((n for n, i in enumerate(prep.problem.interpreters)
                                if i.id == prev.interpreter), None)
        fit = self.fit(k, s, prep.table_index[prev.table], want_interp)
        if fit is None:
            return False
        self.place(k, s, *fit)
        return True

    def assignments(self) -> list[Assignment]:
        prep = self.prep
        out = []
        for k in sorted(self.placed):
            s, t, n = self.placed[k]
            out.append(Assignment(prep.meetings[k].meeting.id, prep.slot_ids[s], prep.table_ids[t],
                                  None if n is None else prep.problem.interpreters[n].id))
        return out


def booking_order(prep: Prepared, meetings: list[int] | None = None) -> list[int]:
    """Meeting indices in booking order: required meetings fixed to a slot, then the previous
    plan (so that a re-plan starts from it), then required, then optional fixed ones, then
    other optional ones; input order within each."""
    ks = list(range(len(prep.meetings))) if meetings is None else list(meetings)

    def rank(k: int) -> int:
        m = prep.meetings[k].meeting
        fixed = m.fixed is not None and m.fixed.slot is not None
        if fixed and m.mandatory:
            return 0
        if k in prep.previous:
            return 1
        if m.mandatory:
            return 2
        return 3 if fixed else 4
    return sorted(ks, key=lambda k: (rank(k), k))


def fill(board: Board, order: list[int], slots_of=None) -> list[int]:
    """Book `order` onto `board`; returns the meetings that did not fit."""
    left = []
    for k in order:
        if not board.prep.meetings[k].slots:
            left.append(k)
            continue
        if k in board.prep.previous and board.keep_previous(k):
            continue
        if not board.first_fit(k, None if slots_of is None else slots_of(k)):
            left.append(k)
    return left


def solve_greedy(problem: Problem, prep: Prepared | None = None) -> Solution:
    from .validate import check

    started = time.perf_counter()
    prep = prep or prepare(problem)
    board = Board.empty(prep)
    left = fill(board, booking_order(prep))
    assignments = board.assignments()
    unscheduled = tuple(prep.meetings[k].meeting.id for k in sorted(left))
    forced_left = [k for k in left if prep.meetings[k].mandatory]
    figures = check(problem, assignments).figures
    extra = {}
    if forced_left:
        extra["unplaced_required"] = [prep.meetings[k].meeting.id for k in forced_left]
    status = Status.UNKNOWN if forced_left else Status.FEASIBLE
    stats = Stats(method="greedy", wall_s=time.perf_counter() - started, scheduled=figures.scheduled,
                  scheduled_weight=figures.scheduled_weight, shortfall=figures.shortfall,
                  holes=figures.holes, moved=figures.moved, best_bound=None, extra=extra)
    if forced_left:
        return Solution(status, (), tuple(m.id for m in problem.meetings), stats)
    return Solution(status, tuple(assignments), unscheduled, stats)
