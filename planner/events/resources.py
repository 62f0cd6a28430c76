"""A round's tables (hall tables and firms' own stands) and interpreters. Functions flush; the
caller commits."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, EventSession, Firm, Interpreter, Meeting, MeetingTable, delegation_interpreters
from planner.signals import facts_changed
from planner.text.i18n import _


def add_tables(event: Event, count: int, prefix: str = "T") -> list[MeetingTable]:
    """`count` more hall tables named T01, T02, … after the existing ones."""
    if not 1 <= count <= 500:
        raise ServiceError(_("Add between 1 and 500 tables."), "count")
    names = {table.name for table in event.tables}
    position = max((table.position for table in event.tables), default=0)
    created, number = [], 0
    while len(created) < count:
        number += 1
        name = f"{prefix}{number:02d}"
        if name in names:
            continue
        position += 1
        table = MeetingTable(name=name, position=position)
        event.tables.append(table)
        created.append(table)
    db.session.flush()
    return created


def add_table(event: Event, name: str, host_firm: Firm | None = None, hall: str | None = None) -> MeetingTable:
    """A named table; with `host_firm` it is that firm's stand, where all its meetings take place."""
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the table a name."), "name")
    if any(table.name == name for table in event.tables):
        raise ServiceError(_("Another table already has this name."), "name")
    if host_firm is not None and any(table.host_firm_id == host_firm.id for table in event.tables):
        raise ServiceError(_("This firm already has a host table."), "host_firm")
    position = max((table.position for table in event.tables), default=0) + 1
    table = MeetingTable(name=name, position=position, hall=hall or None, host_firm=host_firm)
    event.tables.append(table)
    db.session.flush()
    return table


def delete_table(table: MeetingTable) -> None:
    if db.session.scalar(select(func.count(Meeting.id)).where(Meeting.table_id == table.id)):
        raise ServiceError(_("Meetings are scheduled at this table; it cannot be deleted."))
    table.event.tables.remove(table)
    db.session.flush()


def add_interpreter(event: Event, name: str, languages: list[str], *, name_latin: str | None = None,
                    email: str | None = None, unavailable_sessions: list[EventSession] = ()) -> Interpreter:
    if len(set(languages)) < 2:
        raise ServiceError(_("An interpreter speaks at least two languages."), "languages")
    interpreter = Interpreter(name=name.strip(), name_latin=name_latin or None, email=email or None,
                              languages=sorted(set(languages)))
    event.interpreters.append(interpreter)
    db.session.add(interpreter)
    set_interpreter_unavailable(interpreter, unavailable_sessions)
    return interpreter


def set_interpreter_unavailable(interpreter: Interpreter, sessions: list[EventSession]) -> None:
    """The interpreter is unavailable in every slot of `sessions` and available elsewhere."""
    interpreter.unavailable_slots = [slot for session in sessions for slot in session.slots]
    db.session.flush()
    facts_changed(interpreter.event_id)


def delete_interpreter(interpreter: Interpreter) -> None:
    if db.session.scalar(select(func.count(Meeting.id)).where(Meeting.interpreter_id == interpreter.id)):
        raise ServiceError(_("This interpreter is assigned to meetings; they cannot be removed."))
    # the delegations' links go too, also where the database does not cascade (SQLite)
    db.session.execute(delete(delegation_interpreters).where(delegation_interpreters.c.interpreter_id == interpreter.id))
    interpreter.event.interpreters.remove(interpreter)
    db.session.flush()
