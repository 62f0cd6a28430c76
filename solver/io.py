"""Strict JSON <-> types for `b2b-instance/1` and `b2b-solution/1` (docs/DESIGN.md).

Bad input raises `InstanceError` whose message starts with the JSON path of the
offending value, for example ``meetings[3].participants[1]: unknown participant 'p99'``.
Optional keys and their defaults: participant ``unavailable`` [], ``languages`` [],
``min_meetings`` 0, ``max_meetings`` null, ``table`` null; interpreter
``unavailable`` []; meeting ``weight`` 1, ``required`` false, ``sessions`` null,
``fixed`` null; table ``reserved_for`` null; instance ``interpreters`` [] and
``previous`` [].  A top-level ``name`` (string) and ``meta`` (object) label an
instance and are ignored.  Every other unknown key is rejected so that typos do
not pass silently.

A hand-written reader rather than pydantic: it needs no extra dependency in the
solver package and its messages are JSON paths that the tests and the planner rely on.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from .types import Assignment, Fixed, Interpreter, Meeting, Participant, Problem, Session, Slot, Solution, Stats, Status, Table

INSTANCE_FORMAT = "b2b-instance/1"
SOLUTION_FORMAT = "b2b-solution/1"
_STATS_KEYS = ("method", "wall_s", "scheduled", "scheduled_weight", "shortfall", "holes",
               "moved", "best_bound")

__all__ = ["InstanceError", "problem_from_dict", "problem_to_dict", "solution_from_dict",
           "solution_to_dict", "load_problem", "load_solution", "dumps"]


class InstanceError(ValueError):
    """Malformed instance or solution; the message names the JSON path."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


# ---------------------------------------------------------------- primitives

def _obj(value: Any, path: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(path, f"expected an object, got {type(value).__name__}")
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise InstanceError(_join(path, key), "unknown key")
    for key in required:
        if key not in value:
            raise InstanceError(_join(path, key), "missing")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise InstanceError(path, f"expected a list, got {type(value).__name__}")
    return value


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(path, "expected a non-empty string")
    return value


def _opt_str(value: Any, path: str) -> str | None:
    return None if value is None else _str(value, path)


def _int(value: Any, path: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(path, "expected an integer")
    if value < minimum:
        raise InstanceError(path, f"must be at least {minimum}")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InstanceError(path, "expected true or false")
    return value


def _datetime(value: Any, path: str) -> datetime:
    text = _str(value, path)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InstanceError(path, f"malformed ISO 8601 time {text!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InstanceError(path, f"time {text!r} has no UTC offset")
    return moment


def _ids(values: Any, path: str, known: set[str] | None, kind: str) -> list[str]:
    out: list[str] = []
    for i, item in enumerate(_list(values, path)):
        ident = _str(item, f"{path}[{i}]")
        if known is not None and ident not in known:
            raise InstanceError(f"{path}[{i}]", f"unknown {kind} {ident!r}")
        if ident in out:
            raise InstanceError(f"{path}[{i}]", f"duplicate {kind} {ident!r}")
        out.append(ident)
    return out


def _unique(items: list, path: str, kind: str, parse: Callable[[Any, str], Any]) -> list:
    out, seen = [], set()
    for i, raw in enumerate(_list(items, path)):
        item = parse(raw, f"{path}[{i}]")
        if item.id in seen:
            raise InstanceError(f"{path}[{i}].id", f"duplicate {kind} id {item.id!r}")
        seen.add(item.id)
        out.append(item)
    return out


# ---------------------------------------------------------------- instance

def problem_from_dict(data: Any) -> Problem:
    """Parse and check a `b2b-instance/1` object; raises InstanceError."""
    _obj(data, "", ("format", "sessions", "slots", "tables", "participants", "meetings"),
         ("interpreters", "previous", "name", "meta"))
    if data["format"] != INSTANCE_FORMAT:
        raise InstanceError("format", f"expected {INSTANCE_FORMAT!r}, got {data['format']!r}")
    # "name" and "meta" label an instance for people and tools; the solver ignores them
    if "name" in data:
        _str(data["name"], "name")
    if "meta" in data and not isinstance(data["meta"], dict):
        raise InstanceError("meta", f"expected an object, got {type(data['meta']).__name__}")

    def slot(raw: Any, path: str) -> Slot:
        _obj(raw, path, ("id", "start", "end"))
        item = Slot(_str(raw["id"], f"{path}.id"), _datetime(raw["start"], f"{path}.start"),
                    _datetime(raw["end"], f"{path}.end"))
        if item.end <= item.start:
            raise InstanceError(f"{path}.end", "slot ends before it starts")
        return item

    slots = _unique(data["slots"], "slots", "slot", slot)
    slot_ids = {s.id for s in slots}

    def session(raw: Any, path: str) -> Session:
        _obj(raw, path, ("id", "slots"))
        ids = _ids(raw["slots"], f"{path}.slots", slot_ids, "slot")
        if not ids:
            raise InstanceError(f"{path}.slots", "a session needs at least one slot")
        return Session(_str(raw["id"], f"{path}.id"), tuple(ids))

    sessions = _unique(data["sessions"], "sessions", "session", session)
    owner: dict[str, str] = {}
    for i, sess in enumerate(sessions):
        for j, sid in enumerate(sess.slots):
            if sid in owner:
                raise InstanceError(f"sessions[{i}].slots[{j}]",
                                    f"slot {sid!r} is already in session {owner[sid]!r}")
            owner[sid] = sess.id
    for i, s in enumerate(slots):
        if s.id not in owner:
            raise InstanceError(f"slots[{i}]", f"slot {s.id!r} is in no session")
    session_ids = {s.id for s in sessions}

    def table(raw: Any, path: str) -> Table:
        _obj(raw, path, ("id",), ("reserved_for",))
        return Table(_str(raw["id"], f"{path}.id"), _opt_str(raw.get("reserved_for"), f"{path}.reserved_for"))

    tables = _unique(data["tables"], "tables", "table", table)
    table_ids = {t.id for t in tables}

    def participant(raw: Any, path: str) -> Participant:
        _obj(raw, path, ("id",), ("unavailable", "languages", "min_meetings", "max_meetings", "table"))
        maximum = raw.get("max_meetings")
        item = Participant(
            id=_str(raw["id"], f"{path}.id"),
            unavailable=frozenset(_ids(raw.get("unavailable", []), f"{path}.unavailable", slot_ids, "slot")),
            languages=frozenset(_ids(raw.get("languages", []), f"{path}.languages", None, "language")),
            min_meetings=_int(raw.get("min_meetings", 0), f"{path}.min_meetings"),
            max_meetings=None if maximum is None else _int(maximum, f"{path}.max_meetings"),
            table=_opt_str(raw.get("table"), f"{path}.table"),
        )
        if item.table is not None and item.table not in table_ids:
            raise InstanceError(f"{path}.table", f"unknown table {item.table!r}")
        return item

    participants = _unique(data["participants"], "participants", "participant", participant)
    participant_ids = {p.id for p in participants}
    for i, t in enumerate(tables):
        if t.reserved_for is not None and t.reserved_for not in participant_ids:
            raise InstanceError(f"tables[{i}].reserved_for", f"unknown participant {t.reserved_for!r}")

    def interpreter(raw: Any, path: str) -> Interpreter:
        _obj(raw, path, ("id", "languages"), ("unavailable",))
        return Interpreter(
            id=_str(raw["id"], f"{path}.id"),
            languages=frozenset(_ids(raw["languages"], f"{path}.languages", None, "language")),
            unavailable=frozenset(_ids(raw.get("unavailable", []), f"{path}.unavailable", slot_ids, "slot")),
        )

    interpreters = _unique(data.get("interpreters", []), "interpreters", "interpreter", interpreter)

    def meeting(raw: Any, path: str) -> Meeting:
        _obj(raw, path, ("id", "participants"), ("weight", "required", "sessions", "fixed"))
        people = _ids(raw["participants"], f"{path}.participants", participant_ids, "participant")
        if len(people) < 2:
            raise InstanceError(f"{path}.participants", "a meeting needs at least two participants")
        allowed = raw.get("sessions")
        fixed = raw.get("fixed")
        if fixed is not None:
            _obj(fixed, f"{path}.fixed", (), ("slot", "table"))
            fixed_slot = _opt_str(fixed.get("slot"), f"{path}.fixed.slot")
            fixed_table = _opt_str(fixed.get("table"), f"{path}.fixed.table")
            if fixed_slot is not None and fixed_slot not in slot_ids:
                raise InstanceError(f"{path}.fixed.slot", f"unknown slot {fixed_slot!r}")
            if fixed_table is not None and fixed_table not in table_ids:
                raise InstanceError(f"{path}.fixed.table", f"unknown table {fixed_table!r}")
            fixed = Fixed(fixed_slot, fixed_table) if (fixed_slot or fixed_table) else None
        return Meeting(
            id=_str(raw["id"], f"{path}.id"),
            participants=tuple(people),
            weight=_int(raw.get("weight", 1), f"{path}.weight"),
            required=_bool(raw.get("required", False), f"{path}.required"),
            sessions=None if allowed is None else frozenset(
                _ids(allowed, f"{path}.sessions", session_ids, "session")),
            fixed=fixed,
        )

    meetings = _unique(data["meetings"], "meetings", "meeting", meeting)
    meeting_ids = {m.id for m in meetings}
    previous = _assignments(data.get("previous", []), "previous", meeting_ids, slot_ids, table_ids,
                            {i.id for i in interpreters})
    return Problem(tuple(sessions), tuple(slots), tuple(tables), tuple(participants),
                   tuple(interpreters), tuple(meetings), tuple(previous))


def _assignments(items: Any, path: str, meetings: set[str], slots: set[str], tables: set[str],
                 interpreters: set[str]) -> list[Assignment]:
    out: list[Assignment] = []
    seen: set[str] = set()
    for i, raw in enumerate(_list(items, path)):
        here = f"{path}[{i}]"
        _obj(raw, here, ("meeting", "slot", "table"), ("interpreter",))
        item = Assignment(_str(raw["meeting"], f"{here}.meeting"), _str(raw["slot"], f"{here}.slot"),
                          _str(raw["table"], f"{here}.table"),
                          _opt_str(raw.get("interpreter"), f"{here}.interpreter"))
        for key, value, known in (("meeting", item.meeting, meetings), ("slot", item.slot, slots),
                                  ("table", item.table, tables),
                                  ("interpreter", item.interpreter, interpreters)):
            if value is not None and value not in known:
                raise InstanceError(f"{here}.{key}", f"unknown {key} {value!r}")
        if item.meeting in seen:
            raise InstanceError(f"{here}.meeting", f"meeting {item.meeting!r} appears twice")
        seen.add(item.meeting)
        out.append(item)
    return out


def _assignment_dict(a: Assignment) -> dict:
    return {"meeting": a.meeting, "slot": a.slot, "table": a.table, "interpreter": a.interpreter}


def problem_to_dict(problem: Problem) -> dict:
    return {
        "format": INSTANCE_FORMAT,
        "sessions": [{"id": s.id, "slots": list(s.slots)} for s in problem.sessions],
        "slots": [{"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()}
                  for s in problem.slots],
        "tables": [{"id": t.id} if t.reserved_for is None else {"id": t.id, "reserved_for": t.reserved_for}
                   for t in problem.tables],
        "participants": [{"id": p.id, "unavailable": sorted(p.unavailable),
                          "languages": sorted(p.languages), "min_meetings": p.min_meetings,
                          "max_meetings": p.max_meetings, "table": p.table}
                         for p in problem.participants],
        "interpreters": [{"id": i.id, "languages": sorted(i.languages),
                          "unavailable": sorted(i.unavailable)} for i in problem.interpreters],
        "meetings": [{"id": m.id, "participants": list(m.participants), "weight": m.weight,
                      "required": m.required,
                      "sessions": None if m.sessions is None else sorted(m.sessions),
                      "fixed": None if m.fixed is None else {"slot": m.fixed.slot,
                                                             "table": m.fixed.table}}
                     for m in problem.meetings],
        "previous": [_assignment_dict(a) for a in problem.previous],
    }


# ---------------------------------------------------------------- solution

def solution_from_dict(data: Any, problem: Problem | None = None) -> Solution:
    """Parse a `b2b-solution/1` object.  With `problem`, ids must exist in it.

    Rule checks (double bookings and so on) belong to `solver.validate`, not here.
    """
    _obj(data, "", ("format", "status", "assignments"), ("unscheduled", "stats"))
    if data["format"] != SOLUTION_FORMAT:
        raise InstanceError("format", f"expected {SOLUTION_FORMAT!r}, got {data['format']!r}")
    try:
        status = Status(data["status"])
    except ValueError:
        raise InstanceError("status", f"unknown status {data['status']!r}") from None
    assignments: list[Assignment] = []
    for i, raw in enumerate(_list(data["assignments"], "assignments")):
        here = f"assignments[{i}]"
        _obj(raw, here, ("meeting", "slot", "table"), ("interpreter",))
        assignments.append(Assignment(_str(raw["meeting"], f"{here}.meeting"),
                                      _str(raw["slot"], f"{here}.slot"),
                                      _str(raw["table"], f"{here}.table"),
                                      _opt_str(raw.get("interpreter"), f"{here}.interpreter")))
    if problem is not None:
        known = {"meeting": {m.id for m in problem.meetings}, "slot": {s.id for s in problem.slots},
                 "table": {t.id for t in problem.tables},
                 "interpreter": {i.id for i in problem.interpreters}}
        for i, a in enumerate(assignments):
            for key in known:
                value = getattr(a, key)
                if value is not None and value not in known[key]:
                    raise InstanceError(f"assignments[{i}].{key}", f"unknown {key} {value!r}")
    unscheduled = [_str(v, f"unscheduled[{i}]")
                   for i, v in enumerate(_list(data.get("unscheduled", []), "unscheduled"))]
    raw_stats = data.get("stats") or {}
    if not isinstance(raw_stats, dict):
        raise InstanceError("stats", "expected an object")
    known_stats = {k: raw_stats[k] for k in _STATS_KEYS if k in raw_stats}
    extra = {k: v for k, v in raw_stats.items() if k not in _STATS_KEYS}
    for key in ("scheduled", "scheduled_weight", "shortfall", "holes", "moved"):
        if key in known_stats:
            _int(known_stats[key], f"stats.{key}")
    stats = Stats(**known_stats, extra=extra)
    return Solution(status, tuple(assignments), tuple(unscheduled), stats)


def solution_to_dict(solution: Solution) -> dict:
    return {
        "format": SOLUTION_FORMAT,
        "status": solution.status.value,
        "assignments": [_assignment_dict(a) for a in solution.assignments],
        "unscheduled": list(solution.unscheduled),
        "stats": solution.stats.to_dict(),
    }


# ---------------------------------------------------------------- files

def _read_json(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError("", f"cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError("", f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def load_problem(path: str | Path) -> Problem:
    return problem_from_dict(_read_json(path))


def load_solution(path: str | Path, problem: Problem | None = None) -> Solution:
    return solution_from_dict(_read_json(path), problem)


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
