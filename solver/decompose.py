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

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .cpsat import Context, run
from .index import Prepared


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
        if f.forced:
            model.add_exactly_one(lits)
        elif len(lits) > 1:
            model.add_at_most_one(lits)

    def in_session(k: int, S: int) -> set[int]:
        return {s for s in prep.meetings[k].slots if s in slot_sets[S]}

    # participants: meetings in a session <= usable slots of the participant there
    shortfall = []
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

    # tables: per session and per pinned table
    n_tables = len(prep.table_ids)
    for S in range(n_sessions):
        ks = [f.index for f in prep.meetings if (f.index, S) in z]
        if len(ks) > n_tables * len(prep.session_slots[S]):
            model.add(sum(z[k, S] for k in ks) <= n_tables * len(prep.session_slots[S]))
        pinned: dict[int, list[int]] = {}
        for k in ks:
            if prep.meetings[k].table is not None:
                pinned.setdefault(prep.meetings[k].table, []).append(k)
        for t, group in pinned.items():
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
    if hint:
        for (k, S), v in z.items():
            model.add_hint(v, int(hint.get(k) == S))
    started = time.perf_counter()
    solver, status = run(model, ctx, budget_s * 0.6)
    plan = SessionPlan(solver.status_name(status), wall_s=solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return plan
    plan.optimal = status == cp_model.OPTIMAL
    plan.value_bound = (solver.best_objective_bound + len(moved_terms)) // scale
    plan.session_of = {k: S for (k, S), v in z.items() if solver.value(v)}

    plan.session_of = level_sessions(prep, plan.session_of)
    return plan


def level_sessions(prep: Prepared, session_of: dict[int, int], passes: int = 8) -> dict[int, int]:
    """Spread every participant's meetings over the sessions by local moves.

    A meeting moves to another allowed session when that lowers the sum of its
    participants' squared per-session loads and every phase-1 count still holds,
    so tiers (a) and (b) are unchanged (meetings of the previous plan stay in their
    previous session).  Low per-session loads make hole-free sessions far easier
    to find.
    """
    n_sessions = len(prep.session_slots)
    slot_sets = [set(s) for s in prep.session_slots]
    n_tables = len(prep.table_ids)
    session_of = dict(session_of)
    options: dict[int, list[int]] = {}
    for f in prep.meetings:
        if f.index in session_of:
            options[f.index] = sorted({prep.session_of[s] for s in f.slots})
    # capacities, as in the phase-1 model
    cap_p: dict[tuple[int, int], int] = {}
    for p, ks in enumerate(prep.by_participant):
        for S in range(n_sessions):
            usable = set()
            for k in ks:
                usable |= {s for s in prep.meetings[k].slots if s in slot_sets[S]}
            cap_p[p, S] = len(usable)
    cap_t: dict[tuple[int, int], int] = {}
    for f in prep.meetings:
        if f.table is not None:
            for S in range(n_sessions):
                cap_t[f.table, S] = cap_t.get((f.table, S), 0) + 0
    pinned_slots: dict[tuple[int, int], set[int]] = {}
    for f in prep.meetings:
        if f.table is not None:
            for s in f.slots:
                pinned_slots.setdefault((f.table, prep.session_of[s]), set()).add(s)
    room = [n_tables * len(slots) for slots in prep.session_slots]
    all_kinds = range(len(prep.kinds))
    interp_room = [sum(min(n_tables, sum(prep.kind_capacity[n][s] for n in all_kinds)) for s in slots)
                   for slots in prep.session_slots]
    kind_room = {(n, S): sum(prep.kind_capacity[n][s] for s in slots)
                 for n in all_kinds for S, slots in enumerate(prep.session_slots)}

    load_p: dict[tuple[int, int], int] = {}
    load_s = [0] * n_sessions
    load_t: dict[tuple[int, int], int] = {}
    load_i = [0] * n_sessions
    load_k: dict[tuple[int, int], int] = {}
    people = {k: [prep.participant_index[pid] for pid in prep.meetings[k].meeting.participants]
              for k in session_of}

    def apply(k: int, S: int, sign: int) -> None:
        f = prep.meetings[k]
        for p in people[k]:
            load_p[p, S] = load_p.get((p, S), 0) + sign
        load_s[S] += sign
        if f.table is not None:
            load_t[f.table, S] = load_t.get((f.table, S), 0) + sign
        if f.needs_interpreter:
            load_i[S] += sign
            if len(f.kinds) == 1:
                load_k[f.kinds[0], S] = load_k.get((f.kinds[0], S), 0) + sign

    def fits(k: int, S: int) -> bool:
        f = prep.meetings[k]
        if load_s[S] + 1 > room[S]:
            return False
        if any(load_p.get((p, S), 0) + 1 > cap_p[p, S] for p in people[k]):
            return False
        if f.table is not None and load_t.get((f.table, S), 0) + 1 > len(pinned_slots.get((f.table, S), ())):
            return False
        if f.needs_interpreter:
            if load_i[S] + 1 > interp_room[S]:
                return False
            if len(f.kinds) == 1 and load_k.get((f.kinds[0], S), 0) + 1 > kind_room[f.kinds[0], S]:
                return False
        return True

    f_needs = {k: prep.meetings[k].needs_interpreter for k in session_of}
    for k, S in session_of.items():
        apply(k, S, +1)
    locked = {k for k, prev in prep.previous.items()
              if session_of.get(k) == prep.session_of[prep.slot_index[prev.slot]]}
    for _ in range(passes):
        moved = 0
        for k in sorted(session_of):
            if k in locked or len(options[k]) < 2:
                continue
            S = session_of[k]
            best, best_gain = None, 0.0
            for S2 in options[k]:
                if S2 == S:
                    continue
                # change of the sum of squared participant loads, plus the squared
                # utilisation of tables and interpreters per session
                gain = float(sum(2 * (load_p.get((p, S2), 0) - load_p[p, S] + 1) for p in people[k]))
                gain += 5 * ((2 * load_s[S2] + 1) / room[S2] - (2 * load_s[S] - 1) / room[S])
                if f_needs[k]:
                    gain += 10 * ((2 * load_i[S2] + 1) / max(1, interp_room[S2])
                                  - (2 * load_i[S] - 1) / max(1, interp_room[S]))
                if gain < best_gain - 1e-9 and fits(k, S2):
                    best, best_gain = S2, gain
            if best is not None:
                apply(k, S, -1)
                apply(k, best, +1)
                session_of[k] = best
                moved += 1
        if not moved:
            break
    return session_of
