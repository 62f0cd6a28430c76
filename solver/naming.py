"""Naming the resources of a placement: a table per meeting, an interpreter where needed.

The model decides slots (and interpreter kinds); tables and interpreters are named
here, per slot, preferring what the previous plan had.
"""
from __future__ import annotations

from .index import Prepared
from .types import Assignment

Placement = dict[int, tuple[int, int | None]]


def name_resources(prep: Prepared, placement: Placement, kept: set[int]) -> list[Assignment]:
    """Give each placed meeting a table and, when needed, an interpreter.

    `placement` maps meeting index -> (slot index, interpreter kind or None); `kept`
    are the meetings the model keeps at their previous slot and table.  Returns the
    assignments in input order; raises RuntimeError if the placement breaks a table
    or interpreter capacity (a bug in the model).

    Tables: pinned meetings first, then kept meetings at their previous table, then
    meetings on general tables (their previous table when free, else the first free
    general table, host tables last), then meetings of an owner of a reserved table
    (previous table if it is that table, else the owner's table).
    Interpreters: a bipartite matching per slot (the model guarantees one exists),
    trying each meeting's previous interpreter first.
    """
    by_slot: dict[int, list[int]] = {}
    for k, (s, _kind) in placement.items():
        by_slot.setdefault(s, []).append(k)
    out: list[Assignment] = []
    for s, ks in by_slot.items():
        def rank(k: int) -> int:  # owners' meetings last: their own table is always free
            facts = prep.meetings[k]
            return 0 if facts.table is not None else 1 if k in kept else 2 if facts.general else 3
        ks.sort(key=lambda k: (rank(k), k))
        used_tables: set[int] = set()
        table_of: dict[int, int] = {}
        cursor = 0  # into prep.table_order: general tables, interchangeable first
        for k in ks:
            facts = prep.meetings[k]
            prev = prep.previous.get(k)
            want = prep.table_index[prev.table] if prev is not None and prev.slot == prep.slot_ids[s] else None
            if want is not None and (want in used_tables or not prep.admits(want, k)
                                     or (k not in kept and not facts.general and want not in prep.reserved)):
                want = None  # an owner's meeting takes a general table only when the model kept it there
            if facts.table is not None:
                table = facts.table
            elif want is not None:
                table = want
            elif facts.owned:
                table = next((t for t in facts.owned if t not in used_tables), facts.owned[0])
            else:
                while prep.table_order[cursor] in used_tables:
                    cursor += 1
                table = prep.table_order[cursor]
            if table in used_tables:
                raise RuntimeError(f"table clash for meeting {facts.meeting.id} in slot {prep.slot_ids[s]}")
            used_tables.add(table)
            table_of[k] = table
        interp_of = _match_interpreters(prep, s, [k for k in ks if prep.meetings[k].needs_interpreter])
        for k in ks:
            n = interp_of.get(k)
            out.append(Assignment(prep.meetings[k].meeting.id, prep.slot_ids[s], prep.table_ids[table_of[k]],
                                  None if n is None else prep.problem.interpreters[n].id))
    order = {m.id: i for i, m in enumerate(prep.problem.meetings)}
    out.sort(key=lambda a: order[a.meeting])
    return out


def _match_interpreters(prep: Prepared, s: int, needing: list[int]) -> dict[int, int]:
    """Kuhn's augmenting paths: meeting -> interpreter, previous interpreters preferred."""
    candidates: dict[int, list[int]] = {}
    for k in needing:
        pool = [n for kind in prep.meetings[k].kinds for n in prep.kind_members[kind]
                if s in prep.interpreter_available[n]]
        prev = prep.previous.get(k)
        if prev is not None and prev.interpreter in prep.interpreter_pos:
            want = prep.interpreter_pos[prev.interpreter]
            if want in pool:
                pool.remove(want)
                pool.insert(0, want)
        candidates[k] = pool
    owner: dict[int, int] = {}  # interpreter -> meeting

    def augment(k: int, seen: set[int]) -> bool:
        for n in candidates[k]:
            if n in seen:
                continue
            seen.add(n)
            if n not in owner or augment(owner[n], seen):
                owner[n] = k
                return True
        return False

    for k in sorted(needing, key=lambda k: (len(candidates[k]), k)):
        if not augment(k, set()):
            raise RuntimeError(f"no interpreter for meeting {prep.meetings[k].meeting.id} in slot {prep.slot_ids[s]}")
    return {k: n for n, k in owner.items()}
