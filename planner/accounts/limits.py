"""Rate limits on log-in, password reset and registration, counted atomically by Flask-Limiter.

Each attempt first takes one unit from every limit it falls under (per account and per client
address) with an atomic increment in the limiter's storage (Redis INCR when REDIS_URL is set, a
locked counter in memory otherwise), so parallel requests cannot all slip past a check made before
any of them is counted. A successful log-in gives its units back, so only failed attempts count.
The per-account window is short (back-off, not lock-out: a stranger cannot shut a firm out for
long), the per-address one allows an office behind one address; with KARVAN_PROXY_HOPS set the
address is the client's, not nginx's.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse

from planner.errors import ServiceError
from planner.extensions import limiter


class RateLimited(ServiceError):
    """Too many attempts; `retry_after` is whole seconds until the earliest limit allows one more."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Slot:
    """One limit an attempt counts against: a config key naming it, a scope and whom it counts."""

    config_key: str
    scope: str
    identifier: str

    @property
    def item(self) -> RateLimitItem:
        return parse(current_app.config[self.config_key])


def take(slots: list[Slot]) -> int:
    """Count one attempt against every slot; returns 0, or the seconds to wait when a limit is spent.

    When any limit is spent, nothing stays counted (the units already taken are given back).
    """
    taken: list[Slot] = []
    for slot in slots:
        allowed = limiter.limiter.hit(slot.item, slot.scope, slot.identifier)
        taken.append(slot)
        if not allowed:
            reset_at = limiter.limiter.get_window_stats(slot.item, slot.scope, slot.identifier).reset_time
            give_back(taken)
            return max(1, math.ceil(reset_at - time.time()))
    return 0


def give_back(slots: list[Slot]) -> None:
    """Return the units `take` counted (a successful log-in is not a failure)."""
    for slot in slots:
        item = slot.item
        limiter.storage.incr(item.key_for(slot.scope, slot.identifier), item.get_expiry(), amount=-1)
