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

    @classmethod
    def empty(cls, prep: Prepared) -> "Board":
        n = prep.n_slots
        return cls(prep, [set() for _ in prep.by_participant], [set() for _ in range(n)],
                   [set() for _ in range(n)], [0] * len(prep.by_participant))

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
        table = self._table(facts.table, s, want_table)
        if table is None:
            return None
        interp = None
        if facts.needs_interpreter:
            interp = self._interpreter(facts.kinds, s, want_interp)
            if interp is None:
                return None
        return table, interp

    def _table(self, pinned: int | None, s: int, want: int | None) -> int | None:
        busy = self.table_busy[s]
        if pinned is not None:
            return None if pinned in busy else pinned
        if want is not None and want not in busy:
            return want
        hosts = self.prep.host_tables
        free = next((t for t in range(len(self.prep.table_ids)) if t not in busy and t not in hosts), None)
        if free is None:
            free = next((t for t in range(len(self.prep.table_ids)) if t not in busy), None)
        return free

    def _interpreter(self, kinds: list[int], s: int, want: int | None) -> int | None:
        prep = self.prep
        candidates = [n for kind in kinds for n in prep.kind_members[kind]
                      if s in prep.interpreter_available[n] and n not in self.interp_busy[s]]
        if want is not None and want in candidates:
            return want
        return candidates[0] if candidates else None

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
    """Fixed first, then previous plan, then required, then optional; input order within each."""
    ks = list(range(len(prep.meetings))) if meetings is None else list(meetings)

    def rank(k: int) -> int:
        m = prep.meetings[k].meeting
        if m.fixed is not None and m.fixed.slot is not None:
            return 0
        if k in prep.previous:
            return 1
        return 2 if m.required else 3
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


def compact_fill(board: Board, meetings: list[int], slots: list[int]) -> list[int]:
    """Best-fit booking for one session: each meeting goes where it adds the fewest holes.

    Meetings are taken participant by participant (busiest first, then along the
    meeting graph) so that blocks grow next to each other; among the slots that
    fit, the one with the smallest increase of holes for its participants wins,
    ties going to the slot next to their other meetings, then the earliest.  Used
    as the starting hint of a session solve; returns the meetings that did not fit.
    """
    prep = board.prep
    pos = {s: i for i, s in enumerate(slots)}
    people = {k: [prep.participant_index[pid] for pid in prep.meetings[k].meeting.participants] for k in meetings}
    mine: dict[int, list[int]] = {}
    for k in meetings:
        for p in people[k]:
            mine.setdefault(p, []).append(k)

    def holes(p: int, marks: list[int]) -> int:
        if len(marks) < 2:
            return 0
        lo, hi = min(marks), max(marks)
        return sum(1 for i in range(lo + 1, hi) if i not in marks and slots[i] in prep.available[p])

    order: list[int] = []
    seen: set[int] = set()
    for start in sorted(mine, key=lambda p: (-len(mine[p]), p)):
        stack = [start]
        visited_p = {start}
        while stack:
            p = stack.pop(0)
            for k in sorted(mine[p], key=lambda k: (not prep.meetings[k].forced, k)):
                if k not in seen:
                    seen.add(k)
                    order.append(k)
                for q in people[k]:
                    if q not in visited_p:
                        visited_p.add(q)
                        stack.append(q)
    rank = {k: i for i, k in enumerate(order)}
    forced_first = sorted(order, key=lambda k: (not (prep.meetings[k].forced or k in prep.previous), rank[k]))
    left = []
    for k in forced_first:
        if k in prep.previous and board.keep_previous(k):
            continue
        best = None
        for s in prep.meetings[k].slots:
            if s not in pos:
                continue
            fit = board.fit(k, s)
            if fit is None:
                continue
            i = pos[s]
            delta, gap = 0, 0
            for p in people[k]:
                marks = [pos[t] for t in board.person_busy[p] if t in pos]
                delta += holes(p, marks + [i]) - holes(p, marks)
                if marks:
                    gap += min(abs(i - m) for m in marks)
            key = (delta, gap, i)
            if best is None or key < best[0]:
                best = (key, s, fit)
        if best is None:
            left.append(k)
        else:
            board.place(k, best[1], *best[2])
    return left


def solve_greedy(problem: Problem, prep: Prepared | None = None) -> Solution:
    from .validate import check

    started = time.perf_counter()
    prep = prep or prepare(problem)
    board = Board.empty(prep)
    left = fill(board, booking_order(prep))
    assignments = board.assignments()
    unscheduled = tuple(prep.meetings[k].meeting.id for k in sorted(left))
    forced_left = [k for k in left if prep.meetings[k].forced]
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
