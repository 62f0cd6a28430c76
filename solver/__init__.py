"""Karvan's meeting scheduler: pure Python + OR-Tools CP-SAT, no web imports.

Use `solve(problem, config)` for a `Solution`, `solver.validate.check` to check
any schedule, `solver.io` for the `b2b-instance/1` / `b2b-solution/1` JSON.
"""
from .engine import solve
from .types import (
                    Assignment,
                    Config,
                    Fixed,
                    Interpreter,
                    Meeting,
                    Participant,
                    Problem,
                    Session,
                    Slot,
                    Solution,
                    Stats,
                    Status,
                    Table,
)

__all__ = ["solve", "Assignment", "Config", "Fixed", "Interpreter", "Meeting", "Participant", "Problem",
           "Session", "Slot", "Solution", "Stats", "Status", "Table"]
