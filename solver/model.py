"""The CP-SAT model of one scope: a set of meetings over a set of slots.

Slots are decided first: a boolean ``x[k, s]`` exists only for the slots meeting
``k`` may take (see `solver.index`).  General (unreserved) tables are a per-slot
capacity for the meetings that use them; tables a meeting is pinned to (host or
fixed) are exact per-slot constraints; a meeting with a participant who owns a
reserved table always finds that table free, so it needs no capacity; the
concrete table is given afterwards (`solver.naming`).
Interpreters with the same languages form a kind whose per-slot capacity is the
number of free members, which makes the interpreter assignment exact: a meeting
that needs one is placed in one qualified kind per slot (``y[k, s, n]`` when it
has several), and members are named afterwards.

One ``_add_<rule>()`` per rule family; the three objective tiers are exposed as
expressions with trivial bounds so the engine can solve them lexicographically.
"""
from __future__ import annotations

import os

from ortools.sat.python import cp_model

from .holes import HOLE_FORMS, add_holes
from .index import Prepared


class ScheduleModel:
    """Builds the model for `meetings` (indices into `prep.meetings`) over `slots`.

    `base_count[p]` is how many meetings participant p already has outside this
    scope (for min/max meetings).  With `soft_mandatory`, forced meetings become
    optional with a weight larger than everything else together, so the model is
    never infeasible because of them (used for sessions of a decomposition).
    Meetings in `must` have to be scheduled, whatever their own settings.
    """

    def __init__(self, prep: Prepared, meetings: list[int], slots: set[int] | None = None, *,
                 base_count: dict[int, int] | None = None, soft_mandatory: bool = False,
                 must: set[int] | None = None, holes: bool = True, hole_form: str | None = None):
        self.prep = prep
        self.model = cp_model.CpModel()
        self.meetings = list(meetings)
        self.slots = set(range(prep.n_slots)) if slots is None else set(slots)
        self.base_count = base_count or {}
        self.soft_mandatory = soft_mandatory
        self.must = must or set()  # scheduled for sure in this scope (hard), besides mandatory ones
        self.with_holes = holes  # False: no hole chains (tier c is solved per session later)
        # KARVAN_HOLE_FORM overrides the default for measurements (bench/README.md)
        self.hole_form = hole_form or os.environ.get("KARVAN_HOLE_FORM", "span")
        if self.hole_form not in HOLE_FORMS:
            raise ValueError(f"unknown hole form {self.hole_form!r}")
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.y: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.keep: dict[int, cp_model.IntVar] = {}  # previous meeting kept at its slot and table
        self.keep_slot_table: dict[int, tuple[int, int]] = {}
        self.shortfall: dict[int, cp_model.IntVar] = {}
        self.chains: list = []  # solver.holes.Chain or Span, one per participant and session
        self.at_slot: dict[int, list[int]] = {}  # slot -> meetings that may be there
        self.people: dict[int, list[int]] = {}  # participant -> meetings in scope
        self.mandatory_bonus = 0
        self._add_constraints()
        self._add_objective_terms()

    # ------------------------------------------------------------ building
    def _add_constraints(self) -> None:
        self._add_slot_choice()
        self._add_participant_rules()
        self._add_table_rules()
        self._add_interpreter_rules()
        self._add_meeting_counts()
        self._add_moves()
        self._add_table_capacity()
        self._add_holes()

    def _add_slot_choice(self) -> None:
        """Rule 1/2: a meeting takes at most one of its allowed slots; forced ones exactly one."""
        prep = self.prep
        for k in self.meetings:
            facts = prep.meetings[k]
            options = [s for s in facts.slots if s in self.slots]
            for s in options:
                self.x[k, s] = self.model.new_bool_var(f"x[{facts.meeting.id},{prep.slot_ids[s]}]")
                self.at_slot.setdefault(s, []).append(k)
            lits = [self.x[k, s] for s in options]
            if (facts.mandatory and not self.soft_mandatory) or k in self.must:  # rule 4
                self.model.add_exactly_one(lits)
            elif len(lits) > 1:
                self.model.add_at_most_one(lits)
            for pid in facts.meeting.participants:
                self.people.setdefault(prep.participant_index[pid], []).append(k)

    def scheduled(self, k: int):
        return sum(self.x[k, s] for s in self.prep.meetings[k].slots if (k, s) in self.x)

    def _add_participant_rules(self) -> None:
        """Rule 1: a participant attends at most one meeting per slot (unavailable slots have no x)."""
        self.busy: dict[tuple[int, int], object] = {}
        for p, ks in self.people.items():
            per_slot: dict[int, list] = {}
            for k in ks:
                for s in self.prep.meetings[k].slots:
                    if (k, s) in self.x:
                        per_slot.setdefault(s, []).append(self.x[k, s])
            for s, lits in per_slot.items():
                if len(lits) == 1:
                    self.busy[p, s] = lits[0]
                else:
                    b = self.model.new_bool_var(f"busy[{p},{s}]")
                    self.model.add(sum(lits) == b)  # also: at most one meeting per slot
                    self.busy[p, s] = b
            # redundant: busy slots = meetings of the participant
            if len(per_slot) > 1:
                self.model.add(sum(self.busy[p, s] for s in per_slot) == sum(self.scheduled(k) for k in ks))

    def _add_table_rules(self) -> None:
        """Rule 1/2: collects, per slot, the meetings on general tables and, per slot and
        pinned table, the meetings there; `_add_moves` adds the kept meetings and
        `_add_table_capacity` posts the limits."""
        self._general: dict[int, list] = {}
        self._pinned: dict[tuple[int, int], list] = {}
        for s, ks in self.at_slot.items():
            for k in ks:
                facts = self.prep.meetings[k]
                if facts.general:
                    self._general.setdefault(s, []).append(self.x[k, s])
                if facts.table is not None:
                    self._pinned.setdefault((s, facts.table), []).append(self.x[k, s])

    def _add_table_capacity(self) -> None:
        """Per slot, meetings on general tables <= general tables; a pinned (or kept) table
        hosts at most one meeting per slot.  Meetings of an owner of a reserved table are
        not counted: the owner attends one meeting per slot, so their table is free."""
        n_general = self.prep.n_general
        for lits in self._general.values():
            if len(lits) > n_general:
                self.model.add(sum(lits) <= n_general)
        for lits in self._pinned.values():
            if len(lits) > 1:
                self.model.add_at_most_one(lits)

    def _add_interpreter_rules(self) -> None:
        """Rule 3, exactly: per slot, the meetings that need an interpreter can be matched to
        free qualified interpreters.  Interpreters with the same languages are one kind; by
        Hall's theorem a matching exists iff for every union K of qualified-kind sets, the
        meetings whose kinds all lie in K are at most the free members of K.  With many
        kinds, a per-meeting kind choice ``y[k, s, n]`` is used instead."""
        prep = self.prep
        for s, ks in self.at_slot.items():
            needing = [k for k in ks if prep.meetings[k].needs_interpreter]
            if not needing:
                continue
            qualified = {k: frozenset(n for n in prep.meetings[k].kinds if prep.kind_capacity[n][s] > 0)
                         for k in needing}
            family = _unions(set(qualified.values()), limit=64)
            if family is None:
                self._add_interpreter_choice(s, needing, qualified)
                continue
            for kinds in family:
                inside = [self.x[k, s] for k in needing if qualified[k] <= kinds]
                capacity = sum(prep.kind_capacity[n][s] for n in kinds)
                if len(inside) > capacity:
                    self.model.add(sum(inside) <= capacity)

    def _add_interpreter_choice(self, s: int, needing: list[int], qualified: dict) -> None:
        load: dict[int, list] = {}
        for k in needing:
            lits = []
            for n in sorted(qualified[k]):
                v = self.model.new_bool_var(f"y[{self.prep.meetings[k].meeting.id},{self.prep.slot_ids[s]},{n}]")
                self.y[k, s, n] = v
                lits.append(v)
                load.setdefault(n, []).append(v)
            self.model.add(sum(lits) == self.x[k, s])
        for n, lits in load.items():
            if len(lits) > self.prep.kind_capacity[n][s]:
                self.model.add(sum(lits) <= self.prep.kind_capacity[n][s])

    def _add_meeting_counts(self) -> None:
        """Rule 4: max_meetings is hard; shortfall below min_meetings is a penalty."""
        for p, ks in self.people.items():
            person = self.prep.problem.participants[p]
            base = self.base_count.get(p, 0)
            count = sum(self.scheduled(k) for k in ks)
            if person.max_meetings is not None and len(ks) + base > person.max_meetings:
                self.model.add(count <= max(0, person.max_meetings - base))
            need = person.min_meetings - base
            if need > 0:
                short = self.model.new_int_var(0, need, f"shortfall[{person.id}]")
                self.model.add(short >= need - count)
                self.shortfall[p] = short

    def _add_moves(self) -> None:
        """Tier (b): a previous meeting is kept when it has the same slot and the same table."""
        prep = self.prep
        for k in self.meetings:
            prev = prep.previous.get(k)
            if prev is None:
                continue
            s, t = prep.slot_index[prev.slot], prep.table_index[prev.table]
            if (k, s) not in self.x:
                continue
            facts = prep.meetings[k]
            if facts.table is not None:
                if facts.table == t:
                    self.keep[k] = self.x[k, s]
                continue
            if not prep.admits(t, k):  # its previous table is now reserved for someone else
                continue
            keep = self.model.new_bool_var(f"keep[{facts.meeting.id}]")
            self.model.add_implication(keep, self.x[k, s])
            self.keep[k] = keep
            self.keep_slot_table[k] = (s, t)
            self._pinned.setdefault((s, t), []).append(keep)
            if not facts.general and t not in prep.reserved:
                # an owner's meeting kept at a general table takes one of them
                self._general.setdefault(s, []).append(keep)

    def _add_holes(self) -> None:
        """Rule 5, per participant and session (`solver.holes`, in the form `hole_form`)."""
        if self.with_holes:
            self.chains = add_holes(self, self.hole_form)

    # ------------------------------------------------------------ objective tiers
    def _add_objective_terms(self) -> None:
        prep = self.prep
        weight = {k: prep.meetings[k].meeting.weight for k in self.meetings}
        if self.soft_mandatory:
            bonus = sum(weight.values()) + sum(p.min_meetings for p in prep.problem.participants) + 1
            self.mandatory_bonus = bonus
            for k in self.meetings:
                if prep.meetings[k].mandatory:
                    weight[k] += bonus
        self.weight = weight
        self.value = (sum(weight[k] * self.x[k, s] for (k, s) in self.x)
                      - sum(self.shortfall.values()))
        self.value_ub = sum(weight[k] for k in self.meetings if prep.meetings[k].slots and
                            any((k, s) in self.x for s in prep.meetings[k].slots))
        for p in self.shortfall:  # shortfall no schedule can avoid
            need = prep.problem.participants[p].min_meetings - self.base_count.get(p, 0)
            possible = sum(1 for k in self.people[p] if any((k, s) in self.x for s in prep.meetings[k].slots))
            self.value_ub -= max(0, need - possible)
        self.value_constant = not self.soft_mandatory and all(
            k in self.must or prep.meetings[k].mandatory for k in self.meetings)
        n_prev = sum(1 for k in self.meetings if k in prep.previous)
        self.moved = n_prev - sum(self.keep.values())
        self.moved_lb = n_prev - len(self.keep)
        self.holes = sum(h for c in self.chains for h in c.holes.values())

    def all_vars(self) -> list:
        out = list(self.x.values()) + list(self.y.values()) + list(self.busy.values())
        out += list(self.keep.values()) + list(self.shortfall.values())
        for c in self.chains:
            out += c.variables()
        seen, unique = set(), []
        for v in out:
            if isinstance(v, cp_model.IntVar) and v.index not in seen:
                seen.add(v.index)
                unique.append(v)
        return unique

    # ------------------------------------------------------------ hints
    def hint(self, placement: dict[int, tuple[int, int | None]], kept: set[int]) -> tuple[int, int, int]:
        """A complete hint from a placement {meeting: (slot, kind or None)} and the kept meetings.

        Returns the tier values (value, moved, holes) of the hinted schedule.
        """
        m = self.model
        m.clear_hints()
        value: dict[int, int] = {}

        def put(var, v: int) -> None:
            if isinstance(var, cp_model.IntVar) and var.index not in value:
                value[var.index] = v
                m.add_hint(var, v)

        for (k, s), var in self.x.items():
            put(var, int(placement.get(k, (None,))[0] == s))
        for (k, s, n), var in self.y.items():
            got = placement.get(k)
            put(var, int(got is not None and got[0] == s and got[1] == n))
        for k, var in self.keep.items():
            put(var, int(k in kept))
        busy_at: dict[tuple[int, int], int] = {}
        for p, ks in self.people.items():
            for k in ks:
                if k in placement:
                    busy_at[p, placement[k][0]] = 1
        for (p, s), var in self.busy.items():
            put(var, busy_at.get((p, s), 0))
        count: dict[int, int] = {}
        for p, ks in self.people.items():
            count[p] = sum(1 for k in ks if k in placement)
        for p, var in self.shortfall.items():
            need = self.prep.problem.participants[p].min_meetings - self.base_count.get(p, 0)
            put(var, max(0, need - count[p]))

        def lit_value(lit) -> int:
            return 0 if lit is None else value.get(lit.index, 0)

        for c in self.chains:
            c.hint(put, lit_value)
        tier_value = (sum(self.weight[k] for k in placement if k in self.weight)
                      - sum(value[v.index] for v in self.shortfall.values()))
        moved = sum(1 for k in self.meetings if k in self.prep.previous) - sum(
            value[v.index] for v in self.keep.values())
        holes = sum(value[h.index] for c in self.chains for h in c.holes.values())
        return tier_value, moved, holes

    def hint_from_solver(self, solver: cp_model.CpSolver) -> None:
        self.model.clear_hints()
        for var in self.all_vars():
            self.model.add_hint(var, solver.value(var))

    def read(self, solver) -> tuple[dict[int, tuple[int, int | None]], set[int]]:
        """The placement {meeting: (slot, kind or None)} and the kept meetings of a solution."""
        placement: dict[int, tuple[int, int | None]] = {}
        for (k, s), var in self.x.items():
            if solver.value(var):
                kind = next((n for n in self.prep.meetings[k].kinds
                             if (k, s, n) in self.y and solver.value(self.y[k, s, n])), None)
                placement[k] = (s, kind)
        kept = {k for k, var in self.keep.items() if solver.value(var)}
        return placement, kept


def _unions(sets: set[frozenset[int]], limit: int) -> list[frozenset[int]] | None:
    """All unions of non-empty subfamilies of `sets`, or None when there are more than `limit`."""
    family: set[frozenset[int]] = set()
    for q in sets:
        family |= {q | f for f in family}
        family.add(q)
        if len(family) > limit:
            return None
    return sorted(family, key=lambda f: (len(f), sorted(f)))
