"""What the board page reads, loaded up front and bounded by what it shows: the grids of one
day (or of every day while the round is small), the meetings on them with firms, people,
tables and interpreters in a fixed number of queries, and the movable meetings found by a
search instead of listed in full once the round is large.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select, true
from sqlalchemy.orm import aliased, load_only, selectinload

from planner.events.services import event_sessions
from planner.extensions import db
from planner.models import EventSession, Firm, Meeting, MeetingRequest, MeetingTable, Participant, ScheduleVersion, Slot
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
# The grid shows this many tables at a time (the rest on the next pages of the same day), so a
# day of a fair with hundreds of tables costs what one screen of it shows.
TABLES_PER_PAGE = 30


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
    tables_page: Page | None = None  # the tables shown (a page of them on a large round)


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
    # — and of those only the columns the board reads (a firm's description, a person's contacts
    # and JSON roles are not decoded for a thousand rows)
    firm = (load_only(Firm.name_native, Firm.name_latin, Firm.region_id, Firm.languages), selectinload(Firm.region))
    request = selectinload(Meeting.request).load_only(
        MeetingRequest.priority, MeetingRequest.requester_firm_id, MeetingRequest.target_firm_id, MeetingRequest.event_id)
    return (selectinload(Meeting.slot), selectinload(Meeting.table), selectinload(Meeting.interpreter),
            selectinload(Meeting.participants).load_only(
                Participant.firm_id, Participant.first_name, Participant.last_name, Participant.first_name_latin,
                Participant.last_name_latin, Participant.languages),
            request.selectinload(MeetingRequest.requester_firm).options(*firm),
            request.selectinload(MeetingRequest.target_firm).options(*firm))


def _live(version: ScheduleVersion, slot_ids: set[int] | None, table_ids: set[int] | None = None):
    """The WHERE of the version's live meetings in `slot_ids` and at `table_ids` (all when None)."""
    clauses = [Meeting.version_id == version.id, Meeting.cancelled_at.is_(None)]
    if slot_ids is not None:
        clauses.append(Meeting.slot_id.in_(slot_ids or {-1}))
    if table_ids is not None:
        clauses.append(Meeting.table_id.in_(table_ids or {-1}))
    return clauses


def meetings_at(version: ScheduleVersion, slot_ids: set[int] | None, table_ids: set[int] | None = None) -> list[Meeting]:
    """The version's meetings in `slot_ids` (every slot when None) and at `table_ids` (every
    table when None) with what the board shows."""
    query = select(Meeting).where(*_live(version, slot_ids, table_ids))
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


def find_movable(version: ScheduleVersion, slot_ids: set[int] | None, find: str, only: set[int] | None = None) -> list[int]:
    """Ids of the movable (unlocked) meetings in `slot_ids` (and among `only` when given) whose
    firms, people or table match every word of `find`, in time and table order, at most
    MOVE_LIST_MAX. Reads names as columns: a search over a whole day makes no objects."""
    words = query_words(find)
    requester, target = aliased(Firm), aliased(Firm)
    rows = db.session.execute(
        select(Meeting.id, Slot.start_dt, MeetingTable.name, requester.name_native, requester.name_latin,
               target.name_native, target.name_latin)
        .join(Slot, Slot.id == Meeting.slot_id).join(MeetingTable, MeetingTable.id == Meeting.table_id)
        .join(MeetingRequest, MeetingRequest.id == Meeting.request_id)
        .join(requester, requester.id == MeetingRequest.requester_firm_id).join(target, target.id == MeetingRequest.target_firm_id)
        .where(*_live(version, slot_ids), Meeting.locked.is_(False))).all()
    if only is not None:
        rows = [row for row in rows if row[0] in only]
    people: dict[int, list[str]] = {}
    for meeting_id, *names in db.session.execute(
            select(meeting_participants.c.meeting_id, Participant.first_name, Participant.last_name,
                   Participant.first_name_latin, Participant.last_name_latin)
            .join(Participant, Participant.id == meeting_participants.c.participant_id)
            .where(meeting_participants.c.meeting_id.in_([row[0] for row in rows] or [-1]))):
        people.setdefault(meeting_id, []).extend(name for name in names if name)
    found = [row for row in rows if matches_all(words, fold(" ".join(
        [name for name in row[2:] if name] + people.get(row[0], []))))]
    found.sort(key=lambda row: (row[1], row[2], row[0]))
    return [row[0] for row in found[:MOVE_LIST_MAX]]


def board_view(version: ScheduleVersion, *, day: date | None, all_days: bool = False, all_tables: bool = False,
               participant_id: int | None = None, find: str | None = None, locale: str = "en",
               tables_page_number: int | None = None) -> BoardView:
    """The board of `version` for one `day` (the first day when None and the round is large;
    every day when it is small or `all_days`), TABLES_PER_PAGE tables at a time (page
    `tables_page_number`; with a person chosen, the tables where they meet), with the person's
    meetings highlighted and the movable meetings of the page, or those of the whole day that
    match `find` (firm, person or table), capped at MOVE_LIST_MAX."""
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
    tables = list(db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event.id)
                                     .order_by(MeetingTable.position).options(selectinload(MeetingTable.host_firm))))
    highlighted = participant_meetings(version, participant_id) if participant_id else set()
    if participant_id:  # the person's tables, whichever page they are on
        theirs = set(db.session.scalars(select(Meeting.table_id).where(*_live(version, slot_ids), Meeting.id.in_(highlighted or {-1}))))
        tables_page = paginate([t for t in tables if t.id in theirs], 1, max(1, len(theirs)))
    else:
        tables_page = paginate(tables, tables_page_number, TABLES_PER_PAGE)
    meetings = meetings_at(version, slot_ids, {t.id for t in tables_page.items} if tables_page.pages > 1 or participant_id else None)
    movable_ids = {m.id for m in meetings if not m.locked and (not participant_id or m.id in highlighted)}
    total = db.session.scalar(select(db.func.count(Meeting.id)).where(*_live(version, slot_ids), Meeting.locked.is_(False))
                              .where(Meeting.id.in_(highlighted or {-1}) if participant_id else true()))
    if query_words(find):  # over the whole day, not only this page's tables
        found = find_movable(version, slot_ids, find, highlighted if participant_id else None)
        by_id = {m.id: m for m in meetings}
        missing = [i for i in found if i not in by_id]
        if missing:
            by_id.update({m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(missing))
                                                               .options(*_meeting_options()))})
        movable = [by_id[i] for i in found]
    else:
        movable = sorted((m for m in meetings if m.id in movable_ids), key=lambda m: (m.slot.start_dt, m.table.name, m.id))
        movable = movable[:MOVE_LIST_MAX]
    firm_keys: dict[int, tuple] = {}  # one collation key per firm, not per person
    people = sorted({p for m in meetings for p in m.participants},
                    key=lambda p: (firm_keys.setdefault(p.firm_id, name_key(p.firm, locale)), p.id))
    if participant_id and all(p.id != participant_id for p in people):
        chosen = db.session.get(Participant, participant_id)
        people += [chosen] if chosen is not None else []
    grids = board_grid(version, all_tables=all_tables, sessions=sessions, meetings=meetings, tables=tables_page.items)
    labels = [(p.id, f"{p.firm.display_name(locale)} — {p.display_name(locale)}") for p in people]
    return BoardView(days, day, grids, movable, total, people, highlighted, meeting_cards(meetings, locale), labels,
                     scheduled=count, tables_page=tables_page)
