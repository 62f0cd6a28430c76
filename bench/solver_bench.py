"""Benchmark of the scheduler on generated instances, with the first-fit baseline beside it.

    python bench/solver_bench.py [--sizes S,M,L,XL,M-interpreter,M-optional,...] [--time-limit SECONDS]
                                 [--workers N] [--seed K] [--busy] [--no-rerun]

Each row runs in its own process so that peak memory (max RSS) is that row's.
Cases: ``S``, ``M``, ``L``, ``XL`` (issue 3's sizes: 40/150/1 day, 200/1,000/2,
1,000/6,000/3, 3,000/20,000/4), a size with a generator variant (``-interpreter``,
``-optional``, ``-pinned``: optional meetings fixed to slots, ``-hosts``: stands
reserved for their hosts), ``I50`` (50 people, 200 requests, 1 day, interpreters
the bottleneck) and ``M-replan`` (M solved once, then changed: ten participants
lose a session, 20 requests are withdrawn, 30 added; the row re-plans with the
first answer as ``previous``).  Default time limits: S and I50 10 s, M 30 s,
L 60 s, XL 180 s.

Columns beside the solve: first-fit's figures on the same instance (when it misses
a required meeting its answer is UNKNOWN; the columns then show its partial
schedule, marked "(N required missed)"), and "re-run moved": the answer solved
again with itself as ``previous`` and a 5 s limit (must be 0).  ``--busy`` starts
two CPU-burning processes for each row (the machine has two cores) to show that a
busy machine costs time, not quality.  Prints a Markdown table; no asserts on time:
this is a measurement, not a test.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CASES = "S,I50,M,M-interpreter,M-optional,M-pinned,M-hosts,M-replan,L,XL"
LIMITS = {"S": 10.0, "I50": 10.0, "M": 30.0, "L": 60.0, "XL": 180.0}
COLUMNS = ["case", "participants / meetings / days", "busy", "status", "scheduled", "weight − shortfall", "moved",
           "holes", "holes bound", "best bound", "wall s", "peak MB", "greedy: scheduled",
           "greedy: weight − shortfall", "greedy: holes", "re-run moved", "valid"]


def instance(case: str, seed: int, limit: float, workers: int):
    """(problem, days) of a case; M-replan solves the base round first (see the docstring)."""
    from solver import Config, Meeting, solve
    from solver.generate import GenParams, generate, params_for

    if case == "I50":
        return generate(GenParams(50, 200, 1, variant="interpreter"), seed), 1
    size, _, variant = case.partition("-")
    if variant != "replan":
        params = params_for(size, variant or None)
        return generate(params, seed), params.days
    params = params_for(size)
    base = generate(params, seed)
    first = solve(base, Config(time_limit_s=limit, workers=workers, seed=seed))
    rng = random.Random(seed + 100)
    busy = sorted({p for m in base.meetings for p in m.participants})
    leaving = set(rng.sample(busy, 10))
    people = tuple(replace(p, unavailable=p.unavailable | set(rng.choice(base.sessions).slots))
                   if p.id in leaving else p for p in base.participants)
    withdrawn = set(rng.sample([m.id for m in base.meetings if not m.required], 20))
    meetings = [m for m in base.meetings if m.id not in withdrawn]
    pairs = {frozenset(m.participants) for m in meetings}
    while len(meetings) < len(base.meetings) + 10:
        a, b = rng.sample(busy, 2)
        if frozenset((a, b)) not in pairs:
            pairs.add(frozenset((a, b)))
            meetings.append(Meeting(f"new{len(meetings)}", (a, b), rng.choice((1, 2, 3))))
    previous = tuple(a for a in first.assignments if a.meeting not in withdrawn)
    return replace(base, participants=people, meetings=tuple(meetings), previous=previous), params.days


def one(case: str, time_limit: float | None, workers: int, seed: int, busy: bool, rerun: bool) -> dict:
    from solver import Config, solve
    from solver.greedy import Board, booking_order, fill, solve_greedy
    from solver.index import prepare
    from solver.validate import check

    size = case.partition("-")[0]
    limit = time_limit if time_limit is not None else LIMITS[size.upper()]
    problem, days = instance(case, seed, limit, workers)
    started = time.perf_counter()
    greedy = solve_greedy(problem)
    greedy_s = time.perf_counter() - started
    # a first-fit run that misses a required meeting answers UNKNOWN; show its partial schedule anyway
    board = Board.empty(prepare(problem))
    missed = sum(1 for k in fill(board, booking_order(board.prep)) if board.prep.meetings[k].mandatory)
    greedy_assignments = board.assignments()
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)] if busy else []
    try:
        started = time.perf_counter()
        solution = solve(problem, Config(time_limit_s=limit, workers=workers, seed=seed))
        wall = time.perf_counter() - started
    finally:
        for proc in burners:  # only the processes this row started
            proc.kill()
            proc.wait()
    report, greedy_report = check(problem, solution), check(problem, greedy_assignments)
    rerun_moved = None
    if rerun and solution.status.has_schedule:
        again = replace(problem, previous=solution.assignments)
        second = solve(again, Config(time_limit_s=5, workers=workers, seed=seed))
        rerun_moved = check(again, second).figures.moved if check(again, second).ok else "invalid"
    return {
        "case": case, "participants": len(problem.participants), "meetings": len(problem.meetings),
        "days": days, "busy": busy, "status": solution.status.value, "scheduled": report.figures.scheduled,
        "value": report.figures.value, "moved": report.figures.moved, "holes": report.figures.holes,
        "holes_bound": solution.stats.extra.get("holes_bound"), "bound": solution.stats.best_bound,
        "wall_s": wall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # first-fit's partial schedule must break no rule besides leaving required meetings out
        "valid": report.ok and not [v for v in greedy_report.violations if v.code != "required_unscheduled"],
        "time_limit": limit, "rerun_moved": rerun_moved,
        "greedy": {"status": greedy.status.value, "missed_required": missed,
                   "scheduled": greedy_report.figures.scheduled,
                   "value": greedy_report.figures.value, "holes": greedy_report.figures.holes,
                   "wall_s": greedy_s},
        "decomposed": solution.stats.extra.get("decomposed"), "pairs": solution.stats.extra.get("pairs"),
    }


def row(r: dict) -> list[str]:
    if "error" in r:
        return [r["case"], "", "", "error: " + r["error"]] + [""] * (len(COLUMNS) - 4)
    bound = "" if r["bound"] is None else f"{r['bound']:.0f}"
    holes_bound = "" if r["holes_bound"] is None else f"{r['holes_bound']:.0f}"
    g = r["greedy"]
    mark = f" ({g['missed_required']} required missed)" if g["missed_required"] else ""
    return [r["case"], f"{r['participants']} / {r['meetings']} / {r['days']}", "yes" if r["busy"] else "no",
            r["status"], str(r["scheduled"]), str(r["value"]), str(r["moved"]), str(r["holes"]), holes_bound,
            bound, f"{r['wall_s']:.1f}", f"{r['peak_mb']:.0f}", f"{g['scheduled']}{mark}", str(g["value"]),
            str(g["holes"]), "" if r["rerun_moved"] is None else str(r["rerun_moved"]),
            "yes" if r["valid"] else "NO"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_CASES, help=f"comma-separated cases (default {DEFAULT_CASES})")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per row (default: per size)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--busy", action="store_true", help="two CPU-burning processes run beside each solve")
    parser.add_argument("--no-rerun", dest="rerun", action="store_false", help="skip the 5 s re-run column")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="also print each row as JSON on stderr")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.time_limit, args.workers, args.seed, args.busy, args.rerun)))
        return 0

    print(f"| {' | '.join(COLUMNS)} |")
    print(f"|{'|'.join('---' for _ in COLUMNS)}|", flush=True)
    for case in [c.strip() for c in args.sizes.split(",") if c.strip()]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", case, "--workers", str(args.workers),
               "--seed", str(args.seed)]
        if args.time_limit is not None:
            cmd += ["--time-limit", str(args.time_limit)]
        if args.busy:
            cmd.append("--busy")
        if not args.rerun:
            cmd.append("--no-rerun")
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode != 0:
            result = {"case": case, "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
        else:
            result = json.loads(done.stdout.strip().splitlines()[-1])
        if args.json:
            print(json.dumps(result), file=sys.stderr)
        print(f"| {' | '.join(row(result))} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
