"""What the board page reads, loaded up front and bounded by what it shows: the grids of one
day (or of every day while the round is small), the meetings on them with firms, people,
tables and interpreters in a fixed number of queries, and the movable meetings found by a
search instead of listed in full once the round is large.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.events.services import event_sessions
from planner.extensions import db
from planner.models import EventSession, Firm, Meeting, MeetingRequest, MeetingTable, Participant, ScheduleVersion
from planner.models.meetings import meeting_participants
from planner.scheduling.board import SessionGrid, board_grid
from planner.text.scripts import name_key
from planner.text.search import fold, matches_all, query_words

# Up to this many meetings the board shows every day at once; above it, one day at a time.
ALL_DAYS_MAX = 300
# The move form lists at most this many meetings; more are found by searching a firm's name.
MOVE_LIST_MAX = 60


@dataclass
class BoardView:
    days: list[date]
    day: date | None  # None: every day
    grids: list[SessionGrid]
    movable: list[Meeting]
    movable_total: int  # movable meetings in view before the search and the cap
    people: list[Participant]
    highlighted: set[int] = field(default_factory=set)


def session_day(session: EventSession, zone: str) -> date:
    return session.start_dt.astimezone(ZoneInfo(zone)).date()


def board_days(version: ScheduleVersion) -> list[date]:
    """The days of the round that have sessions, in order."""
    zone = version.event.timezone
    return sorted({session_day(s, zone) for s in event_sessions(version.event)})


def _meeting_options():
    firm = (selectinload(Firm.region), selectinload(Firm.participants))
    return (selectinload(Meeting.slot), selectinload(Meeting.table), selectinload(Meeting.interpreter),
            selectinload(Meeting.participants),
            selectinload(Meeting.request).selectinload(MeetingRequest.requester_firm).options(*firm),
            selectinload(Meeting.request).selectinload(MeetingRequest.target_firm).options(*firm))


def meetings_at(version: ScheduleVersion, slot_ids: set[int] | None) -> list[Meeting]:
    """The version's meetings in `slot_ids` (every slot when None) with what the board shows."""
    query = select(Meeting).where(Meeting.version_id == version.id, Meeting.cancelled_at.is_(None))
    if slot_ids is not None:
        query = query.where(Meeting.slot_id.in_(slot_ids or {-1}))
    return list(db.session.scalars(query.options(*_meeting_options())))


def participant_meetings(version: ScheduleVersion, participant_id: int) -> set[int]:
    """Ids of the version's meetings the person attends (one indexed query)."""
    return set(db.session.scalars(
        select(Meeting.id).join(meeting_participants, meeting_participants.c.meeting_id == Meeting.id)
        .where(Meeting.version_id == version.id, Meeting.cancelled_at.is_(None),
               meeting_participants.c.participant_id == participant_id)))


def _search(meetings: list[Meeting], find: str | None) -> list[Meeting]:
    words = query_words(find)
    if not words:
        return meetings
    found = []
    for meeting in meetings:
        firms = (meeting.request.requester_firm, meeting.request.target_firm)
        names = " ".join(filter(None, (text for firm in firms for text in (firm.name_native, firm.name_latin))))
        people = " ".join(f"{p.full_name} {p.full_name_latin}" for p in meeting.participants)
        if matches_all(words, fold(f"{names} {people} {meeting.table.name}")):
            found.append(meeting)
    return found


def board_view(version: ScheduleVersion, *, day: date | None, all_days: bool = False, all_tables: bool = False,
               participant_id: int | None = None, find: str | None = None, locale: str = "en") -> BoardView:
    """The board of `version` for one `day` (the first day when None and the round is large;
    every day when it is small or `all_days`), with the person's meetings highlighted and the
    movable meetings filtered by `find` (firm, person or table) and capped at MOVE_LIST_MAX."""
    event = version.event
    days = board_days(version)
    if day not in days:
        day = None
    if day is None and not all_days and days:
        count = db.session.scalar(select(db.func.count(Meeting.id)).where(Meeting.version_id == version.id))
        day = None if count <= ALL_DAYS_MAX else days[0]
    sessions = [s for s in event_sessions(event) if day is None or session_day(s, event.timezone) == day]
    slot_ids = {slot.id for s in sessions for slot in s.slots} if day is not None else None
    meetings = meetings_at(version, slot_ids)
    tables = list(db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event.id)
                                     .order_by(MeetingTable.position).options(selectinload(MeetingTable.host_firm))))
    highlighted = participant_meetings(version, participant_id) if participant_id else set()
    movable = [m for m in meetings if not m.locked and (not participant_id or m.id in highlighted)]
    movable.sort(key=lambda m: (m.slot.start_dt, m.table.name, m.id))
    total = len(movable)
    movable = _search(movable, find)[:MOVE_LIST_MAX]
    people = sorted({p for m in meetings for p in m.participants}, key=lambda p: (name_key(p.firm, locale), p.id))
    if participant_id and all(p.id != participant_id for p in people):
        chosen = db.session.get(Participant, participant_id)
        people += [chosen] if chosen is not None else []
    grids = board_grid(version, all_tables=all_tables, sessions=sessions, meetings=meetings, tables=tables)
    return BoardView(days, day, grids, movable, total, people, highlighted)
