"""Improvement after the first answer: compact re-hints and re-solves of session pairs.

A decomposed solve fixes, in phase 1, which session every meeting goes to; when
phase 1 ends unproven (a short budget, a busy machine) nothing else would revisit
that split.  `improve_pairs` does, with the time the session solves leave: it
re-solves two sessions at a time as one `ScheduleModel` with every tier (the
meetings of both sessions, plus the unscheduled meetings that could go there),
starting from the current schedule, so a pair's answer is never worse
lexicographically and never raises `moved` unless tier (a) gains.  A pair proven
optimal is not re-solved until a pair sharing a session changes.

`compact_rehint` rebuilds a schedule of the same meetings with the hole-aware
booking of `solver.compact`, which is a far better start for the holes tier than
what tier (a) leaves behind.
"""
from __future__ import annotations

import time
from itertools import combinations

from .compact import compact_fill, improve_holes
from .cpsat import Context
from .greedy import Board
from .index import Prepared
from .model import ScheduleModel
from .tiers import solve_tiers

Placement = dict[int, tuple[int, int | None]]


def board_schedule(prep: Prepared, board: Board, meetings: list[int] | None = None) -> tuple[Placement, set[int]]:
    """(placement, kept) of the meetings on `board` (all, or those in `meetings`)."""
    placement: Placement = {}
    kept: set[int] = set()
    for k, (s, t, n) in board.placed.items():
        if meetings is not None and k not in meetings:
            continue
        placement[k] = (s, None if n is None else prep.interpreter_kind[n])
        prev = prep.previous.get(k)
        if prev is not None and prev.slot == prep.slot_ids[s] and prev.table == prep.table_ids[t]:
            kept.add(k)
    return placement, kept


def compact_rehint(prep: Prepared, sessions: list[int]):
    """A function (placement, kept) -> (placement, kept) or None for `solve_tiers(rehint=...)`.

    It books the placed meetings of each of `sessions` again, session by session, with
    `compact_fill` and `improve_holes` (meetings of the previous plan first, at their
    previous slot and table when they fit); None when a meeting does not fit.
    """
    def rehint(placement: Placement, kept: set[int]):
        board = Board.empty(prep)
        for S in sessions:
            slots = prep.session_slots[S]
            slot_set = set(slots)
            mine = [k for k, (s, _n) in placement.items() if s in slot_set]
            if compact_fill(board, mine, slots):
                return None
            improve_holes(board, mine, slots)
        if len(board.placed) != len(placement):
            return None
        return board_schedule(prep, board)
    return rehint


def session_holes(prep: Prepared, placement: Placement) -> list[int]:
    """Holes per session (rule 5) of a placement."""
    busy: dict[tuple[int, int], list[int]] = {}
    for k, (s, _n) in placement.items():
        for pid in prep.meetings[k].meeting.participants:
            busy.setdefault((prep.participant_index[pid], prep.session_of[s]), []).append(s)
    holes = [0] * len(prep.session_slots)
    for (p, S), slots in busy.items():
        if len(slots) > 1:
            lo, hi = min(slots), max(slots)
            between = [s for s in prep.session_slots[S] if lo < s < hi]
            holes[S] += sum(1 for s in between if s in prep.available[p] and s not in slots)
    return holes


def improve_pairs(prep: Prepared, ctx: Context, placement: Placement, kept: set[int],
                  reserve_s: float) -> dict:
    """Re-solve pairs of sessions until `reserve_s` seconds before the deadline or until every
    pair is proven.  Updates `placement` and `kept` in place; returns counts for the stats."""
    n = len(prep.session_slots)
    stats = {"solves": 0, "improved": 0, "proven": 0}
    if n < 2 or any(f.mandatory and f.index not in placement for f in prep.meetings):
        return stats
    proven: set[tuple[int, int]] = set()
    while not ctx.stop_requested():
        todo = [pair for pair in combinations(range(n), 2) if pair not in proven]
        if not todo:
            break
        holes = session_holes(prep, placement)
        waiting = [0] * n  # unscheduled meetings that could go to each session
        for f in prep.meetings:
            if f.index not in placement:
                for S in {prep.session_of[s] for s in f.slots}:
                    waiting[S] += 1
        todo.sort(key=lambda pair: -sum(holes[S] + waiting[S] for S in pair))
        for i, pair in enumerate(todo):
            left = ctx.remaining() - reserve_s
            if left < 0.3 or ctx.stop_requested():
                stats["proven"] = len(proven)
                return stats
            budget = max(min(left, 1.0), left / (len(todo) - i))
            status, better = _solve_pair(prep, ctx, placement, kept, pair, budget)
            stats["solves"] += 1
            if better:
                stats["improved"] += 1
                proven = {q for q in proven if not set(q) & set(pair)}
            if status == "OPTIMAL":
                proven.add(pair)
    stats["proven"] = len(proven)
    return stats


def _solve_pair(prep: Prepared, ctx: Context, placement: Placement, kept: set[int],
                pair: tuple[int, int], budget: float) -> tuple[str, bool]:
    slots = set(prep.session_slots[pair[0]]) | set(prep.session_slots[pair[1]])
    scope = [f.index for f in prep.meetings
             if (f.index in placement and placement[f.index][0] in slots)
             or (f.index not in placement and any(s in slots for s in f.slots))]
    inside = set(scope)
    base: dict[int, int] = {}
    for k in placement:
        if k not in inside:
            for pid in prep.meetings[k].meeting.participants:
                p = prep.participant_index[pid]
                base[p] = base.get(p, 0) + 1
    sm = ScheduleModel(prep, scope, slots, base_count=base)
    hint = ({k: v for k, v in placement.items() if k in inside}, {k for k in kept if k in inside})
    before = sm.hint(*hint)
    started = time.perf_counter()
    ctx.outside = {k: v for k, v in placement.items() if k not in inside}
    try:
        result = solve_tiers(sm, ctx, budget - (time.perf_counter() - started), hint, hint_valid=True,
                             rehint=compact_rehint(prep, list(pair)))
    finally:
        ctx.outside = None
    if result.status not in ("OPTIMAL", "FEASIBLE"):
        return result.status, False
    after = (result.values["value"], result.values["moved"], result.values["holes"])
    if (after[0], -after[1], -after[2]) <= (before[0], -before[1], -before[2]):
        return result.status, False
    for k in scope:
        placement.pop(k, None)
    kept.difference_update(inside)
    placement.update(result.placement)
    kept.update(result.kept)
    return result.status, True
