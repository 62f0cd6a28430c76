"""Counting pre-check: can the meetings that must happen fit at all?

Before any search, count demand against capacity for the meetings that must be
scheduled (`Meeting.mandatory`: required ones only; a fixed optional meeting may
be left out, rule 4): per meeting (is any slot left?), per
participant and per host table (Hall's condition over groups of meetings with
the same allowed slots), per slot for tables, and overall for tables and
interpreters.  Every finding is a code with the ids involved; the engine puts
them in ``stats["reason"]`` of an INFEASIBLE answer.  Passing the pre-check does
not prove feasibility; CP-SAT then decides.
"""
from __future__ import annotations

from collections import defaultdict

from .index import Prepared

_WHY = {
    "table_conflict": "its participants are hosted at different tables",
    "no_tables": "the event has no table it may use",
    "table_reserved": "its table is reserved for someone who is not in it",
    "participant_without_language": "a participant has no language, so no interpreter can help",
    "no_qualified_interpreter": "no interpreter speaks a language of every participant",
    "no_interpreter_free": "no qualified interpreter is free in any slot its participants share",
    "no_common_slot": "its participants share no available slot in its allowed sessions",
}


def finding(code: str, message: str, **ids: list[str]) -> dict:
    out = {"code": code, "message": message}
    out.update({k: v for k, v in ids.items() if v})
    return out


def precheck(prep: Prepared) -> list[dict]:
    """Counting checks on the mandatory meetings of `prep`; returns findings (dicts with a
    ``code``, a ``message`` and the ids involved), empty when every count fits."""
    mandatory = [f for f in prep.meetings if f.mandatory]
    found: list[dict] = []
    for f in mandatory:
        if not f.slots:
            found.append(finding("meeting_cannot_fit", f"meeting {f.meeting.id!r} cannot be scheduled: "
                                 f"{_WHY.get(f.why_not or '', f.why_not)}", meetings=[f.meeting.id],
                                 participants=list(f.meeting.participants), detail=[f.why_not or ""]))
    if found:
        return found

    problem = prep.problem
    mine: dict[int, list] = defaultdict(list)
    pinned: dict[int, list] = defaultdict(list)
    for f in mandatory:
        for pid in f.meeting.participants:
            mine[prep.participant_index[pid]].append(f)
        if f.table is not None:
            pinned[f.table].append(f)
    for p, group in mine.items():
        person = problem.participants[p]
        if person.max_meetings is not None and len(group) > person.max_meetings:
            found.append(finding("participant_over_max", f"participant {person.id!r} must attend {len(group)} "
                                 f"meetings but may attend at most {person.max_meetings}",
                                 participants=[person.id], meetings=[f.meeting.id for f in group]))
        violated = _hall(group)
        if violated:
            metas, slots = violated
            found.append(finding("participant_overloaded", f"participant {person.id!r} must attend "
                                 f"{len(metas)} meetings within {len(slots)} usable slots",
                                 participants=[person.id], meetings=metas,
                                 slots=[prep.slot_ids[s] for s in sorted(slots)]))
    for t, group in pinned.items():
        violated = _hall(group)
        if violated:
            metas, slots = violated
            found.append(finding("table_overloaded", f"table {prep.table_ids[t]!r} must host {len(metas)} "
                                 f"meetings within {len(slots)} usable slots", tables=[prep.table_ids[t]],
                                 meetings=metas, slots=[prep.slot_ids[s] for s in sorted(slots)]))
    # general (unreserved) tables: meetings with an owner of a reserved table do not count
    general = [f for f in mandatory if f.general]
    per_slot: dict[int, list[str]] = defaultdict(list)
    for f in general:
        if len(f.slots) == 1:
            per_slot[f.slots[0]].append(f.meeting.id)
    for s, metas in per_slot.items():
        if len(metas) > prep.n_general:
            found.append(finding("slot_overloaded", f"{len(metas)} meetings are fixed to slot "
                                 f"{prep.slot_ids[s]!r} which has {prep.n_general} tables",
                                 meetings=metas, slots=[prep.slot_ids[s]]))
    used = set().union(*(f.slots for f in general)) if general else set()
    if len(general) > prep.n_general * len(used):
        found.append(finding("tables_insufficient", f"{len(general)} required meetings but only "
                             f"{prep.n_general * len(used)} table slots",
                             meetings=[f.meeting.id for f in general]))
    interpreted = [f for f in mandatory if f.needs_interpreter]
    if interpreted:
        usable = set().union(*(f.slots for f in interpreted))
        capacity = sum(min(sum(prep.kind_capacity[n][s] for n in range(len(prep.kinds))), len(prep.table_ids))
                       for s in usable)
        if len(interpreted) > capacity:
            found.append(finding("interpreters_insufficient", f"{len(interpreted)} required meetings need "
                                 f"an interpreter but only {capacity} interpreter slots exist",
                                 meetings=[f.meeting.id for f in interpreted]))
    return found


def _hall(group: list) -> tuple[list[str], set[int]] | None:
    """A set of slots that fewer than the meetings confined to it; None when every group fits."""
    for slots in {frozenset(f.slots) for f in group}:
        inside = [f.meeting.id for f in group if slots.issuperset(f.slots)]
        if len(inside) > len(slots):
            return inside, set(slots)
    every = set().union(*(f.slots for f in group))
    if len(group) > len(every):
        return [f.meeting.id for f in group], every
    return None


def reason(findings: list[dict]) -> dict:
    """The ``stats["reason"]`` object of an INFEASIBLE answer."""
    meetings = sorted({m for f in findings for m in f.get("meetings", [])})
    people = sorted({p for f in findings for p in f.get("participants", [])})
    return {"code": findings[0]["code"] if len(findings) == 1 else "required_cannot_fit",
            "message": "; ".join(f["message"] for f in findings[:5]),
            "meetings": meetings, "participants": people, "checks": findings}
