"""`flask --app wsgi solve …` in a process of its own, with a solver that searches until told
to stop — a long run to kill with SIGKILL (tests/scheduling/test_orphaned_jobs.py)."""
from __future__ import annotations

import sys
import time

from flask.cli import main

import solver

real_solve = solver.solve


def slow_solve(problem, config, **kwargs):
    kwargs["on_progress"](0.1, 3.0, 5.0)
    deadline = time.monotonic() + 120
    while not kwargs["should_stop"]() and time.monotonic() < deadline:
        time.sleep(0.05)
    return real_solve(problem, config, method="greedy")


if __name__ == "__main__":
    solver.solve = slow_solve
    sys.argv = ["flask", "--app", "wsgi", *sys.argv[1:]]
    main()
