"""The schedule board: the grid of a version (tables × slots per session), manual moves
and placements checked with the solver's own rules (`solver.validate`), and locks.

A move is refused when the changed schedule breaks a hard rule that the schedule did not
break before; the refusal names the rule in the organiser's language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.errors import ServiceError
from planner.events.services import event_sessions
from planner.extensions import db
from planner.models import (
    Event,
    EventSession,
    Firm,
    Interpreter,
    Meeting,
    MeetingRequest,
    MeetingTable,
    Participant,
    ScheduleVersion,
    Slot,
)
from planner.models.enums import VersionStatus
from planner.scheduling.drafts import meeting_people, refresh_figures
from planner.scheduling.explain import ordered_languages, person_languages, side_languages, unscheduled_label
from planner.scheduling.interpreters import pick_interpreter
from planner.scheduling.translate import build_problem, iid, mid, row_id, sid, tid, version_assignments
from planner.text.i18n import _, current_locale, format_clock, format_day
from solver import Assignment
from solver.validate import Violation, check


class MoveRefused(ServiceError):
    """The change breaks a scheduling rule; `message` says which."""


@dataclass
class Cell:
    slot: Slot
    table: MeetingTable
    meeting: Meeting | None = None


@dataclass
class SessionGrid:
    session: EventSession
    slots: list[Slot]
    rows: list[tuple[MeetingTable, list[Cell]]] = field(default_factory=list)
    hidden: int = 0  # tables left out because nothing happens at them in this session


def board_grid(version: ScheduleVersion, *, all_tables: bool = False, sessions: list[EventSession] | None = None,
               meetings: list[Meeting] | None = None, tables: list[MeetingTable] | None = None) -> list[SessionGrid]:
    """Per session (every session of the event, or `sessions`), one row per table and one
    cell per slot, holding `meetings` (the version's by default). Unless `all_tables`, only the
    tables that hold a meeting in the session are shown, plus one free table to drop a
    meeting on (a non-host table when there is one)."""
    event = version.event
    tables = list(event.tables) if tables is None else tables
    placed = {(m.slot_id, m.table_id): m for m in (version.live_meetings if meetings is None else meetings)}
    order = {t.id: n for n, t in enumerate(tables)}
    grids = []
    for session in event_sessions(event) if sessions is None else sessions:
        grid = SessionGrid(session, list(session.slots))
        slot_ids = {slot.id for slot in session.slots}
        used = {table_id for slot_id, table_id in placed if slot_id in slot_ids}
        shown = [t for t in tables if all_tables or t.id in used]
        if not all_tables:
            spare = sorted((t for t in tables if t.id not in used), key=lambda t: t.host_firm_id is not None)
            shown += spare[:1]
            shown.sort(key=lambda t: order[t.id])
        grid.hidden = len(tables) - len(shown)
        for table in shown:
            grid.rows.append((table, [Cell(slot, table, placed.get((slot.id, table.id))) for slot in session.slots]))
        grids.append(grid)
    return grids


@dataclass
class Side:
    """One firm of a meeting and its people who attend it: their languages decide whether
    the meeting needs an interpreter."""

    firm: Firm
    people: list[Participant]

    @property
    def languages(self) -> list[str]:
        return side_languages(self.people)

    def people_languages(self) -> list[tuple[Participant, list[str]]]:
        return [(p, ordered_languages(person_languages(p))) for p in self.people]


def meeting_sides(request: MeetingRequest, people) -> list[Side]:
    firms = (request.requester_firm, request.target_firm)
    return [Side(firm, [p for p in people if p.firm_id == firm.id]) for firm in firms]


def unscheduled_sides(items, requests: dict[int, MeetingRequest]) -> dict[int, list[Side]]:
    """Request id -> its two sides, with the people the scheduler counted (stored with the
    version), or every person of the firm for versions stored before that was kept."""
    ids = {i for item in items for i in item.get("people", [])}
    known = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(ids)))} if ids else {}
    out = {}
    for item in items:
        request = requests.get(item["request_id"])
        if request is None:
            continue
        people = [known[i] for i in item.get("people", []) if i in known]
        if not people:
            people = list(request.requester_firm.participants) + list(request.target_firm.participants)
        out[request.id] = meeting_sides(request, people)
    return out


def _slot_text(slot_id: str, event: Event) -> str:
    slot = db.session.get(Slot, row_id(slot_id))
    if slot is None:
        return slot_id

    local = slot.start_dt.astimezone(ZoneInfo(event.timezone))
    return f"{format_day(local.date(), current_locale(), 'medium')} {format_clock(slot.start_dt, event.timezone)}"


def _person_text(participant_id: str) -> str:
    person = db.session.get(Participant, row_id(participant_id))
    if person is None:
        return participant_id
    locale = current_locale()
    return f"{person.display_name(locale)} ({person.firm.display_name(locale)})"


def _table_text(table_id: str) -> str:
    table = db.session.get(MeetingTable, row_id(table_id))
    return table.name if table else table_id


def _interpreter_text(interpreter_id: str) -> str:
    interpreter = db.session.get(Interpreter, row_id(interpreter_id))
    if interpreter is None:
        return interpreter_id
    return interpreter.name if current_locale() == "fa" else (interpreter.name_latin or interpreter.name)


def violation_message(violation: Violation, event: Event) -> str:
    """A rule broken by a schedule, in the reader's language, naming people, tables and times."""
    slot = _slot_text(violation.slots[0], event) if violation.slots else ""
    person = _person_text(violation.participants[0]) if violation.participants else ""
    table = _table_text(violation.tables[-1]) if violation.tables else ""
    interpreter = _interpreter_text(violation.interpreters[0]) if violation.interpreters else ""
    code = violation.code
    if code == "table_double_booked":
        return _("Table %(table)s is already taken at %(time)s.", table=table, time=slot)
    if code == "participant_double_booked":
        return _("%(person)s already has a meeting at %(time)s.", person=person, time=slot)
    if code == "participant_unavailable":
        return _("%(person)s is not available at %(time)s.", person=person, time=slot)
    if code == "host_table_violated":
        return _("%(person)s meets only at their own stand, %(table)s.", person=person, table=table)
    if code == "interpreter_missing":
        return _("The two firms share no language and no suitable interpreter is free at %(time)s.", time=slot)
    if code == "interpreter_unqualified":
        return _("%(interpreter)s does not speak the languages of both firms.", interpreter=interpreter)
    if code == "interpreter_double_booked":
        return _("%(interpreter)s is already interpreting at %(time)s.", interpreter=interpreter, time=slot)
    if code == "interpreter_unavailable":
        return _("%(interpreter)s is not available at %(time)s.", interpreter=interpreter, time=slot)
    if code == "table_reserved":
        return _("Table %(table)s is a firm's own stand; only that firm's meetings take place there.", table=table)
    if code in ("fixed_slot_moved", "fixed_table_moved"):
        return _("The meeting is locked; unlock it first.")
    if code == "max_meetings_exceeded":
        return _("%(person)s would have more meetings than the event allows.", person=person)
    if code == "required_unscheduled":
        return _("A must-meet request would be left out.")
    return _("The change breaks a scheduling rule (%(code)s).", code=code)


def _key(violation: Violation) -> tuple:
    return (violation.code, violation.meetings, violation.participants, violation.slots, violation.tables,
            violation.interpreters)


def _apply(version: ScheduleVersion, key: str, slot: Slot, table: MeetingTable,
           interpreter: Interpreter | None, expected_lock: int | None):
    """Check the schedule with meeting `key` at (slot, table); returns (interpreter id to use, translation)."""
    if version.status != VersionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be changed; make an editable copy first."))
    if expected_lock is not None and version.lock_version != expected_lock:
        raise ServiceError(_("This draft was changed in the meantime. Reload the page to see the changes."))
    event = version.event
    if slot.session.event_id != event.id or table.event_id != event.id:
        raise ServiceError(_("The slot or the table belongs to another event."))
    translation = build_problem(event, with_fixed=False)
    problem = translation.problem
    if key not in {m.id for m in problem.meetings}:
        left_out = next((entry["reason"] for entry in translation.skipped if mid(entry["request_id"]) == key), None)
        if left_out is not None:
            raise MoveRefused(_("This meeting cannot be scheduled: %(reason)s.", reason=unscheduled_label(left_out)))
        raise MoveRefused(_("This meeting request is no longer accepted; it cannot be scheduled."))
    if sid(slot.id) not in {s.id for s in problem.slots}:
        raise MoveRefused(_("This day is blocked (holiday, Friday or closure)."))
    if table.host_firm_id is not None and table.host_firm_id not in translation.firm_of_meeting[key]:
        raise MoveRefused(_("Table %(table)s is the stand of %(firm)s; only its own meetings take place there.",
                            table=table.name, firm=table.host_firm.display_name(current_locale())))
    current = [a for a in version_assignments(version) if a.meeting in {m.id for m in problem.meetings}]
    before = {_key(v) for v in check(problem, current).violations}
    others = [a for a in current if a.meeting != key]
    old = next((a for a in current if a.meeting == key), None)
    if interpreter is not None:
        chosen = iid(interpreter.id)
    else:
        chosen = pick_interpreter(problem, others, key, sid(slot.id), old.interpreter if old else None)
    after = check(problem, others + [Assignment(key, sid(slot.id), tid(table.id), chosen)])
    new = [v for v in after.violations if _key(v) not in before and v.code != "required_unscheduled"]
    if new:
        raise MoveRefused(violation_message(new[0], event))
    return chosen, translation


def move_meeting(meeting: Meeting, slot: Slot, table: MeetingTable, *, interpreter: Interpreter | None = None,
                 expected_lock: int | None = None) -> Meeting:
    """Move a meeting of a draft to (slot, table) if every rule still holds; else MoveRefused."""
    if meeting.locked:
        raise MoveRefused(_("The meeting is locked; unlock it first."))
    version = meeting.version
    key = mid(meeting.request_id)
    chosen, translation = _apply(version, key, slot, table, interpreter, expected_lock)
    # set through the relationships, so that `meeting.slot` read later in this session is the new one
    meeting.slot, meeting.table = slot, table
    meeting.participants = meeting_people(translation, key, sid(slot.id))
    meeting.interpreter = db.session.get(Interpreter, row_id(chosen)) if chosen else None
    version.lock_version += 1
    db.session.flush()
    refresh_figures(version)
    db.session.flush()
    return meeting


def place_request(version: ScheduleVersion, request: MeetingRequest, slot: Slot, table: MeetingTable, *,
                  expected_lock: int | None = None) -> Meeting:
    """Schedule an unscheduled accepted request by hand at (slot, table)."""
    if any(m.request_id == request.id for m in version.meetings):
        raise ServiceError(_("This meeting is already scheduled; move it instead."))
    key = mid(request.id)
    chosen, translation = _apply(version, key, slot, table, None, expected_lock)
    meeting = Meeting(request_id=request.id, slot_id=slot.id, table_id=table.id,
                      interpreter_id=row_id(chosen) if chosen else None, sequence=max(0, request.ical_sequence))
    meeting.participants = meeting_people(translation, key, sid(slot.id))
    version.meetings.append(meeting)
    version.lock_version += 1
    db.session.flush()
    refresh_figures(version)
    db.session.flush()
    return meeting


def unschedule_meeting(meeting: Meeting, *, expected_lock: int | None = None) -> None:
    """Take a meeting out of a draft (it goes to the unscheduled list)."""
    version = meeting.version
    if version.status != VersionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be changed; make an editable copy first."))
    if meeting.locked:
        raise MoveRefused(_("The meeting is locked; unlock it first."))
    if expected_lock is not None and version.lock_version != expected_lock:
        raise ServiceError(_("This draft was changed in the meantime. Reload the page to see the changes."))
    version.meetings.remove(meeting)
    version.lock_version += 1
    db.session.flush()
    refresh_figures(version)
    db.session.flush()


def set_locked(meeting: Meeting, locked: bool) -> None:
    """Lock a meeting in place: re-running the scheduler keeps it where it is."""
    if meeting.version.status != VersionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be changed; make an editable copy first."))
    meeting.locked = locked
    meeting.version.lock_version += 1
    db.session.flush()
