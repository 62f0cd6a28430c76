"""Benchmark of the scheduler on generated instances, with the first-fit baseline beside it.

    python bench/solver_bench.py [--sizes S,M,L,XL,M-interpreter,M-optional] [--time-limit SECONDS]
                                 [--workers N] [--seed K]

Each row runs in its own process so that peak memory (max RSS) is that row's.
Sizes are issue 3's: S 40/150/1 day, M 200/1,000/2, L 1,000/6,000/3, XL 3,000/20,000/4;
``-interpreter`` and ``-optional`` select the generator's variants.  Default time
limits per size: S 10 s, M 30 s, L 60 s, XL 180 s.  Prints a Markdown table.
When first-fit misses a required meeting its answer is UNKNOWN; the greedy columns
then show its partial schedule, marked "(N required missed)".
No asserts on time: this is a measurement, not a test.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CASES = "S,M,L,XL,M-interpreter,M-optional"
LIMITS = {"S": 10.0, "M": 30.0, "L": 60.0, "XL": 180.0}
COLUMNS = ["case", "participants / meetings / days", "status", "scheduled", "weight − shortfall", "holes",
           "best bound", "wall s", "peak MB", "greedy: scheduled", "greedy: weight − shortfall",
           "greedy: holes", "valid"]


def one(case: str, time_limit: float | None, workers: int, seed: int) -> dict:
    from solver import Config, solve
    from solver.generate import generate, params_for
    from solver.greedy import Board, booking_order, fill, solve_greedy
    from solver.index import prepare
    from solver.validate import check

    size, _, variant = case.partition("-")
    params = params_for(size, variant or None)
    problem = generate(params, seed)
    started = time.perf_counter()
    greedy = solve_greedy(problem)
    greedy_s = time.perf_counter() - started
    # a first-fit run that misses a required meeting answers UNKNOWN; show its partial schedule anyway
    board = Board.empty(prepare(problem))
    missed = sum(1 for k in fill(board, booking_order(board.prep)) if board.prep.meetings[k].forced)
    greedy_assignments = board.assignments()
    limit = time_limit if time_limit is not None else LIMITS[size.upper()]
    started = time.perf_counter()
    solution = solve(problem, Config(time_limit_s=limit, workers=workers, seed=seed))
    wall = time.perf_counter() - started
    report, greedy_report = check(problem, solution), check(problem, greedy_assignments)
    return {
        "case": case, "participants": len(problem.participants), "meetings": len(problem.meetings),
        "days": params.days, "status": solution.status.value, "scheduled": report.figures.scheduled,
        "value": report.figures.value, "holes": report.figures.holes, "bound": solution.stats.best_bound,
        "wall_s": wall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # first-fit's partial schedule must break no rule besides leaving required meetings out
        "valid": report.ok and not [v for v in greedy_report.violations
                                    if v.code != "required_unscheduled"],
        "time_limit": limit,
        "greedy": {"status": greedy.status.value, "missed_required": missed,
                   "scheduled": greedy_report.figures.scheduled,
                   "value": greedy_report.figures.value, "holes": greedy_report.figures.holes,
                   "wall_s": greedy_s},
        "decomposed": solution.stats.extra.get("decomposed"),
    }


def row(r: dict) -> list[str]:
    if "error" in r:
        return [r["case"], "", "error: " + r["error"]] + [""] * (len(COLUMNS) - 3)
    bound = "" if r["bound"] is None else f"{r['bound']:.0f}"
    g = r["greedy"]
    mark = f" ({g['missed_required']} required missed)" if g["missed_required"] else ""
    return [r["case"], f"{r['participants']} / {r['meetings']} / {r['days']}", r["status"], str(r["scheduled"]),
            str(r["value"]), str(r["holes"]), bound, f"{r['wall_s']:.1f}", f"{r['peak_mb']:.0f}",
            f"{g['scheduled']}{mark}", str(g["value"]), str(g["holes"]), "yes" if r["valid"] else "NO"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_CASES, help=f"comma-separated cases (default {DEFAULT_CASES})")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per row (default: per size)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="also print each row as JSON on stderr")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.time_limit, args.workers, args.seed)))
        return 0

    print(f"| {' | '.join(COLUMNS)} |")
    print(f"|{'|'.join('---' for _ in COLUMNS)}|", flush=True)
    for case in [c.strip() for c in args.sizes.split(",") if c.strip()]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", case, "--workers", str(args.workers),
               "--seed", str(args.seed)]
        if args.time_limit is not None:
            cmd += ["--time-limit", str(args.time_limit)]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
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
