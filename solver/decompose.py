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
    solver, status = run(model, ctx, budget_s)
    plan = SessionPlan(solver.status_name(status), wall_s=solver.wall_time)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan.session_of = {k: S for (k, S), v in z.items() if solver.value(v)}
        plan.optimal = status == cp_model.OPTIMAL
        plan.value_bound = (solver.best_objective_bound + len(moved_terms)) // scale
    return plan
