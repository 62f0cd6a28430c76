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
from planner.paging import PER_PAGE, Page, paginate
from planner.scheduling.board import SessionGrid, Side, board_grid, meeting_sides, unscheduled_sides
from planner.scheduling.versions import firms_by_id, requests_by_id
from planner.text.labels import language_list
from planner.text.scripts import interpreter_name, name_key
from planner.text.search import fold, matches_all, query_words

# Up to this many meetings the board shows every day at once; above it, one day at a time.
ALL_DAYS_MAX = 300
# The move form lists at most this many meetings; more are found by searching a firm's name.
MOVE_LIST_MAX = 60


@dataclass(frozen=True)
class FirmLine:
    """One firm of a meeting as the board prints it: its name, the languages its attending
    people all speak ("FA·EN", "—" when none), and each person's languages for the tooltip."""

    name: str
    languages: str
    tooltip: str


@dataclass(frozen=True)
class Card:
    """What a meeting's cell shows, worked out once in Python rather than per cell in the template."""

    sides: tuple[FirmLine, ...]
    interpreter: str | None
    must: bool


@dataclass
class BoardView:
    days: list[date]
    day: date | None  # None: every day
    grids: list[SessionGrid]
    movable: list[Meeting]
    movable_total: int  # movable meetings in view before the search and the cap
    people: list[Participant]
    highlighted: set[int] = field(default_factory=set)
    cards: dict[int, Card] = field(default_factory=dict)  # meeting id -> its cell
    people_labels: list[tuple[int, str]] = field(default_factory=list)  # the person filter's options
    scheduled: int = 0  # the version's live meetings, every day


@dataclass
class LeftOut:
    """A page of the version's unscheduled requests (with their sides, as the scheduler counted
    the people) and a page of its firms without a meeting; each list pages on its own."""

    unscheduled: Page[dict]
    requests: dict[int, MeetingRequest]
    sides: dict[int, list[Side]]
    zero: Page[dict]
    firms: dict[int, Firm]


def left_out(version: ScheduleVersion, unscheduled_page: int | None, zero_page: int | None) -> LeftOut:
    """The `unscheduled_page`-th page of the unscheduled list and the `zero_page`-th of the firms
    without a meeting (PER_PAGE rows each), loading the requests, people and firms of those rows only."""
    unscheduled = paginate(version.unscheduled or [], unscheduled_page, PER_PAGE)
    requests = requests_by_id(item["request_id"] for item in unscheduled.items)
    zero = paginate((version.stats or {}).get("zero_firms", []), zero_page, PER_PAGE)
    return LeftOut(unscheduled, requests, unscheduled_sides(unscheduled.items, requests), zero,
                   firms_by_id(item["firm_id"] for item in zero.items))


def session_day(session: EventSession, zone: str) -> date:
    return session.start_dt.astimezone(ZoneInfo(zone)).date()


def board_days(version: ScheduleVersion) -> list[date]:
    """The days of the round that have sessions, in order."""
    zone = version.event.timezone
    return sorted({session_day(s, zone) for s in event_sessions(version.event)})


def _meeting_options():
    # what a cell names: both firms (with the region that decides their script) and the
    # meeting's own people; not the firms' other people, which would load every participant
    firm = (selectinload(Firm.region),)
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


def meeting_cards(meetings: list[Meeting], locale: str) -> dict[int, Card]:
    """Meeting id -> its cell's text in `locale` (the meetings loaded by `meetings_at`)."""
    separator = "؛ " if locale == "fa" else "; "
    cards: dict[int, Card] = {}
    names: dict[tuple[str, ...], str] = {}  # languages -> their names: a few combinations, many people

    def languages(codes: list[str]) -> str:
        key = tuple(codes)
        if key not in names:
            names[key] = language_list(codes, locale)
        return names[key]

    for meeting in meetings:
        lines = []
        for side in meeting_sides(meeting.request, meeting.participants):
            tooltip = separator.join(f"{person.display_name(locale)}: {languages(codes)}"
                                     for person, codes in side.people_languages())
            lines.append(FirmLine(side.firm.display_name(locale), "·".join(code.upper() for code in side.languages) or "—",
                                  tooltip))
        interpreter = interpreter_name(meeting.interpreter, locale) if meeting.interpreter is not None else None
        cards[meeting.id] = Card(tuple(lines), interpreter, meeting.request.priority == "must")
    return cards


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
    count = db.session.scalar(select(db.func.count(Meeting.id))
                              .where(Meeting.version_id == version.id, Meeting.cancelled_at.is_(None)))
    if day is None and not all_days and days:
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
    labels = [(p.id, f"{p.firm.display_name(locale)} — {p.display_name(locale)}") for p in people]
    return BoardView(days, day, grids, movable, total, people, highlighted, meeting_cards(meetings, locale), labels,
                     scheduled=count)
