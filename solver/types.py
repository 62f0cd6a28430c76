"""Immutable records that go into the solver and the solution that comes out.

Everything here is ids, integers and timezone-aware datetimes: the solver never
sees ORM objects and never returns display text (see docs/DESIGN.md, "The solver
contract").  `Problem` mirrors the `b2b-instance/1` JSON, `Solution` mirrors
`b2b-solution/1`; `solver.io` converts between the two.
"""
from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Status(str, enum.Enum):  # noqa: UP042  (str() of a member is "Status.X" in messages; the contract uses .value)
    """Outcome of a solve, named as in the JSON contract."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    MODEL_INVALID = "MODEL_INVALID"

    @property
    def has_schedule(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True)
class Session:
    """A block of consecutive slots (for example one morning); holes are counted per session."""

    id: str
    slots: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Table:
    """A meeting table.  With `reserved_for` (a participant id, e.g. a host's own stand)
    it takes only meetings of that participant; without it, any meeting."""

    id: str
    reserved_for: str | None = None

    def admits(self, meeting: Meeting) -> bool:
        """Rule 2 (reserved tables): may `meeting` take place at this table?"""
        return self.reserved_for is None or self.reserved_for in meeting.participants


@dataclass(frozen=True)
class Participant:
    id: str
    unavailable: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    min_meetings: int = 0
    max_meetings: int | None = None
    table: str | None = None  # host table: all of this participant's meetings happen there


@dataclass(frozen=True)
class Interpreter:
    id: str
    languages: frozenset[str] = frozenset()
    unavailable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fixed:
    """A pin set by the organiser; either part may be None."""

    slot: str | None = None
    table: str | None = None


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, ...]
    weight: int = 1
    required: bool = False
    sessions: frozenset[str] | None = None  # None: any session
    fixed: Fixed | None = None

    @property
    def mandatory(self) -> bool:
        """Rule 4, the one definition every part of the solver uses: only `required` makes a
        meeting mandatory.  `fixed` and `sessions` say *where* it goes if it happens, not *whether*."""
        return self.required


@dataclass(frozen=True)
class Assignment:
    meeting: str
    slot: str
    table: str
    interpreter: str | None = None


@dataclass(frozen=True)
class Problem:
    sessions: tuple[Session, ...]
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    interpreters: tuple[Interpreter, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    previous: tuple[Assignment, ...] = ()  # the last published plan, used as hints and for `moved`


@dataclass(frozen=True)
class Config:
    """How to solve.

    The tier settings switch the lexicographic tiers (b) moves and (c) holes on
    or off and say how the time limit is shared; the decomposition settings say
    when a problem is split by session (see `solver.engine`).
    """

    time_limit_s: float = 30.0
    workers: int | None = None  # None: the CPU count
    seed: int = 0
    minimise_moves: bool = True  # tier (b)
    stable: bool = True  # with previous: never more moves than the start (the previous plan, where it fits)
    minimise_holes: bool = True  # tier (c)
    tier_shares: tuple[float, float, float] = (0.5, 0.2, 0.3)  # of the remaining time, per tier
    decompose: str = "auto"  # "auto" | "always" | "never"
    decompose_min_vars: int = 12_000  # auto: decompose when meeting x slot booleans exceed this
    whole_holes_max_vars: int = 1_500  # above: holes per session after tiers (a), (b) on the whole model
    zero_holes_max_meetings: int = 0  # sessions up to this size first search for zero holes (0: never)
    log_search: bool = False

    @property
    def num_workers(self) -> int:
        return self.workers if self.workers else max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Stats:
    method: str = "cp-sat"
    wall_s: float = 0.0
    scheduled: int = 0
    scheduled_weight: int = 0
    shortfall: int = 0
    holes: int = 0
    moved: int = 0
    best_bound: float | None = None  # upper bound on tier (a): weight - shortfall
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. "reason", "phases"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "wall_s": round(self.wall_s, 3),
            "scheduled": self.scheduled,
            "scheduled_weight": self.scheduled_weight,
            "shortfall": self.shortfall,
            "holes": self.holes,
            "moved": self.moved,
            "best_bound": self.best_bound,
        }
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out


@dataclass(frozen=True)
class Solution:
    status: Status
    assignments: tuple[Assignment, ...] = ()
    unscheduled: tuple[str, ...] = ()
    stats: Stats = field(default_factory=Stats)

    @property
    def value(self) -> int:
        """Tier (a): scheduled weight minus shortfall."""
        return self.stats.scheduled_weight - self.stats.shortfall
