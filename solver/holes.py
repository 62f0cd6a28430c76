"""Rule 5 in the model: holes per participant and session, in one of two forms.

``chain`` (one boolean per position for "a meeting before", "a meeting after" and
"hole"): hole >= before + after - 1 - busy.  ``span`` (two integers per participant
and session): with positions ranked among the participant's *available* slots of
the session, holes >= last - first + 1 - meetings, where every busy position
bounds first from above and last from below.  Both are exact under minimisation;
the span form has far fewer variables and propagates a hole-free window directly
(a placed meeting at rank r confines the others to r +- meetings - 1), which lets
LNS close holes much faster on sessions of hundreds of meetings.

Each form exposes ``holes`` (position -> hole variable), ``max_holes``,
``variables()`` and ``hint(put, lit_value)`` for `solver.model.ScheduleModel`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

HOLE_FORMS = ("span", "chain")


@dataclass
class Chain:
    """Hole bookkeeping for one participant in one session, one boolean per position."""

    busy: list  # per position: literal, or None when no meeting can be there
    available: list[bool]
    before: list  # bool vars, position i: some meeting strictly before i
    after: list
    holes: dict[int, cp_model.IntVar] = field(default_factory=dict)  # position -> hole var

    @property
    def max_holes(self) -> int:
        return len(self.holes)

    def variables(self) -> list:
        return [v for v in self.before + self.after if v is not None] + list(self.holes.values())

    def hint(self, put, lit_value) -> None:
        n = len(self.busy)
        b = [lit_value(x) for x in self.busy]
        before, after, seen = [0] * n, [0] * n, 0
        for i in range(n):
            before[i] = seen
            seen = seen or b[i]
        seen = 0
        for i in range(n - 1, -1, -1):
            after[i] = seen
            seen = seen or b[i]
        for i in range(n):
            if self.before[i] is not None:
                put(self.before[i], before[i])
            if self.after[i] is not None:
                put(self.after[i], after[i])
        for i, h in self.holes.items():
            put(h, int(before[i] and after[i] and not b[i]))


@dataclass
class Span:
    """Hole bookkeeping for one participant in one session: first and last busy rank."""

    busy: list  # (rank among available positions, literal)
    first: cp_model.IntVar
    last: cp_model.IntVar
    hole: cp_model.IntVar
    upper: int

    @property
    def holes(self) -> dict[int, cp_model.IntVar]:
        return {0: self.hole}

    @property
    def max_holes(self) -> int:
        return self.upper

    def variables(self) -> list:
        return [self.first, self.last, self.hole]

    def hint(self, put, lit_value) -> None:
        ranks = [r for r, lit in self.busy if lit_value(lit)]
        lo, hi = self.busy[0][0], self.busy[-1][0]
        if ranks:
            put(self.first, min(ranks))
            put(self.last, max(ranks))
            put(self.hole, max(ranks) - min(ranks) + 1 - len(ranks))
        else:  # no meeting: an empty window
            put(self.first, hi + 1)
            put(self.last, lo - 1)
            put(self.hole, 0)


def add_holes(sm, form: str = "span") -> list:
    """Post rule 5 for every participant and session of `sm` that can have a hole."""
    out: list = []
    model, prep = sm.model, sm.prep
    for p, ks in sm.people.items():
        if len(ks) < 2:
            continue
        for session_slots in prep.session_slots:
            positions = [s for s in session_slots if s in sm.slots]
            if form == "span":
                positions = [s for s in positions if s in prep.available[p]]
            busy = [sm.busy.get((p, s)) for s in positions]
            used = [i for i, b in enumerate(busy) if b is not None]
            if len(used) < 2 or not _may_meet_twice(sm, ks, set(positions)):
                continue
            lo, hi = used[0], used[-1]
            if form == "span":
                if hi - lo < 2:
                    continue
                tag = f"{p},{positions[lo]}"
                first = model.new_int_var(lo, hi + 1, f"first[{tag}]")
                last = model.new_int_var(lo - 1, hi, f"last[{tag}]")
                hole = model.new_int_var(0, hi - lo - 1, f"holes[{tag}]")
                lits = [(i, busy[i]) for i in used]
                for i, lit in lits:
                    model.add(first <= i).only_enforce_if(lit)
                    model.add(last >= i).only_enforce_if(lit)
                model.add(hole >= last - first + 1 - sum(lit for _i, lit in lits))
                out.append(Span(lits, first, last, hole, hi - lo - 1))
                continue
            out.extend(_chain(sm, p, positions, busy, lo, hi))
    return out


def _chain(sm, p: int, positions: list[int], busy: list, lo: int, hi: int) -> list[Chain]:
    model = sm.model
    busy = busy[lo:hi + 1]
    avail = [positions[i] in sm.prep.available[p] for i in range(lo, hi + 1)]
    n = len(busy)
    before = [None] + [model.new_bool_var(f"before[{p},{positions[lo + i]}]") for i in range(1, n)]
    after = [model.new_bool_var(f"after[{p},{positions[lo + i]}]") for i in range(n - 1)] + [None]
    for i in range(1, n):
        if before[i - 1] is not None:
            model.add_implication(before[i - 1], before[i])
        if busy[i - 1] is not None:
            model.add_implication(busy[i - 1], before[i])
    for i in range(n - 2, -1, -1):
        if after[i + 1] is not None:
            model.add_implication(after[i + 1], after[i])
        if busy[i + 1] is not None:
            model.add_implication(busy[i + 1], after[i])
    chain = Chain(busy, avail, before, after)
    for i in range(1, n - 1):
        if not avail[i]:
            continue
        h = model.new_bool_var(f"hole[{p},{positions[lo + i]}]")
        b = busy[i] if busy[i] is not None else 0
        model.add(h >= before[i] + after[i] - 1 - b)
        chain.holes[i] = h
    return [chain] if chain.holes else []


def _may_meet_twice(sm, ks: list[int], positions: set[int]) -> bool:
    inside = [k for k in ks if any(s in positions for s in sm.prep.meetings[k].slots if (k, s) in sm.x)]
    return len(inside) >= 2
