"""Lexicographic objective tiers (DESIGN rule 6) solved one after the other.

Tier (a) maximises weight minus shortfall, (b) minimises moves, (c) minimises
holes.  Each tier is solved with the previous tiers fixed at their values (>= or
<=) and the last solution as a complete hint; a tier whose incumbent already
meets its trivial bound is fixed without a solve, and tier (a) is skipped when
every meeting in scope must be scheduled (its value is then a constant).  Holes
are minimised from the incumbent with LNS on every worker, which on generated
sessions reaches zero holes in about a second per 250 meetings.  Optionally
(`Config.zero_holes_max_meetings`) a feasibility search for zero holes with
growing restarts comes first; it is fast on average but heavy-tailed.  The
scope's time budget is shared: each tier gets its `Config.tier_shares` part of
what is left, the last one all of it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .cpsat import Context, run
from .model import ScheduleModel

# hole repair from a known schedule: LNS on every worker and a light presolve (the full
# presolve costs more than a second per 1,000 meetings and buys nothing here)
LNS_PARAMS = {"use_lns_only": True, "symmetry_level": 0, "max_presolve_iterations": 1,
              "cp_model_probing_level": 0}


@dataclass
class TierResult:
    status: str  # "OPTIMAL" | "FEASIBLE" | "INFEASIBLE" | "UNKNOWN" | "MODEL_INVALID"
    placement: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    kept: set[int] = field(default_factory=set)
    values: dict[str, float] = field(default_factory=dict)
    bounds: dict[str, float] = field(default_factory=dict)
    optimal: dict[str, bool] = field(default_factory=dict)
    wall_s: float = 0.0
    revisits: int = 0  # solves of all tiers together after the tier-by-tier pass


@dataclass
class _Tier:
    name: str
    expr: object
    maximise: bool
    trivial: float  # a bound no schedule can beat
    share: float
    objective: object = None  # what is optimised, when it is not `expr` itself
    decode: object = None  # objective bound -> bound on `expr`


def solve_tiers(sm: ScheduleModel, ctx: Context, budget_s: float,
                hint: tuple[dict, set] | None = None, hint_valid: bool = False,
                try_zero: bool = True, rehint=None) -> TierResult:
    """Solve the tiers of `sm` lexicographically within `budget_s` seconds (and the context's deadline).

    `hint` is a (placement, kept) pair, see `ScheduleModel.hint`; with `hint_valid` it is the
    first incumbent.  `rehint(placement, kept)`, when given, returns another schedule of the
    same meetings (or None) to start the holes tier from, used when it has fewer holes and
    no more moves.  Tier (a) also counts moves below one unit of weight, so no improvement
    of (a) moves a meeting it need not move; tiers (b) and (c) hold the tiers before them at
    their values, so neither raises `moved`.  When every tier has run and one of them is
    unproven while time is left, the tiers are revisited together (`_revisit`) until the
    deadline or a proof: a solve returns early only with a proof.
    """
    started = time.perf_counter()
    deadline = min(ctx.deadline, started + budget_s)
    # the zero-hole search pays off when the set of meetings is given (every one must be
    # scheduled); when tier (a) still chooses meetings, minimising holes directly is faster
    try_zero = try_zero and sm.value_constant
    config = ctx.config
    result = TierResult("UNKNOWN")
    tiers: list[_Tier] = []
    n_prev = sm.moved_lb + len(sm.keep)  # previous meetings in scope
    if sm.value_constant:
        result.values["value"] = result.bounds["value"] = sm.value_ub
        result.optimal["value"] = True
    else:
        scale = n_prev + 1 if config.minimise_moves and sm.keep else 1
        tiers.append(_Tier("value", sm.value, True, sm.value_ub, config.tier_shares[0],
                           objective=scale * sm.value - sm.moved if scale > 1 else None,
                           decode=(lambda b, scale=scale: (b + n_prev) // scale) if scale > 1 else None))
    if config.minimise_moves and sm.keep:
        tiers.append(_Tier("moved", sm.moved, False, sm.moved_lb, config.tier_shares[1]))
    else:
        result.values["moved"] = result.bounds["moved"] = sm.moved_lb
    if config.minimise_holes and sm.chains:
        tiers.append(_Tier("holes", sm.holes, False, 0, config.tier_shares[2]))

    incumbent: tuple[dict, set] | None = None
    inc: dict[str, float] = {}
    if hint is not None:
        value, moved, holes = sm.hint(*hint)
        if hint_valid:
            incumbent, inc = hint, {"value": value, "moved": moved, "holes": holes}
    if not tiers and incumbent is None:  # nothing to optimise, but a schedule is needed
        tiers.append(_Tier("value", sm.value, True, sm.value_ub, 1.0))
    if config.stable and config.minimise_moves and sm.keep and incumbent is not None:
        # stability first (DESIGN rule 6): no answer moves more meetings than its start
        sm.model.add(sm.moved <= round(inc["moved"]))

    ranked = {"value"} | {t.name for t in tiers}  # tiers switched off do not rank schedules

    def accept(solver: cp_model.CpSolver) -> bool:
        """Take the solver's schedule unless it is lexicographically worse than the incumbent
        (a solve that lost its hint); the model's hint follows the incumbent."""
        nonlocal incumbent, inc
        new = {"value": sm.value_ub if sm.value_constant else solver.value(sm.value),
               "moved": solver.value(sm.moved), "holes": solver.value(sm.holes)}
        if incumbent is not None and _key(new, ranked) < _key(inc, ranked):
            return False
        incumbent, inc = sm.read(solver), new
        sm.hint_from_solver(solver)
        ctx.found(incumbent[0])
        return True

    fixes: list[int] = []  # constraint indices of the tier fixes, cleared by a revisit
    for i, tier in enumerate(tiers):
        if ctx.stop_requested():
            break
        if incumbent is not None and inc[tier.name] == tier.trivial:
            fixes.append(_fix(sm.model, tier, inc[tier.name]))
            result.values[tier.name] = result.bounds[tier.name] = tier.trivial
            result.optimal[tier.name] = True
            continue
        left = max(0.0, deadline - time.perf_counter())
        if left <= 0.01 and incumbent is not None:
            result.optimal[tier.name] = False
            result.values[tier.name], result.bounds[tier.name] = inc[tier.name], tier.trivial
            continue
        rest = sum(t.share for t in tiers[i:])
        limit = left if i == len(tiers) - 1 else left * tier.share / max(rest, 1e-9)

        if tier.name == "holes" and rehint is not None and incumbent is not None and inc["holes"] > 0:
            other = rehint(*incumbent)
            if other is not None:
                value, moved, holes = sm.hint(*other)
                if value == inc["value"] and (moved <= inc["moved"] or "moved" not in ranked) \
                        and holes < inc["holes"]:
                    incumbent, inc = other, {"value": value, "moved": moved, "holes": holes}
                else:
                    sm.hint(*incumbent)
        if tier.name == "holes" and try_zero and _zero_holes(sm, tier, ctx, limit * 0.6, accept):
            fixes.append(_fix(sm.model, tier, tier.trivial))
            result.values[tier.name] = result.bounds[tier.name] = tier.trivial
            result.optimal[tier.name] = True
            continue
        if tier.name == "holes" and try_zero:
            limit = max(0.05, deadline - time.perf_counter())

        objective = tier.expr if tier.objective is None else tier.objective
        if tier.maximise:
            sm.model.maximize(objective)
        else:
            sm.model.minimize(objective)
        # holes from a known schedule: large neighbourhood search on every worker repairs
        # holes much faster than the default portfolio (which spends a worker on the LP)
        extra = dict(LNS_PARAMS) if tier.name == "holes" and incumbent is not None else {}
        solver, status = run(sm.model, ctx, limit, **extra)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            accept(solver)
            bound = solver.best_objective_bound
            result.values[tier.name] = inc[tier.name]
            result.bounds[tier.name] = bound if tier.decode is None else tier.decode(bound)
            result.optimal[tier.name] = status == cp_model.OPTIMAL
            fixes.append(_fix(sm.model, tier, inc[tier.name]))
        elif status == cp_model.INFEASIBLE and incumbent is None:
            result.status = "INFEASIBLE"
            break
        elif status == cp_model.MODEL_INVALID:
            result.status = "MODEL_INVALID"
            break
        else:  # nothing better in time: keep the incumbent
            result.optimal[tier.name] = False
            result.bounds[tier.name] = tier.trivial
            if incumbent is None:
                break
            result.values[tier.name] = inc[tier.name]
            fixes.append(_fix(sm.model, tier, inc[tier.name]))

    unproven = [t for t in tiers if not result.optimal.get(t.name, False)]
    if (incumbent is not None and unproven and result.status == "UNKNOWN" and not ctx.stop_requested()
            and deadline - time.perf_counter() > 0.2):
        result.revisits = _revisit(sm, ctx, deadline, tiers, fixes, inc, result, accept)

    if incumbent is not None and result.status not in ("INFEASIBLE", "MODEL_INVALID"):
        result.placement, result.kept = incumbent
        for name in ("value", "moved", "holes"):
            result.values[name] = inc.get(name, result.values.get(name, 0))
        done = all(result.optimal.get(t.name, False) for t in tiers) and not ctx.cancelled
        result.status = "OPTIMAL" if done else "FEASIBLE"
    result.wall_s = time.perf_counter() - started
    return result


def _revisit(sm: ScheduleModel, ctx: Context, deadline: float, tiers: list[_Tier], fixes: list[int],
             inc: dict, result: TierResult, accept) -> int:
    """Spend the time left on all tiers at once, from the incumbent (the model's hint).

    The tier fixes are removed and one objective ranks schedules exactly as the
    lexicographic order does: value x (M + 1)(H + 1) - moved x (H + 1) - holes, with M the
    previous meetings and H the hole variables in scope.  Returns the number of solves.
    """
    for index in fixes:
        sm.model.proto.constraints[index].clear_linear()
    n_holes = sum(c.max_holes for c in sm.chains)
    n_prev = sm.moved_lb + len(sm.keep)
    w_moved = n_holes + 1
    w_value = (n_prev + 1) * w_moved
    names = {t.name for t in tiers}
    objective = (w_value * sm.value if "value" in names else 0) - \
        (w_moved * sm.moved if "moved" in names else 0) - (sm.holes if "holes" in names else 0)
    sm.model.maximize(objective)
    solves = 0
    while not ctx.stop_requested():
        left = deadline - time.perf_counter()
        if left <= 0.2:
            break
        solver, status = run(sm.model, ctx, left)
        solves += 1
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        accept(solver)
        if "value" in names:
            # value x w_value >= objective bound - (moves and holes at most) w_value - 1
            result.bounds["value"] = min(result.bounds.get("value", sm.value_ub),
                                         (solver.best_objective_bound + n_prev * w_moved + n_holes) // w_value)
        if status == cp_model.OPTIMAL:
            for t in tiers:
                result.optimal[t.name] = True
                result.bounds[t.name] = inc[t.name]
            break
    return solves


def _zero_holes(sm: ScheduleModel, tier: _Tier, ctx: Context, budget: float, accept) -> bool:
    """Look for a hole-free schedule with short restarts under new seeds.

    Run times of this search are heavy-tailed (the same session takes 1 s under one
    seed and 30 s under another), so growing restarts beat one long run.
    """
    attempt = sm.model.clone()
    attempt.clear_objective()
    attempt.add(tier.expr <= tier.trivial)
    end = time.perf_counter() + budget
    step, seed = max(1.0, budget / 8), ctx.config.seed
    while not ctx.stop_requested():
        left = end - time.perf_counter()
        if left < 0.3:
            return False
        solver, status = run(attempt, ctx, min(step, left), seed=seed)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            accept(solver)
            return True
        if status == cp_model.INFEASIBLE:
            return False
        step, seed = step * 1.5, seed + 1
    return False


def _key(values: dict, ranked: set[str]) -> tuple:
    """Lexicographic rank of the `ranked` tier values: higher is better."""
    return tuple(sign * values.get(name, 0) for name, sign in (("value", 1), ("moved", -1), ("holes", -1))
                 if name in ranked)


def _fix(model: cp_model.CpModel, tier: _Tier, value: float) -> int:
    """Hold a solved tier at its value; returns the constraint's index (see `_revisit`)."""
    if tier.maximise:
        return model.add(tier.expr >= round(value)).index
    return model.add(tier.expr <= round(value)).index
