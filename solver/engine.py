"""`solve()`: pre-check, a start, CP-SAT (whole, split or decomposed), improvement, naming, figures.

How a problem is solved
-----------------------
1. `solver.precheck` counts demand against capacity for the meetings that must
   happen (`Meeting.mandatory`: required ones); a violated count answers
   INFEASIBLE at once with a reason.
2. The start is built by first-fit (`solver.greedy`) in booking order: required
   meetings fixed to a slot, then the previous plan at its slots and tables, then
   the rest.  It is the first incumbent (with `previous`, the stability cap of
   DESIGN rule 7) and the fallback when CP-SAT finds nothing better in time.
3. Small problems (meeting x slot booleans <= `Config.whole_holes_max_vars`, or a
   single session) are one `ScheduleModel`, solved tier by tier (`solver.tiers`);
   an unproven tier is revisited with all tiers at once until the deadline.
4. Up to `Config.decompose_min_vars`, tiers (a) and (b) are settled on the whole
   model without hole chains (half the budget at most, stopping at a proof);
   above it, `solver.decompose.plan_sessions` decides each meeting's session with a
   counting model (a relaxation: its bound on tier (a) is global), run while it
   improves (up to 35 % of the budget, 15 % above 2,000 meetings), and levels
   loads over sessions.  Either way holes are counted per
   session and sessions share no slot, so then:
   a. each session is a `ScheduleModel` over its own slots and meetings, in which
      every meeting it was given must be scheduled (if that fails, again with
      required meetings soft, weighted above everything else); the hint is a
      best-fit booking (`solver.compact`), and moves and holes are minimised by
      LNS; sessions share the time in proportion to their size;
   b. the time the sessions leave goes to `solver.improve.improve_pairs`: pairs of
      sessions re-solved with every tier from the current schedule, unscheduled
      meetings included, until the deadline or until every pair is proven;
   c. meetings still unscheduled are offered first-fit to every slot left; if the
      result is worse than the start, the start is returned.
   An answer is OPTIMAL when tier (a) meets a valid bound, holes are 0 and moves
   at their trivial bound.  Peak memory is that of one pair model plus the problem.
5. Tables and interpreters are named per slot (`solver.naming`).
6. Figures in `Stats` come from `solver.validate.check`; the model's own tier
   values are in ``stats["model"]``, the holes bound in ``stats["holes_bound"]``.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from .compact import compact_fill, improve_holes
from .cpsat import Context
from .decompose import plan_sessions
from .greedy import Board, booking_order, fill, solve_greedy
from .improve import board_schedule, compact_rehint, improve_pairs, session_holes
from .index import Prepared, prepare
from .model import ScheduleModel
from .naming import name_resources
from .precheck import precheck, reason
from .tiers import TierResult, solve_tiers
from .types import Assignment, Config, Problem, Solution, Stats, Status

Placement = dict[int, tuple[int, int | None]]


def solve(problem: Problem, config: Config = Config(), *, method: str = "cp-sat",
          on_progress: Callable[[float, float, float], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          on_figures: Callable[[int, int], None] | None = None) -> Solution:
    """Schedule `problem`.  `on_progress(elapsed_s, objective, bound)` is called on each
    improving solution of the tier being solved; `on_figures(scheduled, holes)` with the
    meetings and holes of the best whole schedule so far (the start, then every better one;
    a session not solved yet counts as the start has it); `should_stop()` is polled and a
    cancelled solve returns the best schedule found so far (or UNKNOWN)."""
    started = time.perf_counter()
    if method == "greedy":
        return solve_greedy(problem)
    if method != "cp-sat":
        raise ValueError(f"unknown method {method!r}")
    ctx = Context(config, started, started + config.time_limit_s, on_progress, should_stop)
    prep = prepare(problem)
    findings = precheck(prep)
    if findings:
        return _empty(problem, Status.INFEASIBLE, started, {"reason": reason(findings)})

    board = Board.empty(prep)
    left = fill(board, booking_order(prep))
    greedy_ok = not any(prep.meetings[k].mandatory for k in left)
    if on_figures is not None:
        ctx.on_schedule = lambda placement: on_figures(len(placement), sum(session_holes(prep, placement)))
        ctx.found(board_schedule(prep, board)[0])
    n_vars = sum(len(f.slots) for f in prep.meetings)
    decompose = len(prep.session_slots) > 1 and (
        config.decompose == "always" or (config.decompose == "auto" and n_vars > config.decompose_min_vars))
    if decompose:
        return _solve_decomposed(prep, ctx, board, greedy_ok)
    if len(prep.session_slots) > 1 and config.minimise_holes and n_vars > config.whole_holes_max_vars:
        return _solve_split(prep, ctx, board, greedy_ok)
    return _solve_whole(prep, ctx, board, greedy_ok)


# ---------------------------------------------------------------- whole model

def _solve_whole(prep: Prepared, ctx: Context, board: Board, greedy_ok: bool) -> Solution:
    sm = ScheduleModel(prep, list(range(len(prep.meetings))))
    hint = board_schedule(prep, board)
    result = solve_tiers(sm, ctx, ctx.remaining(), hint, hint_valid=greedy_ok,
                         rehint=compact_rehint(prep, list(range(len(prep.session_slots)))))
    extra = {"decomposed": False, "tiers": _tier_stats(result), "revisits": result.revisits,
             "holes_bound": _holes_bound(result)}
    if result.status not in ("OPTIMAL", "FEASIBLE"):
        return _whole_failed(prep, ctx, result, extra)
    assignments = name_resources(prep, result.placement, result.kept)
    status = Status.OPTIMAL if result.status == "OPTIMAL" else Status.FEASIBLE
    # participants without any meeting: their shortfall is a constant the model leaves out
    idle = sum(p.min_meetings for n, p in enumerate(prep.problem.participants) if not prep.by_participant[n])
    values = dict(result.values, value=result.values.get("value", 0) - idle)
    bound = result.bounds.get("value")
    return _finish(prep, status, assignments, ctx.started, None if bound is None else bound - idle, values, extra)


def _whole_failed(prep: Prepared, ctx: Context, result: TierResult, extra: dict) -> Solution:
    if result.status == "INFEASIBLE":
        extra["reason"] = {"code": "proven_infeasible", "message": "the required meetings "
                           "cannot all be scheduled together", "meetings": [], "participants": []}
        return _empty(prep.problem, Status.INFEASIBLE, ctx.started, extra)
    return _empty(prep.problem, Status(result.status), ctx.started, extra)


# ---------------------------------------------------------------- decomposition

def _solve_decomposed(prep: Prepared, ctx: Context, board: Board, greedy_ok: bool) -> Solution:
    greedy_session = {k: prep.session_of[s] for k, (s, _t, _i) in board.placed.items()}
    # phase 1 runs while it improves, up to 35 % of the budget (15 % above 2,000 meetings, whose
    # sessions need the time for holes; at most 30 s); `improve_pairs` revisits what it leaves
    share = 0.35 if len(prep.meetings) <= 2000 else 0.15
    plan = plan_sessions(prep, ctx, min(ctx.remaining() * share, 30.0), greedy_session)
    trivial = _trivial_bound(prep)
    value_bound = trivial if plan.value_bound is None else min(plan.value_bound, trivial)
    extra: dict = {"decomposed": True, "phase1": {"status": plan.status, "wall_s": round(plan.wall_s, 3)}}
    if plan.status == "INFEASIBLE":
        extra["reason"] = {"code": "proven_infeasible", "message": "the required and fixed meetings "
                           "cannot all be distributed over the sessions", "meetings": [], "participants": []}
        return _empty(prep.problem, Status.INFEASIBLE, ctx.started, extra)
    session_of = plan.session_of if plan.session_of else greedy_session
    return _solve_sessions(prep, ctx, board, greedy_ok, session_of, value_bound, extra)


def _solve_split(prep: Prepared, ctx: Context, board: Board, greedy_ok: bool) -> Solution:
    """Tiers (a) and (b) on the whole model without hole chains, then holes session by session.

    Given which meetings happen in which session, holes are independent per session, and
    a session model started from a hole-aware booking reaches few holes far faster than
    the whole model's holes tier; `improve_pairs` then revisits the split."""
    sm = ScheduleModel(prep, list(range(len(prep.meetings))), holes=False)
    result = solve_tiers(sm, ctx, ctx.remaining() * 0.5, board_schedule(prep, board), hint_valid=greedy_ok)
    extra: dict = {"decomposed": False, "split": True, "tiers": _tier_stats(result), "revisits": result.revisits}
    if result.status == "UNKNOWN" and ctx.remaining() > 0.5 and not ctx.stop_requested():
        return _solve_decomposed(prep, ctx, board, greedy_ok)  # nothing yet: the rest of the budget, split
    if result.status not in ("OPTIMAL", "FEASIBLE"):
        return _whole_failed(prep, ctx, result, extra)
    idle = sum(p.min_meetings for n, p in enumerate(prep.problem.participants) if not prep.by_participant[n])
    bound = min(result.bounds.get("value", sm.value_ub) - idle, _trivial_bound(prep))
    session_of = {k: prep.session_of[s] for k, (s, _n) in result.placement.items()}
    return _solve_sessions(prep, ctx, board, greedy_ok, session_of, bound, extra,
                           incumbent=(result.placement, result.kept))


def _solve_sessions(prep: Prepared, ctx: Context, board: Board, greedy_ok: bool, session_of: dict[int, int],
                    value_bound: float | None, extra: dict, incumbent: tuple[Placement, set[int]] | None = None
                    ) -> Solution:
    """Solve each session with the meetings `session_of` gives it, then improve across sessions.

    `incumbent`, a valid schedule with the same sessions, is the fallback hint of a session
    whose hole-aware booking misses a meeting."""
    placement: Placement = {}
    kept: set[int] = set()
    count = [0] * len(prep.by_participant)  # meetings per participant in solved sessions
    planned = [0] * len(prep.by_participant)
    for k in session_of:
        for pid in prep.meetings[k].meeting.participants:
            planned[prep.participant_index[pid]] += 1
    sizes = [sum(1 for S2 in session_of.values() if S2 == S) for S in range(len(prep.session_slots))]
    sessions_stats = []
    # naming, repair and figures at the end: XL overran its 180 s by 6-9 s on a busy machine
    # with meetings / 1500 (13 s), so about 20 s there
    reserve = 0.5 + len(prep.meetings) / 1000
    build_rate = 0.0
    start = board_schedule(prep, board)[0]  # what a session not solved yet counts as in the figures
    for S, slots in enumerate(prep.session_slots):
        slot_set = set(slots)
        mine = sorted(k for k, S2 in session_of.items() if S2 == S)
        if not mine:
            continue
        if ctx.stop_requested():
            break
        # the figures' estimate: solved sessions as solved, later sessions' meetings as the start has them
        ctx.outside = {**{k: start[k] for k, S2 in session_of.items() if S2 > S and k in start}, **placement}
        base = {}
        for k in mine:
            for pid in prep.meetings[k].meeting.participants:
                p = prep.participant_index[pid]
                base[p] = count[p] + planned[p]
        for k in mine:  # base = meetings elsewhere: solved sessions + planned later ones
            for pid in prep.meetings[k].meeting.participants:
                base[prep.participant_index[pid]] -= 1
        built = time.perf_counter()
        sub = _session_hint(prep, mine, slots)
        try_zero = len(mine) <= ctx.config.zero_holes_max_meetings
        # every meeting phase 1 gave this session must fit; if not, fall back to soft
        sm = ScheduleModel(prep, mine, slot_set, base_count=base, must=set(mine))
        # share what is left, after the Python work still to come, in proportion to size
        build_rate = max(build_rate, (time.perf_counter() - built) / len(mine))
        later = sum(sizes[S + 1:])
        budget = (ctx.remaining() - reserve - build_rate * later) * sizes[S] / max(1, sum(sizes[S:]))
        hint, valid = board_schedule(prep, sub), len(sub.placed) == len(mine)
        if not valid and incumbent is not None:
            hint = ({k: incumbent[0][k] for k in mine}, set(incumbent[1]) & set(mine))
            valid = True
        result = solve_tiers(sm, ctx, budget, hint, hint_valid=valid, try_zero=try_zero)
        if result.status not in ("OPTIMAL", "FEASIBLE"):
            sm = ScheduleModel(prep, mine, slot_set, base_count=base, soft_mandatory=True)
            budget = (ctx.remaining() - reserve - build_rate * later) * sizes[S] / max(1, sum(sizes[S:]))
            result = solve_tiers(sm, ctx, budget, board_schedule(prep, sub), hint_valid=True, try_zero=try_zero)
        sessions_stats.append({"session": prep.problem.sessions[S].id, "meetings": len(mine),
                               "status": result.status, "wall_s": round(result.wall_s, 3),
                               "holes": result.values.get("holes")})
        if result.status not in ("OPTIMAL", "FEASIBLE"):
            result = TierResult("FEASIBLE", *board_schedule(prep, sub))
        placement.update(result.placement)
        kept |= result.kept
        ctx.outside = None
        for k in mine:
            for pid in prep.meetings[k].meeting.participants:
                p = prep.participant_index[pid]
                planned[p] -= 1
                count[p] += k in result.placement

    # the time the sessions left: re-solve pairs of sessions across phase 1's split
    if ctx.remaining() > reserve + 0.3:
        extra["pairs"] = improve_pairs(prep, ctx, placement, kept, reserve)
    assignments = name_resources(prep, placement, kept)
    # meetings no session took: first fit into whatever is left
    final = Board.empty(prep)
    for a in assignments:
        k = prep.meeting_pos[a.meeting]
        final.place(k, prep.slot_index[a.slot], prep.table_index[a.table],
                    None if a.interpreter is None else prep.interpreter_pos[a.interpreter])
    left = [k for k in booking_order(prep) if k not in final.placed]
    unplaced = fill(final, left)
    repaired = len(left) - len(unplaced)
    if repaired:
        assignments = final.assignments()
    extra["sessions"] = sessions_stats
    extra["holes_bound"] = 0.0  # per-session bounds hold only for phase 1's split
    extra["repaired"] = repaired
    if any(prep.meetings[k].mandatory for k in unplaced):
        extra["unplaced_required"] = [prep.meetings[k].meeting.id for k in unplaced if prep.meetings[k].mandatory]
        if greedy_ok:  # the first-fit schedule is valid: better than nothing
            return _finish(prep, Status.FEASIBLE, board.assignments(), ctx.started, value_bound,
                           {}, extra)
        return _empty(prep.problem, Status.UNKNOWN, ctx.started, extra)
    figures_status = Status.FEASIBLE
    result_values: dict = {}
    sol = _finish(prep, figures_status, assignments, ctx.started, value_bound, result_values, extra)
    # proven optimal when every phase was optimal, phase 1's bound is met and nothing was lost
    st = sol.stats
    if greedy_ok:  # never worse than the first-fit baseline, tier by tier
        from .validate import check
        g = check(prep.problem, board.assignments()).figures
        if (g.value, -g.moved, -g.holes) > (sol.value, -st.moved, -st.holes):
            extra["fallback"] = "greedy"
            return _finish(prep, Status.FEASIBLE, board.assignments(), ctx.started, value_bound, {}, extra)
    # a proof without any phase's: tier (a) at a valid bound, moves and holes at trivial bounds
    trivially = (st.holes == 0 and st.moved == _min_moved(prep))
    if value_bound is not None and sol.value >= value_bound and trivially:
        return Solution(Status.OPTIMAL, sol.assignments, sol.unscheduled, st)
    return sol


def _session_hint(prep: Prepared, mine: list[int], slots: list[int]) -> Board:
    """The better of best-fit (few holes) and first-fit (most meetings) for one session."""
    slot_set = set(slots)
    compact = Board.empty(prep)
    left = compact_fill(compact, mine, slots)
    improve_holes(compact, mine, slots)
    if not left:
        return compact
    first = Board.empty(prep)
    left_first = fill(first, booking_order(prep, mine), lambda k: [s for s in prep.meetings[k].slots if s in slot_set])
    return first if len(left_first) < len(left) else compact


def _trivial_bound(prep: Prepared) -> int:
    """Tier (a) can be no better than every schedulable meeting with only unavoidable shortfall."""
    total = sum(f.meeting.weight for f in prep.meetings if f.slots)
    for p, ks in enumerate(prep.by_participant):
        possible = sum(1 for k in ks if prep.meetings[k].slots)
        total -= max(0, prep.problem.participants[p].min_meetings - possible)
    return total


def _min_moved(prep: Prepared) -> int:
    return sum(1 for k in prep.previous if not prep.meetings[k].slots)


# ---------------------------------------------------------------- helpers

def _holes_bound(result: TierResult) -> float:
    """Least holes any schedule can have: the holes tier's bound once tiers (a) and (b) are proven
    (holes only count at their values), else the trivial 0."""
    proven = result.optimal.get("value", True) and result.optimal.get("moved", True)
    return float(result.bounds.get("holes", 0) or 0) if proven else 0.0


def _tier_stats(result: TierResult) -> dict:
    return {name: {"value": result.values.get(name), "bound": result.bounds.get(name),
                   "optimal": result.optimal.get(name, False)} for name in result.optimal}


def _finish(prep: Prepared, status: Status, assignments: list[Assignment], started: float,
            bound: float | None, model_values: dict, extra: dict) -> Solution:
    from .validate import check

    figures = check(prep.problem, assignments).figures
    placed = {a.meeting for a in assignments}
    unscheduled = tuple(m.id for m in prep.problem.meetings if m.id not in placed)
    if model_values:
        extra = dict(extra, model={k: model_values.get(k) for k in ("value", "moved", "holes")})
    stats = Stats(method="cp-sat", wall_s=time.perf_counter() - started, scheduled=figures.scheduled,
                  scheduled_weight=figures.scheduled_weight, shortfall=figures.shortfall,
                  holes=figures.holes, moved=figures.moved,
                  best_bound=None if bound is None else float(bound), extra=extra)
    return Solution(status, tuple(assignments), unscheduled, stats)


def _empty(problem: Problem, status: Status, started: float, extra: dict) -> Solution:
    stats = Stats(method="cp-sat", wall_s=time.perf_counter() - started, extra=extra)
    return Solution(status, (), tuple(m.id for m in problem.meetings), stats)
