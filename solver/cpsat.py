"""Running one CP-SAT solve: parameters, progress callback and cancellation."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

from .types import Config

Progress = Callable[[float, float, float], None]
ShouldStop = Callable[[], bool]


@dataclass
class Context:
    """What every solve of one `solve()` call shares: config, clock, callbacks."""

    config: Config
    started: float
    deadline: float
    on_progress: Progress | None = None
    should_stop: ShouldStop | None = None
    cancelled: bool = False

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

    def on_solution_callback(self) -> None:
        if self.ctx.on_progress is not None:
            self.ctx.on_progress(self.ctx.elapsed(), self.objective_value, self.best_objective_bound)
        if self.ctx.stop_requested():
            self.stop_search()


def run(model: cp_model.CpModel, ctx: Context, time_limit: float,
        seed: int | None = None, **extra) -> tuple[cp_model.CpSolver, int]:
    """Solve with the context's workers and seed; a watcher thread honours `should_stop`.

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
    if ctx.should_stop is not None:
        def watch() -> None:
            while not done.wait(0.05):
                if ctx.stop_requested():
                    solver.stop_search()
                    return
        watcher = threading.Thread(target=watch, name="solver-stop-watch", daemon=True)
        watcher.start()
    try:
        status = solver.solve(model, _Callback(ctx))
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    return solver, status
