"""Running one CP-SAT solve: parameters, progress callback and cancellation."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .types import Config

Progress = Callable[[float, float, float], None]
ShouldStop = Callable[[], bool]
Placement = dict[int, tuple[int, int | None]]  # meeting position -> (slot position, interpreter kind)


@dataclass
class Context:
    """What every solve of one `solve()` call shares: config, clock, callbacks."""

    config: Config
    started: float
    deadline: float
    on_progress: Progress | None = None
    should_stop: ShouldStop | None = None
    cancelled: bool = False
    # Told every better whole schedule: `on_schedule(placement)`. A solve of part of the
    # meetings (one session, a pair) reports its part over `outside`, the rest of the schedule.
    on_schedule: Callable[[Placement], None] | None = None
    outside: Placement | None = None

    def found(self, placement: Placement) -> None:
        """A better schedule of the meetings in scope (all of them, or the part beside `outside`)."""
        if self.on_schedule is not None:
            self.on_schedule({**self.outside, **placement} if self.outside else placement)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.perf_counter())

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def stop_requested(self) -> bool:
        if not self.cancelled and self.should_stop is not None and self.should_stop():
            self.cancelled = True
        return self.cancelled


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, ctx: Context):
        super().__init__()
        self.ctx = ctx
        self.last_improvement = time.perf_counter()

    def on_solution_callback(self) -> None:
        self.last_improvement = time.perf_counter()
        if self.ctx.on_progress is not None:
            self.ctx.on_progress(self.ctx.elapsed(), self.objective_value, self.best_objective_bound)
        if self.ctx.stop_requested():
            self.stop_search()


def run(model: cp_model.CpModel, ctx: Context, time_limit: float,
        seed: int | None = None, patience: float | None = None, **extra) -> tuple[cp_model.CpSolver, int]:
    """Solve within `time_limit` seconds with the context's workers and seed; returns
    (solver, status).  A watcher thread honours `should_stop`.

    With `patience` (a fraction), the search also stops once no solution has improved for
    max(3 s, patience x elapsed): on a busy machine improvements come slower, so the
    search runs longer instead of stopping at a fixed slice with a worse answer.
    `extra` sets further CP-SAT parameters by name."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, time_limit)
    params.num_workers = ctx.config.num_workers
    params.random_seed = ctx.config.seed if seed is None else seed
    params.log_search_progress = ctx.config.log_search
    for name, value in extra.items():
        setattr(params, name, value)
    done = threading.Event()
    watcher = None
    callback = _Callback(ctx)
    if ctx.should_stop is not None or patience is not None:
        began = time.perf_counter()

        def watch() -> None:
            while not done.wait(0.05):
                now = time.perf_counter()
                idle = now - callback.last_improvement
                if ctx.stop_requested() or (patience is not None and idle > max(3.0, patience * (now - began))):
                    solver.stop_search()
                    return
        watcher = threading.Thread(target=watch, name="solver-stop-watch", daemon=True)
        watcher.start()
    try:
        status = solver.solve(model, callback)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    return solver, status
