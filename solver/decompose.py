"""Phase 1 of the decomposition: decide which session each meeting goes to.

A small CP-SAT model with one boolean ``z[k, S]`` per meeting and allowed
session, and only counting constraints per session: a participant gets at most
as many meetings as they have usable slots there, a pinned table at most one
meeting per slot, the session at most |tables| per slot, interpreter kinds at
most their free member-slots; max_meetings overall, shortfall below
min_meetings.  Its objective is tiers (a) and (b) with lexicographic weights
(moves counted at session level).  Because every constraint is necessary, the
model is a relaxation and its bound on tier (a) is a valid bound for the whole
problem.  The greedy schedule gives the starting hint.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .cpsat import Context, run
from .index import Prepared

PHASE1_PARAMS: dict = {"symmetry_level": 0, "max_presolve_iterations": 1, "cp_model_probing_level": 0}  # full presolve takes ~9 s on L


@dataclass
class SessionPlan:
    status: str
    session_of: dict[int, int] = field(default_factory=dict)  # meeting -> session
    value_bound: float | None = None
    optimal: bool = False
    wall_s: float = 0.0


def plan_sessions(prep: Prepared, ctx: Context, budget_s: float,
                  hint: dict[int, int] | None = None) -> SessionPlan:
    model = cp_model.CpModel()
    n_sessions = len(prep.session_slots)
    slot_sets = [set(s) for s in prep.session_slots]
    z: dict[tuple[int, int], cp_model.IntVar] = {}
    for f in prep.meetings:
        options = sorted({prep.session_of[s] for s in f.slots})
        for S in options:
            z[f.index, S] = model.new_bool_var(f"z[{f.meeting.id},{S}]")
        lits = [z[f.index, S] for S in options]
        if f.mandatory:
            model.add_exactly_one(lits)
        elif len(lits) > 1:
            model.add_at_most_one(lits)

    def in_session(k: int, S: int) -> set[int]:
        return {s for s in prep.meetings[k].slots if s in slot_sets[S]}

    # participants: meetings in a session <= usable slots of the participant there
    shortfall = []
    short_of: dict[int, cp_model.IntVar] = {}
    for p, ks in enumerate(prep.by_participant):
        person = prep.problem.participants[p]
        for S in range(n_sessions):
            mine = [k for k in ks if (k, S) in z]
            if not mine:
                continue
            usable = set().union(*(in_session(k, S) for k in mine))
            if len(mine) > len(usable):
                model.add(sum(z[k, S] for k in mine) <= len(usable))
        total = sum(z[k, S] for k in ks for S in range(n_sessions) if (k, S) in z)
        if person.max_meetings is not None and len(ks) > person.max_meetings:
            model.add(total <= person.max_meetings)
        if person.min_meetings > 0:
            short = model.new_int_var(0, person.min_meetings, f"shortfall[{person.id}]")
            model.add(short >= person.min_meetings - total)
            shortfall.append(short)
            short_of[p] = short

    # tables: general tables per session (owners' meetings use their reserved table), pinned tables
    n_tables, n_general = len(prep.table_ids), prep.n_general
    for S in range(n_sessions):
        ks = [f.index for f in prep.meetings if (f.index, S) in z]
        general = [k for k in ks if prep.meetings[k].general]
        if len(general) > n_general * len(prep.session_slots[S]):
            model.add(sum(z[k, S] for k in general) <= n_general * len(prep.session_slots[S]))
        pinned: dict[int, list[int]] = {}
        for k in ks:
            if prep.meetings[k].table is not None:
                pinned.setdefault(prep.meetings[k].table, []).append(k)
        for group in pinned.values():
            usable = set().union(*(in_session(k, S) for k in group))
            if len(group) > len(usable):
                model.add(sum(z[k, S] for k in group) <= len(usable))
        # interpreters: per kind for single-kind meetings, and all interpreted meetings together
        interpreted = [k for k in ks if prep.meetings[k].needs_interpreter]
        if interpreted:
            slots = prep.session_slots[S]
            total_cap = sum(min(n_tables, sum(prep.kind_capacity[n][s] for n in range(len(prep.kinds))))
                            for s in slots)
            if len(interpreted) > total_cap:
                model.add(sum(z[k, S] for k in interpreted) <= total_cap)
            by_kind: dict[int, list[int]] = {}
            for k in interpreted:
                if len(prep.meetings[k].kinds) == 1:
                    by_kind.setdefault(prep.meetings[k].kinds[0], []).append(k)
            for n, group in by_kind.items():
                cap = sum(prep.kind_capacity[n][s] for s in slots)
                if len(group) > cap:
                    model.add(sum(z[k, S] for k in group) <= cap)

    value = sum(prep.meetings[k].meeting.weight * v for (k, _S), v in z.items()) - sum(shortfall)
    moved_terms = []
    for k, prev in prep.previous.items():
        S = prep.session_of[prep.slot_index[prev.slot]]
        moved_terms.append(1 - z[k, S] if (k, S) in z else 1)
    scale = len(moved_terms) + 1
    model.maximize(scale * value - sum(moved_terms))
    heuristic_moved: int | None = None  # session-level moves of the starting point, below
    # starting point: meetings in booking order (fixed, previous, required, optional), each
    # into the least loaded session where the counts allow
    from .greedy import booking_order
    loads = SessionLoads(prep, {})
    loads.insert(booking_order(prep))
    heuristic = loads.session_of
    for (k, S), v in z.items():
        model.add_hint(v, int(heuristic.get(k) == S))
    for p, short in short_of.items():
        model.add_hint(short, max(0, prep.problem.participants[p].min_meetings - loads.count[p]))
    if ctx.config.stable and ctx.config.minimise_moves and moved_terms and all(k in heuristic for k, f in enumerate(prep.meetings) if f.mandatory):
        # stability first: no session split moves more previous meetings off their session
        heuristic_moved = sum(1 for k, prev in prep.previous.items()
                              if heuristic.get(k) != prep.session_of[prep.slot_index[prev.slot]])
        model.add(sum(moved_terms) <= heuristic_moved)
    solver, status = run(model, ctx, budget_s, patience=1.0, **PHASE1_PARAMS)
    plan = SessionPlan(solver.status_name(status), wall_s=solver.wall_time)
    if status == cp_model.INFEASIBLE and heuristic_moved is not None:
        plan.status = "UNKNOWN"  # only the stability cap was refuted: the heuristic split stands
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan.optimal = status == cp_model.OPTIMAL
        plan.value_bound = (solver.best_objective_bound + len(moved_terms)) // scale
        plan.session_of = {k: S for (k, S), v in z.items() if solver.value(v)}
    elif status == cp_model.INFEASIBLE and heuristic_moved is None:
        return plan
    elif heuristic_moved is not None or all(k in heuristic for k in range(len(prep.meetings)) if prep.meetings[k].mandatory):
        plan.session_of = heuristic
    else:
        return plan
    plan.session_of = level_sessions(prep, plan.session_of)
    return plan


class SessionLoads:
    """Per-session counts of the phase-1 model, for moves and insertions without a solver."""

    def __init__(self, prep: Prepared, session_of: dict[int, int]):
        self.prep = prep
        n_sessions = len(prep.session_slots)
        slot_sets = [set(s) for s in prep.session_slots]
        n_tables = len(prep.table_ids)
        self.session_of = dict(session_of)
        self.options = {f.index: sorted({prep.session_of[s] for s in f.slots}) for f in prep.meetings}
        self.cap_p: dict[tuple[int, int], int] = {}
        for p, ks in enumerate(prep.by_participant):
            for S in range(n_sessions):
                usable: set[int] = set()
                for k in ks:
                    usable |= {s for s in prep.meetings[k].slots if s in slot_sets[S]}
                self.cap_p[p, S] = len(usable)
        self.cap_t: dict[tuple[int, int], int] = {}
        pinned_slots: dict[tuple[int, int], set[int]] = {}
        for f in prep.meetings:
            if f.table is not None:
                for s in f.slots:
                    pinned_slots.setdefault((f.table, prep.session_of[s]), set()).add(s)
        self.cap_t = {key: len(v) for key, v in pinned_slots.items()}
        self.room = [prep.n_general * len(slots) for slots in prep.session_slots]  # general tables
        kinds = range(len(prep.kinds))
        self.interp_room = [sum(min(n_tables, sum(prep.kind_capacity[n][s] for n in kinds)) for s in slots)
                            for slots in prep.session_slots]
        self.kind_room = {(n, S): sum(prep.kind_capacity[n][s] for s in slots)
                          for n in kinds for S, slots in enumerate(prep.session_slots)}
        self.load_p: dict[tuple[int, int], int] = {}
        self.load_s = [0] * n_sessions
        self.load_t: dict[tuple[int, int], int] = {}
        self.load_i = [0] * n_sessions
        self.load_k: dict[tuple[int, int], int] = {}
        self.count = [0] * len(prep.by_participant)
        self.people = [[prep.participant_index[pid] for pid in f.meeting.participants] for f in prep.meetings]
        for k, S in self.session_of.items():
            self.apply(k, S, +1)

    def apply(self, k: int, S: int, sign: int) -> None:
        f = self.prep.meetings[k]
        for p in self.people[k]:
            self.load_p[p, S] = self.load_p.get((p, S), 0) + sign
            self.count[p] += sign
        if f.general:
            self.load_s[S] += sign
        if f.table is not None:
            self.load_t[f.table, S] = self.load_t.get((f.table, S), 0) + sign
        if f.needs_interpreter:
            self.load_i[S] += sign
            if len(f.kinds) == 1:
                self.load_k[f.kinds[0], S] = self.load_k.get((f.kinds[0], S), 0) + sign

    def fits(self, k: int, S: int, new: bool = False) -> bool:
        f = self.prep.meetings[k]
        if f.general and self.load_s[S] + 1 > self.room[S]:
            return False
        if any(self.load_p.get((p, S), 0) + 1 > self.cap_p[p, S] for p in self.people[k]):
            return False
        if new:
            for p in self.people[k]:
                limit = self.prep.problem.participants[p].max_meetings
                if limit is not None and self.count[p] + 1 > limit:
                    return False
        if f.table is not None and self.load_t.get((f.table, S), 0) + 1 > self.cap_t.get((f.table, S), 0):
            return False
        if f.needs_interpreter:
            if self.load_i[S] + 1 > self.interp_room[S]:
                return False
            if len(f.kinds) == 1 and self.load_k.get((f.kinds[0], S), 0) + 1 > self.kind_room[f.kinds[0], S]:
                return False
        return True

    def insert(self, ks: list[int]) -> None:
        """Give sessions to meetings that have none, least loaded session first."""
        for k in ks:
            if k in self.session_of:
                continue
            best = None
            prev = self.prep.previous.get(k)
            home = None if prev is None else self.prep.session_of[self.prep.slot_index[prev.slot]]
            for S in self.options[k]:
                if self.fits(k, S, new=True):
                    key = (S != home, sum(self.load_p.get((p, S), 0) for p in self.people[k]),
                           self.load_s[S] / max(1, self.room[S]))
                    if best is None or key < best[0]:
                        best = (key, S)
            if best is None and self.prep.meetings[k].mandatory:
                best = self._make_room(k)
            if best is not None:
                self.session_of[k] = best[1]
                self.apply(k, best[1], +1)

    def _make_room(self, k: int):
        """For a meeting that must happen: drop optional meetings of its participants in one session."""
        prep = self.prep
        for S in self.options[k]:
            dropped = []
            for p in self.people[k]:
                while self.load_p.get((p, S), 0) + 1 > self.cap_p[p, S]:
                    victims = [j for j in prep.by_participant[p]
                               if self.session_of.get(j) == S and not prep.meetings[j].mandatory]
                    if not victims:
                        break
                    j = min(victims, key=lambda j: (prep.meetings[j].meeting.weight, -j))
                    self.apply(j, S, -1)
                    del self.session_of[j]
                    dropped.append(j)
            if self.fits(k, S, new=True):
                return (None, S)
            for j in dropped:  # undo
                self.session_of[j] = S
                self.apply(j, S, +1)
        return None


def level_sessions(prep: Prepared, session_of: dict[int, int], passes: int = 8) -> dict[int, int]:
    """Spread every participant's meetings over the sessions by local moves.

    A meeting moves to another allowed session when that lowers the sum of its
    participants' squared per-session loads (plus the squared table and
    interpreter utilisation of the sessions) and every phase-1 count still holds,
    so tiers (a) and (b) are unchanged (meetings of the previous plan stay in their
    previous session).  Low per-session loads make hole-free sessions far easier
    to find.
    """
    loads = SessionLoads(prep, session_of)
    locked = {k for k, prev in prep.previous.items()
              if session_of.get(k) == prep.session_of[prep.slot_index[prev.slot]]}
    load_p, load_s, load_i, room, interp_room = loads.load_p, loads.load_s, loads.load_i, loads.room, loads.interp_room
    for _ in range(passes):
        moved = 0
        for k in sorted(loads.session_of):
            if k in locked or len(loads.options[k]) < 2:
                continue
            S = loads.session_of[k]
            best, best_gain = None, 0.0
            for S2 in loads.options[k]:
                if S2 == S:
                    continue
                gain = float(sum(2 * (load_p.get((p, S2), 0) - load_p[p, S] + 1) for p in loads.people[k]))
                if prep.meetings[k].general:
                    gain += 5 * ((2 * load_s[S2] + 1) / max(1, room[S2]) - (2 * load_s[S] - 1) / max(1, room[S]))
                if prep.meetings[k].needs_interpreter:
                    gain += 10 * ((2 * load_i[S2] + 1) / max(1, interp_room[S2])
                                  - (2 * load_i[S] - 1) / max(1, interp_room[S]))
                if gain < best_gain - 1e-9 and loads.fits(k, S2):
                    best, best_gain = S2, gain
            if best is not None:
                loads.apply(k, S, -1)
                loads.apply(k, best, +1)
                loads.session_of[k] = best
                moved += 1
        if not moved:
            break
    return loads.session_of
