"""Lexicographic objective tiers (DESIGN rule 6) solved one after the other.

Tier (a) maximises weight minus shortfall, (b) minimises moves, (c) minimises
holes.  Each tier is solved with the previous tiers fixed at their values (>= or
<=) and the last solution as a complete hint; a tier whose incumbent already
meets its trivial bound is fixed without a solve.  The scope's time budget is
shared: each tier gets its `Config.tier_shares` part of what is left, the last
one all of it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .cpsat import Context, run
from .model import ScheduleModel


@dataclass
class TierResult:
    status: str  # "OPTIMAL" | "FEASIBLE" | "INFEASIBLE" | "UNKNOWN"
    placement: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    kept: set[int] = field(default_factory=set)
    values: dict[str, float] = field(default_factory=dict)
    bounds: dict[str, float] = field(default_factory=dict)
    optimal: dict[str, bool] = field(default_factory=dict)
    wall_s: float = 0.0


def solve_tiers(sm: ScheduleModel, ctx: Context, budget_s: float,
                hint: tuple[dict, set] | None = None, hint_valid: bool = False) -> TierResult:
    started = time.perf_counter()
    deadline = min(ctx.deadline, started + budget_s)
    config = ctx.config
    tiers: list[tuple[str, object, bool, float, float]] = [("value", sm.value, True, sm.value_ub, config.tier_shares[0])]
    if config.minimise_moves and sm.keep or (config.minimise_moves and sm.moved_lb > 0):
        tiers.append(("moved", sm.moved, False, sm.moved_lb, config.tier_shares[1]))
    if config.minimise_holes and sm.chains:
        tiers.append(("holes", sm.holes, False, 0, config.tier_shares[2]))

    result = TierResult("UNKNOWN")
    incumbent: tuple[dict, set] | None = None
    inc_values: dict[str, float] = {}
    if hint is not None:
        value, moved, holes = sm.hint(*hint)
        if hint_valid:
            incumbent = hint
            inc_values = {"value": value, "moved": moved, "holes": holes}

    for i, (name, expr, maximise, trivial, share) in enumerate(tiers):
        if ctx.stop_requested():
            break
        if incumbent is not None and inc_values[name] == trivial:
            _fix(sm.model, expr, maximise, inc_values[name])
            result.values[name], result.bounds[name], result.optimal[name] = trivial, trivial, True
            continue
        left = max(0.0, deadline - time.perf_counter())
        if left <= 0.01 and incumbent is not None:
            result.optimal[name] = False
            result.values[name] = inc_values[name]
            result.bounds[name] = trivial
            continue
        rest = sum(t[4] for t in tiers[i:])
        limit = left if i == len(tiers) - 1 else left * share / max(rest, 1e-9)
        if maximise:
            sm.model.maximize(expr)
        else:
            sm.model.minimize(expr)
        solver, status = run(sm.model, ctx, limit)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            incumbent = sm.read(solver)
            inc_values = {"value": solver.value(sm.value), "moved": solver.value(sm.moved),
                          "holes": solver.value(sm.holes)}
            got = inc_values[name]
            result.values[name] = got
            result.bounds[name] = solver.best_objective_bound
            result.optimal[name] = status == cp_model.OPTIMAL
            sm.hint_from_solver(solver)
            _fix(sm.model, expr, maximise, got)
        elif status == cp_model.INFEASIBLE and i == 0:
            result.status = "INFEASIBLE"
            result.wall_s = time.perf_counter() - started
            return result
        elif status == cp_model.MODEL_INVALID:
            result.status = "MODEL_INVALID"
            result.wall_s = time.perf_counter() - started
            return result
        else:  # no better solution in time: keep the incumbent
            result.optimal[name] = False
            if name in inc_values:
                result.values[name] = inc_values[name]
            result.bounds[name] = trivial if i else sm.value_ub
            if incumbent is None:
                break
            if i == 0:
                _fix(sm.model, expr, maximise, inc_values[name])
    if incumbent is not None:
        result.placement, result.kept = incumbent
        for name in ("value", "moved", "holes"):
            result.values.setdefault(name, inc_values.get(name, 0))
        all_optimal = all(result.optimal.get(t[0], False) for t in tiers) and not ctx.cancelled
        result.status = "OPTIMAL" if all_optimal else "FEASIBLE"
    result.wall_s = time.perf_counter() - started
    return result


def _fix(model: cp_model.CpModel, expr, maximise: bool, value: float) -> None:
    if maximise:
        model.add(expr >= int(round(value)))
    else:
        model.add(expr <= int(round(value)))
