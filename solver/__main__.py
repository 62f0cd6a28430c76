"""Command line: ``python -m solver solve|check|generate`` (docs/DESIGN.md, "The solver contract").

Exit codes: 0 success (a schedule, or a proof of infeasibility, was found; or
``check`` found no violated hard rule); 1 ``check`` found a violated hard rule;
2 bad input or usage; 3 ``solve`` found neither a schedule nor a proof in time.
"""
from __future__ import annotations

import argparse
import json
import sys

from . import io
from .engine import solve
from .generate import GenParams, generate, params_for
from .types import Config, Status
from .validate import check

EXIT_OK, EXIT_VIOLATION, EXIT_BAD_INPUT, EXIT_NO_ANSWER = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m solver", description="Karvan B2B meeting scheduler")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("solve", help="print a b2b-solution/1 for an instance")
    p.add_argument("instance")
    p.add_argument("--time-limit", type=float, default=Config.time_limit_s, metavar="SECONDS")
    p.add_argument("--workers", type=int, default=None, metavar="N")
    p.add_argument("--seed", type=int, default=0, metavar="K")
    p.add_argument("--method", choices=("cp-sat", "greedy"), default="cp-sat")
    p.add_argument("--log", action="store_true", help="CP-SAT search log on stderr")
    c = sub.add_parser("check", help="print violated rules and figures of a solution")
    c.add_argument("instance")
    c.add_argument("solution")
    g = sub.add_parser("generate", help="print a generated b2b-instance/1")
    g.add_argument("--size", choices=("S", "M", "L", "XL"), default=None)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--variant", choices=("interpreter", "optional", "pinned", "hosts"), default=None)
    for name in ("participants", "meetings", "days", "tables", "interpreters", "slots-per-session",
                 "sessions-per-day"):
        g.add_argument(f"--{name}", type=int, default=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "solve":
            return _solve(args)
        if args.command == "check":
            return _check(args)
        return _generate(args)
    except io.InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _solve(args) -> int:
    if args.time_limit <= 0 or (args.workers is not None and args.workers < 1):
        raise ValueError("--time-limit and --workers must be positive")
    problem = io.load_problem(args.instance)
    config = Config(time_limit_s=args.time_limit, workers=args.workers, seed=args.seed, log_search=args.log)
    solution = solve(problem, config, method=args.method)
    sys.stdout.write(io.dumps(io.solution_to_dict(solution)) + "\n")
    return EXIT_OK if solution.status in (Status.OPTIMAL, Status.FEASIBLE, Status.INFEASIBLE) else EXIT_NO_ANSWER


def _check(args) -> int:
    problem = io.load_problem(args.instance)
    solution = io.load_solution(args.solution)
    report = check(problem, solution)
    out = sys.stdout
    out.write(f"status: {solution.status.value}\n")
    for v in report.violations:
        out.write(f"VIOLATION {v.code}: {v.message}\n")
    figures = report.figures.to_dict()
    for key, value in figures.items():
        out.write(f"{key}: {value}\n")
    claimed = solution.stats
    for key, value in figures.items():
        said = getattr(claimed, key)
        if solution.status.has_schedule and said != value:
            print(f"note: stats.{key} says {said}, the schedule gives {value}", file=sys.stderr)
    out.write("ok\n" if report.ok else f"{len(report.violations)} violation(s)\n")
    return EXIT_OK if report.ok else EXIT_VIOLATION


def _generate(args) -> int:
    counts = {"participants": args.participants, "meetings": args.meetings, "days": args.days,
              "tables": args.tables, "interpreters": args.interpreters,
              "slots_per_session": args.slots_per_session, "sessions_per_day": args.sessions_per_day}
    given = {k: v for k, v in counts.items() if v is not None}
    if any(v < 1 for v in given.values()):
        raise ValueError("counts must be positive")
    if args.size:
        params = params_for(args.size, args.variant, **given)
    else:
        missing = [k for k in ("participants", "meetings", "days") if k not in given]
        if missing:
            raise ValueError("give --size, or --participants, --meetings and --days")
        params = GenParams(**given, variant=args.variant)
    problem = generate(params, args.seed)
    sys.stdout.write(json.dumps(io.problem_to_dict(problem), ensure_ascii=False) + "\n")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
