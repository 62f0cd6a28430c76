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
    def empty(cls, prep: Prepared) -> "Board":
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
    # per participant: free prefix counts of available positions, and the busy span so far
    free_before = {p: _prefix([slots[i] in prep.available[p] for i in range(len(slots))]) for p in mine}
    span: dict[int, tuple[int, int]] = {}

    def delta(p: int, i: int) -> tuple[int, int]:
        """(change of holes, distance to the block) when p also meets at position i."""
        if p not in span:
            return 0, 0
        lo, hi = span[p]
        count = free_before[p]
        if i < lo:
            return count[lo] - count[i + 1], lo - i
        if i > hi:
            return count[i] - count[hi + 1], i - hi
        return -1, 0  # fills one of its holes (i is free and available, or the meeting would not fit)

    order: list[int] = []
    seen: set[int] = set()
    visited: set[int] = set()
    for start in sorted(mine, key=lambda p: (-len(mine[p]), p)):
        if start in visited:
            continue
        queue, head = [start], 0
        visited.add(start)
        while head < len(queue):
            p = queue[head]
            head += 1
            for k in mine[p]:
                if k not in seen:
                    seen.add(k)
                    order.append(k)
                for q in people[k]:
                    if q not in visited:
                        visited.add(q)
                        queue.append(q)
    rank = {k: i for i, k in enumerate(order)}
    order.sort(key=lambda k: (not (prep.meetings[k].mandatory or k in prep.previous), rank[k]))
    left = []
    for k in order:
        if k in prep.previous and board.keep_previous(k):
            s = board.placed[k][0]
        else:
            best = None
            for s in prep.meetings[k].slots:
                if s not in pos:
                    continue
                i = pos[s]
                cost = [delta(p, i) for p in people[k]]
                key = (sum(c[0] for c in cost), sum(c[1] for c in cost), i)
                if best is not None and key >= best[0]:
                    continue
                fit = board.fit(k, s)
                if fit is not None:
                    best = (key, s, fit)
            if best is None:
                left.append(k)
                continue
            s = best[1]
            board.place(k, s, *best[2])
        if s in pos:
            i = pos[s]
            for p in people[k]:
                lo, hi = span.get(p, (i, i))
                span[p] = (min(lo, i), max(hi, i))
    return left


def improve_holes(board: Board, meetings: list[int], slots: list[int], rounds: int = 6) -> int:
    """Local search after `compact_fill`: move single meetings to other slots of the session
    while that lowers the holes of their participants.  Meetings kept from the previous plan
    stay.  Returns the number of moves."""
    prep = board.prep
    pos = {s: i for i, s in enumerate(slots)}
    people = {k: [prep.participant_index[pid] for pid in prep.meetings[k].meeting.participants] for k in meetings}
    avail = {}
    for ps in people.values():
        for p in ps:
            if p not in avail:
                avail[p] = _prefix([slots[i] in prep.available[p] for i in range(len(slots))])

    def holes(p: int, marks: set[int]) -> int:
        if len(marks) < 2:
            return 0
        lo, hi = min(marks), max(marks)
        return avail[p][hi + 1] - avail[p][lo] - len(marks)

    def marks(p: int) -> set[int]:
        return {pos[t] for t in board.person_busy[p] if t in pos}

    moves = 0
    for _ in range(rounds):
        moved = 0
        for k in meetings:
            if k not in board.placed:
                continue
            prev = prep.previous.get(k)
            s0 = board.placed[k][0]
            if prev is not None and prev.slot == prep.slot_ids[s0]:
                continue
            i0 = pos.get(s0)
            if i0 is None:
                continue
            current = {p: marks(p) for p in people[k]}
            base = sum(holes(p, m) for p, m in current.items())
            if base == 0:
                continue
            options = []
            for s in prep.meetings[k].slots:
                j = pos.get(s)
                if j is None or j == i0:
                    continue
                cost = sum(holes(p, (m - {i0}) | {j}) for p, m in current.items())
                if cost < base:
                    options.append((cost, j, s))
            if not options:
                continue
            old = board.unplace(k)
            for _cost, _j, s in sorted(options):
                fit = board.fit(k, s)
                if fit is not None:
                    board.place(k, s, *fit)
                    moved += 1
                    break
            else:
                board.place(k, *old)
                moved += _swap(board, k, options, people, pos, holes, marks, base)
        moves += moved
        if not moved:
            break
    return moves


def _swap(board: Board, k: int, options, people, pos, holes, marks, base: int) -> int:
    """Exchange the slots of k and a meeting k2 that blocks k's better slot, when the holes of
    everyone involved go down.  Returns 1 on a swap, else 0."""
    prep = board.prep
    s0 = board.placed[k][0]
    for _cost, _j, s in sorted(options)[:3]:
        blockers = {k2 for k2, (t, _tb, _in) in board.placed.items() if t == s and k2 != k
                    and set(people.get(k2, ())) & set(people[k])}
        if len(blockers) != 1:
            continue
        k2 = blockers.pop()
        prev = prep.previous.get(k2)
        if prev is not None and prev.slot == prep.slot_ids[s]:
            continue
        if s0 not in prep.meetings[k2].slots:
            continue
        involved = set(people[k]) | set(people[k2])
        before = sum(holes(p, marks(p)) for p in involved)
        i0, j = pos[s0], pos[s]
        after = 0
        for p in involved:
            m = marks(p)
            if p in people[k]:
                m = m - {i0}
            if p in people[k2]:
                m = m - {j}
            if p in people[k]:
                m = m | {j}
            if p in people[k2]:
                m = m | {i0}
            after += holes(p, m)
        if after >= before:
            continue
        old_k, old_k2 = board.unplace(k), board.unplace(k2)
        fit_k = board.fit(k, s)
        if fit_k is not None:
            board.place(k, s, *fit_k)
            fit_k2 = board.fit(k2, s0)
            if fit_k2 is not None:
                board.place(k2, s0, *fit_k2)
                return 1
            board.unplace(k)
        board.place(k2, *old_k2)
        board.place(k, *old_k)
    return 0


def _prefix(flags: list[bool]) -> list[int]:
    out = [0]
    for flag in flags:
        out.append(out[-1] + int(flag))
    return out


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
