"""Factories for scheduling tests: a small event ready to solve (kept apart from
tests/factories.py so parallel edits there cannot drop it)."""
from __future__ import annotations

from datetime import date, time

from planner.extensions import db
from tests.factories import event_slots, make_event, make_firm
from tests.factories import make_meeting_request as make_request


def make_round(*, days: int = 2, slots_per_session: int = 4, tables: int = 3, interpreters: int = 1, **fields) -> dict:
    """A small event ready to solve: `days` morning sessions from Sunday 2026-11-08, two
    Iranian and two Chelyabinsk firms, a fa/ru interpreter and four accepted requests
    (two must-meets). Firms: ir1 (fa, en), ir2 (fa), ru1 (ru, en), ru2 (ru)."""
    from datetime import datetime, timedelta

    from planner.models import Interpreter

    end_clock = (datetime.combine(date(2026, 11, 8), time(9)) + timedelta(minutes=30 * slots_per_session - 5)).time()
    event = make_event(start=date(2026, 11, 8), end=date(2026, 11, 8) + timedelta(days=days - 1),
                       sessions=tuple((d, time(9), end_clock) for d in range(days)), tables=tables, **fields)
    for n in range(interpreters):
        event.interpreters.append(Interpreter(name=f"مترجم {n + 1}", name_latin=f"Interpreter {n + 1}",
                                              languages=["fa", "ru"]))
    firms = {
        "ir1": make_firm("khorasan-razavi", languages=["fa", "en"], name_latin="Toos Steel"),
        "ir2": make_firm("khorasan-razavi", languages=["fa"], name_latin="Sahand Saffron"),
        "ru1": make_firm("chelyabinsk", languages=["ru", "en"], name_latin="Ural Pipes"),
        "ru2": make_firm("chelyabinsk", languages=["ru"], name_latin="Zlatoust Tools"),
    }
    from planner.events.services import register_firms

    register_firms(event, list(firms.values()))
    requests = {}
    for key, (a, b, priority) in {"ir1-ru1": ("ir1", "ru1", "must"), "ir2-ru2": ("ir2", "ru2", "would_like"),
                                  "ir1-ru2": ("ir1", "ru2", "would_like"), "ir2-ru1": ("ru1", "ir2", "must")}.items():
        request = make_request(event, firms[a], firms[b])
        request.priority = priority
        requests[key] = request
    db.session.flush()
    return {"event": event, "firms": firms, "requests": requests, "slots": event_slots(event), "tables": list(event.tables),
            "interpreters": list(event.interpreters)}


def free_cell(r: dict, version, avoid_people=(), interpreter: bool = False, latest: bool = False):
    """A (slot, table) of `version` where neither the table nor any of `avoid_people` (nor,
    with `interpreter`, the interpreter) is busy; the latest such slot with `latest`."""
    busy_tables = {(m.slot_id, m.table_id) for m in version.meetings}
    busy_people = {(m.slot_id, p.id) for m in version.meetings for p in m.participants}
    interpreted = {m.slot_id for m in version.meetings if m.interpreter_id}
    slots = list(reversed(r["slots"])) if latest else r["slots"]
    for slot in slots:
        if any((slot.id, p.id) in busy_people for p in avoid_people) or (interpreter and slot.id in interpreted):
            continue
        for table in reversed(r["tables"]) if latest else r["tables"]:
            if (slot.id, table.id) not in busy_tables:
                return slot, table
    raise AssertionError("no free cell")
