"""Hole-aware booking of one session: the starting point of a session solve.

`compact_fill` books meetings best-fit (fewest new holes), `improve_holes` then
moves and swaps single meetings while that removes holes.  Both work on a
`solver.greedy.Board`, so every placement respects the hard rules.
"""
from __future__ import annotations

from .greedy import Board


def compact_fill(board: Board, meetings: list[int], slots: list[int]) -> list[int]:
    """Best-fit booking for one session: each meeting goes where it adds the fewest holes.

    Meetings are taken participant by participant (busiest first, then along the
    meeting graph) so that blocks grow next to each other; among the slots that
    fit, the one with the smallest increase of holes for its participants wins,
    ties going to the slot next to their other meetings, then the earliest.  Used
    as the starting hint of a session solve; returns the meetings that did not fit.
    """
    prep = board.prep
    pos = {s: i for i, s in enumerate(slots)}
    people = {k: [prep.participant_index[pid] for pid in prep.meetings[k].meeting.participants] for k in meetings}
    mine: dict[int, list[int]] = {}
    for k in meetings:
        for p in people[k]:
            mine.setdefault(p, []).append(k)
    # per participant: free prefix counts of available positions, and the busy span so far
    free_before = {p: _prefix([slots[i] in prep.available[p] for i in range(len(slots))]) for p in mine}
    span: dict[int, tuple[int, int]] = {}

    def delta(p: int, i: int) -> tuple[int, int]:
        """(change of holes, distance to the block) when p also meets at position i."""
        if p not in span:
            return 0, 0
        lo, hi = span[p]
        count = free_before[p]
        if i < lo:
            return count[lo] - count[i + 1], lo - i
        if i > hi:
            return count[i] - count[hi + 1], i - hi
        return -1, 0  # fills one of its holes (i is free and available, or the meeting would not fit)

    order: list[int] = []
    seen: set[int] = set()
    visited: set[int] = set()
    for start in sorted(mine, key=lambda p: (-len(mine[p]), p)):
        if start in visited:
            continue
        queue, head = [start], 0
        visited.add(start)
        while head < len(queue):
            p = queue[head]
            head += 1
            for k in mine[p]:
                if k not in seen:
                    seen.add(k)
                    order.append(k)
                for q in people[k]:
                    if q not in visited:
                        visited.add(q)
                        queue.append(q)
    rank = {k: i for i, k in enumerate(order)}
    order.sort(key=lambda k: (not (prep.meetings[k].mandatory or k in prep.previous), rank[k]))
    left = []
    for k in order:
        if k in prep.previous and board.keep_previous(k):
            s = board.placed[k][0]
        else:
            best = None
            for s in prep.meetings[k].slots:
                if s not in pos:
                    continue
                i = pos[s]
                cost = [delta(p, i) for p in people[k]]
                key = (sum(c[0] for c in cost), sum(c[1] for c in cost), i)
                if best is not None and key >= best[0]:
                    continue
                fit = board.fit(k, s)
                if fit is not None:
                    best = (key, s, fit)
            if best is None:
                left.append(k)
                continue
            s = best[1]
            board.place(k, s, *best[2])
        if s in pos:
            i = pos[s]
            for p in people[k]:
                lo, hi = span.get(p, (i, i))
                span[p] = (min(lo, i), max(hi, i))
    return left


def improve_holes(board: Board, meetings: list[int], slots: list[int], rounds: int = 6) -> int:
    """Local search after `compact_fill`: move single meetings to other slots of the session
    while that lowers the holes of their participants.  Meetings kept from the previous plan
    stay.  Returns the number of moves."""
    prep = board.prep
    pos = {s: i for i, s in enumerate(slots)}
    people = {k: [prep.participant_index[pid] for pid in prep.meetings[k].meeting.participants] for k in meetings}
    avail = {}
    for ps in people.values():
        for p in ps:
            if p not in avail:
                avail[p] = _prefix([slots[i] in prep.available[p] for i in range(len(slots))])

    def holes(p: int, marks: set[int]) -> int:
        if len(marks) < 2:
            return 0
        lo, hi = min(marks), max(marks)
        return avail[p][hi + 1] - avail[p][lo] - len(marks)

    def marks(p: int) -> set[int]:
        return {pos[t] for t in board.person_busy[p] if t in pos}

    moves = 0
    for _ in range(rounds):
        moved = 0
        for k in meetings:
            if k not in board.placed:
                continue
            prev = prep.previous.get(k)
            s0 = board.placed[k][0]
            if prev is not None and prev.slot == prep.slot_ids[s0]:
                continue
            i0 = pos.get(s0)
            if i0 is None:
                continue
            current = {p: marks(p) for p in people[k]}
            base = sum(holes(p, m) for p, m in current.items())
            if base == 0:
                continue
            options = []
            for s in prep.meetings[k].slots:
                j = pos.get(s)
                if j is None or j == i0:
                    continue
                cost = sum(holes(p, (m - {i0}) | {j}) for p, m in current.items())
                if cost < base:
                    options.append((cost, j, s))
            if not options:
                continue
            old = board.unplace(k)
            for _cost, _j, s in sorted(options):
                fit = board.fit(k, s)
                if fit is not None:
                    board.place(k, s, *fit)
                    moved += 1
                    break
            else:
                board.place(k, *old)
                moved += _swap(board, k, options, people, pos, holes, marks, base)
        moves += moved
        if not moved:
            break
    return moves


def _swap(board: Board, k: int, options, people, pos, holes, marks, base: int) -> int:
    """Exchange the slots of k and a meeting k2 that blocks k's better slot, when the holes of
    everyone involved go down.  Returns 1 on a swap, else 0."""
    prep = board.prep
    s0 = board.placed[k][0]
    for _cost, _j, s in sorted(options)[:3]:
        blockers = {k2 for k2, (t, _tb, _in) in board.placed.items() if t == s and k2 != k
                    and set(people.get(k2, ())) & set(people[k])}
        if len(blockers) != 1:
            continue
        k2 = blockers.pop()
        prev = prep.previous.get(k2)
        if prev is not None and prev.slot == prep.slot_ids[s]:
            continue
        if s0 not in prep.meetings[k2].slots:
            continue
        involved = set(people[k]) | set(people[k2])
        before = sum(holes(p, marks(p)) for p in involved)
        i0, j = pos[s0], pos[s]
        after = 0
        for p in involved:
            m = marks(p)
            if p in people[k]:
                m = m - {i0}
            if p in people[k2]:
                m = m - {j}
            if p in people[k]:
                m = m | {j}
            if p in people[k2]:
                m = m | {i0}
            after += holes(p, m)
        if after >= before:
            continue
        old_k, old_k2 = board.unplace(k), board.unplace(k2)
        fit_k = board.fit(k, s)
        if fit_k is not None:
            board.place(k, s, *fit_k)
            fit_k2 = board.fit(k2, s0)
            if fit_k2 is not None:
                board.place(k2, s0, *fit_k2)
                return 1
            board.unplace(k)
        board.place(k2, *old_k2)
        board.place(k, *old_k)
    return 0


def _prefix(flags: list[bool]) -> list[int]:
    out = [0]
    for flag in flags:
        out.append(out[-1] + int(flag))
    return out
