"""Undo for deletions on a round's setup page: sessions (with their slots), tables (hall tables
and firms' stands), interpreters and closures.

Every deletion made through `delete_with_undo` first records what it removes in a
`DeletedSetupItem`: the rows with their ids, and their links (an interpreter's languages, the
slots it is unavailable in and the delegations it travels with; the interpreters unavailable in
a deleted session's slots). `undo` puts those rows back with the same ids, so every link to them
holds again. Functions flush; the view commits.

When undo is refused (the one rule, `refusal`):
- it was undone already, or it is older than `UNDO_WINDOW` (the offer is for the mistake just
  made, not a history to replay);
- the scheduler ran, or a version was published, for the round after the deletion: that run
  planned around the gap, and putting the row back would not put back what it decided;
- the gap is filled: another session overlaps the time, another table has the name (or the
  firm has another stand), the same closure was entered again, the day is no longer one of the
  round's, or the slot length changed (the session's slots would no longer be the round's cut).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from planner.errors import ServiceError
from planner.events import resources
from planner.events import services as setup
from planner.extensions import db
from planner.models import (
    Closure,
    Delegation,
    DeletedSetupItem,
    Event,
    EventSession,
    Interpreter,
    MeetingTable,
    ScheduleVersion,
    Slot,
    SolveJob,
    delegation_interpreters,
)
from planner.models.base import utcnow
from planner.models.enums import DeletedKind
from planner.models.events import interpreter_unavailable
from planner.signals import facts_changed
from planner.text.i18n import _, current_locale, format_clock, format_day

UNDO_WINDOW = timedelta(hours=1)
OFFERS_SHOWN = 3


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- what a deletion removes, as JSON ------------------------------------------------------

def _session_payload(session: EventSession) -> dict:
    slots = list(session.slots)
    links = db.session.execute(select(interpreter_unavailable.c.interpreter_id, interpreter_unavailable.c.slot_id)
                               .where(interpreter_unavailable.c.slot_id.in_([s.id for s in slots]))).all()
    event = session.event
    return {"id": session.id, "name": session.name, "start": _stamp(session.start_dt), "end": _stamp(session.end_dt),
            "slot_minutes": event.slot_minutes, "break_minutes": event.break_minutes,
            "slots": [{"id": s.id, "start": _stamp(s.start_dt), "end": _stamp(s.end_dt)} for s in slots],
            "unavailable": [[interpreter_id, slot_id] for interpreter_id, slot_id in links]}


def _table_payload(table: MeetingTable) -> dict:
    return {"id": table.id, "name": table.name, "position": table.position, "hall": table.hall,
            "host_firm_id": table.host_firm_id}


def _interpreter_payload(interpreter: Interpreter) -> dict:
    delegations = db.session.scalars(select(delegation_interpreters.c.delegation_id)
                                     .where(delegation_interpreters.c.interpreter_id == interpreter.id)).all()
    return {"id": interpreter.id, "name": interpreter.name, "name_latin": interpreter.name_latin,
            "email": interpreter.email, "languages": list(interpreter.languages or []),
            "unavailable_slots": [slot.id for slot in interpreter.unavailable_slots],
            "delegations": list(delegations)}


def _closure_payload(closure: Closure) -> dict:
    return {"id": closure.id, "day": closure.day.isoformat(), "reason": closure.reason, "region_key": closure.region_key}


# --- deleting ------------------------------------------------------------------------------

def delete_with_undo(event: Event, kind: str, row, user_id: int | None = None) -> DeletedSetupItem:
    """Delete `row` (a session, table, interpreter or closure of `event`) through its own
    service, which refuses (ServiceError) while meetings use it, and keep it for undo."""
    payloads = {DeletedKind.SESSION: _session_payload, DeletedKind.TABLE: _table_payload,
                DeletedKind.INTERPRETER: _interpreter_payload, DeletedKind.CLOSURE: _closure_payload}
    deleters = {DeletedKind.SESSION: setup.delete_session, DeletedKind.TABLE: resources.delete_table,
                DeletedKind.INTERPRETER: resources.delete_interpreter, DeletedKind.CLOSURE: setup.delete_closure}
    payload = payloads[kind](row)
    deleters[kind](row)
    item = DeletedSetupItem(event_id=event.id, kind=kind, payload=payload, deleted_by_id=user_id)
    db.session.add(item)
    db.session.flush()
    return item


# --- may it be undone? ---------------------------------------------------------------------

def _planned_since(item: DeletedSetupItem) -> bool:
    """A scheduler run started, or a version was made or published, after the deletion."""
    runs = select(func.count(SolveJob.id)).where(SolveJob.event_id == item.event_id, SolveJob.created_at > item.deleted_at)
    versions = select(func.count(ScheduleVersion.id)).where(
        ScheduleVersion.event_id == item.event_id,
        (ScheduleVersion.created_at > item.deleted_at) | (ScheduleVersion.published_at > item.deleted_at))
    return bool(db.session.scalar(runs) or db.session.scalar(versions))


def _gap_filled(item: DeletedSetupItem, event: Event) -> str | None:
    data = item.payload
    if item.kind == DeletedKind.SESSION:
        start, end = _moment(data["start"]), _moment(data["end"])
        if start.astimezone(ZoneInfo(event.timezone)).date() not in event.days:
            return _("The day of this session is no longer one of the round's days.")
        if (data["slot_minutes"], data["break_minutes"]) != (event.slot_minutes, event.break_minutes):
            return _("The slot length has changed since; add the session again instead.")
        if any(other.start_dt < end and start < other.end_dt for other in setup.event_sessions(event)):
            return _("Another session now takes this time.")
    elif item.kind == DeletedKind.TABLE:
        if any(table.name == data["name"] for table in event.tables):
            return _("Another table now has this name.")
        if data["host_firm_id"] is not None and any(t.host_firm_id == data["host_firm_id"] for t in event.tables):
            return _("This firm has another host table now.")
    elif item.kind == DeletedKind.CLOSURE:
        same = select(func.count(Closure.id)).where(Closure.day == date.fromisoformat(data["day"]),
                                                    Closure.region_key.is_(None) if data["region_key"] is None
                                                    else Closure.region_key == data["region_key"])
        if db.session.scalar(same):
            return _("This day has been closed again in the meantime.")
    return None


def refusal(item: DeletedSetupItem, now: datetime | None = None) -> str | None:
    """Why `item` can no longer be undone, translated; None when it can (see the module)."""
    if item.restored_at is not None:
        return _("This deletion has already been undone.")
    if (now or utcnow()) - item.deleted_at > UNDO_WINDOW:
        return _("This deletion is too old to undo; add the item again instead.")
    if _planned_since(item):
        return _("The scheduler has run since this deletion and planned without it; add the item again instead.")
    return _gap_filled(item, db.session.get(Event, item.event_id))


# --- undoing -------------------------------------------------------------------------------

def _restore_session(event: Event, data: dict) -> None:
    db.session.execute(insert(EventSession).values(id=data["id"], event_id=event.id, name=data["name"],
                                                   start_dt=_moment(data["start"]), end_dt=_moment(data["end"])))
    if data["slots"]:
        db.session.execute(insert(Slot), [{"id": s["id"], "session_id": data["id"], "start_dt": _moment(s["start"]),
                                           "end_dt": _moment(s["end"])} for s in data["slots"]])
    interpreters = {i.id for i in event.interpreters}
    links = [{"interpreter_id": i, "slot_id": s} for i, s in data["unavailable"] if i in interpreters]
    if links:
        db.session.execute(insert(interpreter_unavailable), links)


def _restore_table(event: Event, data: dict) -> None:
    db.session.execute(insert(MeetingTable).values(id=data["id"], event_id=event.id, name=data["name"],
                                                   position=data["position"], hall=data["hall"],
                                                   host_firm_id=data["host_firm_id"]))


def _restore_interpreter(event: Event, data: dict) -> None:
    db.session.execute(insert(Interpreter).values(id=data["id"], event_id=event.id, name=data["name"],
                                                  name_latin=data["name_latin"], email=data["email"],
                                                  languages=data["languages"]))
    slots = db.session.scalars(select(Slot.id).where(Slot.id.in_(data["unavailable_slots"]), Slot.retired_at.is_(None))).all()
    if slots:
        db.session.execute(insert(interpreter_unavailable), [{"interpreter_id": data["id"], "slot_id": s} for s in slots])
    delegations = db.session.scalars(select(Delegation.id).where(Delegation.id.in_(data["delegations"]))).all()
    if delegations:
        db.session.execute(insert(delegation_interpreters),
                           [{"delegation_id": d, "interpreter_id": data["id"]} for d in delegations])


def _restore_closure(_event: Event, data: dict) -> None:
    db.session.execute(insert(Closure).values(id=data["id"], day=date.fromisoformat(data["day"]), reason=data["reason"],
                                              region_key=data["region_key"]))


def undo(item: DeletedSetupItem) -> DeletedSetupItem:
    """Put back what `item` deleted, with the same ids and links; ServiceError (translated)
    when it can no longer be undone. Two undos of one deletion at once restore it once."""
    reason = refusal(item)
    if reason:
        raise ServiceError(reason)
    claimed = db.session.execute(update(DeletedSetupItem).where(DeletedSetupItem.id == item.id,
                                                                DeletedSetupItem.restored_at.is_(None))
                                 .values(restored_at=utcnow())).rowcount
    if not claimed:
        raise ServiceError(_("This deletion has already been undone."))
    event = db.session.get(Event, item.event_id)
    restore = {DeletedKind.SESSION: _restore_session, DeletedKind.TABLE: _restore_table,
               DeletedKind.INTERPRETER: _restore_interpreter, DeletedKind.CLOSURE: _restore_closure}[item.kind]
    restore(event, item.payload)
    db.session.flush()
    db.session.expire_all()  # the event's collections load the restored rows
    facts_changed(None if item.kind == DeletedKind.CLOSURE else event.id)  # a closure or unavailability is back
    return db.session.get(DeletedSetupItem, item.id)


# --- what the setup page offers ------------------------------------------------------------

@dataclass(frozen=True)
class UndoOffer:
    """An undoable deletion as the setup page shows it."""

    item: DeletedSetupItem
    text: str  # "Table “T03” deleted." in the reader's language


def describe(item: DeletedSetupItem, event: Event, *, restored: bool = False) -> str:
    """What was deleted (or, `restored`, what is back), in one translated sentence."""
    data, locale = item.payload, current_locale()
    if item.kind == DeletedKind.SESSION:
        start, end = _moment(data["start"]), _moment(data["end"])
        values = {"day": format_day(start.astimezone(ZoneInfo(event.timezone)).date(), locale, "medium"),
                  "start": format_clock(start, event.timezone), "end": format_clock(end, event.timezone)}
        return (_("The session of %(day)s, %(start)s–%(end)s, is back with its slots.", **values) if restored
                else _("Session of %(day)s, %(start)s–%(end)s deleted.", **values))
    if item.kind == DeletedKind.TABLE:
        return (_("Table “%(name)s” is back.", name=data["name"]) if restored
                else _("Table “%(name)s” deleted.", name=data["name"]))
    if item.kind == DeletedKind.INTERPRETER:
        return (_("Interpreter %(name)s is back, with their languages and availability.", name=data["name"]) if restored
                else _("Interpreter %(name)s removed.", name=data["name"]))
    day = format_day(date.fromisoformat(data["day"]), locale, "medium")
    return _("The closure of %(day)s is back.", day=day) if restored else _("Closure of %(day)s deleted.", day=day)


def offers(event: Event, user_id: int | None) -> list[UndoOffer]:
    """The user's latest deletions in this round that can still be undone, newest first."""
    now = utcnow()
    items = db.session.scalars(select(DeletedSetupItem).where(
        DeletedSetupItem.event_id == event.id, DeletedSetupItem.deleted_by_id == user_id,
        DeletedSetupItem.restored_at.is_(None), DeletedSetupItem.deleted_at > now - UNDO_WINDOW)
        .order_by(DeletedSetupItem.id.desc()).limit(OFFERS_SHOWN)).all()
    return [UndoOffer(item, describe(item, event)) for item in items if refusal(item, now) is None]
