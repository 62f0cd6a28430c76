"""The figures of a round and across rounds: registrations, requests, meetings, firms,
interpreters and feedback. Plain numbers and rows (codes, ids, dates); the page, the charts
and the report put them into words."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.extensions import db
from planner.models import DayPresence, Event, Firm, Interpreter, Meeting, MeetingRequest, Outcome, ScheduleVersion
from planner.models.enums import AttendanceStatus, FollowUp, RequestStatus
from planner.scheduling.versions import published_version

AGREEMENTS = (FollowUp.CONTRACT, FollowUp.MOU)


@dataclass
class FirmRow:
    firm: Firm
    requests_sent: int = 0
    requests_received: int = 0
    meetings: int = 0
    held: int = 0
    zero_reason: str | None = None  # a scheduling.explain zero-firm code when it has no meeting


@dataclass
class DayRow:
    day: date
    scheduled: int = 0
    held: int = 0
    not_held: int = 0
    absent_people: int = 0


@dataclass
class MeetingRow:
    """A published meeting with what each side said (None: no answer)."""

    meeting: Meeting
    day: date
    held: bool | None
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class EventFigures:
    event: Event
    registrations: int = 0
    profiles_completed: int = 0
    people: int = 0
    requests: list[MeetingRequest] = field(default_factory=list)
    requests_by_status: Counter = field(default_factory=Counter)
    requests_by_region: dict[str, Counter] = field(default_factory=dict)  # requester region key -> statuses
    requests_by_section: dict[str, Counter] = field(default_factory=dict)  # ISIC section -> statuses
    requests_by_week: list[tuple[date, int]] = field(default_factory=list)
    days: list[DayRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    firms: list[FirmRow] = field(default_factory=list)
    interpreter_load: list[tuple[Interpreter, int]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    ratings: Counter = field(default_factory=Counter)
    follow_ups: Counter = field(default_factory=Counter)
    agreements: list[tuple[MeetingRequest, list[str]]] = field(default_factory=list)
    version: ScheduleVersion | None = None

    @property
    def scheduled(self) -> int:
        return len(self.meetings)

    @property
    def held(self) -> int:
        return sum(1 for row in self.meetings if row.held)

    @property
    def not_held(self) -> int:
        return sum(1 for row in self.meetings if row.held is False)

    @property
    def average_rating(self) -> float | None:
        total = sum(self.ratings.values())
        return sum(k * n for k, n in self.ratings.items()) / total if total else None

    @property
    def firms_without_meeting(self) -> list[FirmRow]:
        return [row for row in self.firms if not row.meetings]


def _profile_complete(firm: Firm) -> bool:
    """Sectors, something offered or sought, and a person to contact."""
    return bool(firm.sectors and (firm.capabilities or firm.needs) and firm.participants)


def meeting_held(outcomes: list[Outcome]) -> bool | None:
    """Held when a side says so; not held when a side says not and none says held; else unknown."""
    answers = [o.held for o in outcomes if o.held is not None]
    if any(answers):
        return True
    return False if answers else None


def event_figures(event: Event) -> EventFigures:
    """Every figure of one round, from its rows and its published schedule."""
    figures = EventFigures(event)
    zone = ZoneInfo(event.timezone)
    firms = [registration.firm for registration in event.taking_part]
    figures.registrations = len(firms)
    figures.profiles_completed = sum(1 for firm in firms if _profile_complete(firm))
    figures.people = sum(len(firm.participants) for firm in firms)

    requests = list(db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id)
                                       .order_by(MeetingRequest.id)))
    figures.requests = requests
    by_region: dict[str, Counter] = defaultdict(Counter)
    by_section: dict[str, Counter] = defaultdict(Counter)
    weeks: Counter = Counter()
    for request in requests:
        figures.requests_by_status[request.status] += 1
        by_region[request.requester_firm.region.key][request.status] += 1
        sections = {sector.lineage()[-1].code for firm in (request.requester_firm, request.target_firm)
                    for sector in firm.sectors}
        for section in sections or {"?"}:
            by_section[section][request.status] += 1
        if not request.suggested:
            created = request.created_at.astimezone(zone).date()
            weeks[created - timedelta(days=(created.weekday() + 2) % 7)] += 1  # weeks start on Saturday
    figures.requests_by_region = dict(sorted(by_region.items()))
    figures.requests_by_section = dict(sorted(by_section.items()))
    figures.requests_by_week = sorted(weeks.items())

    version = published_version(event)
    figures.version = version
    meetings = list(version.meetings) if version is not None else []
    outcomes = list(db.session.scalars(select(Outcome).join(MeetingRequest).where(MeetingRequest.event_id == event.id)
                                       .order_by(Outcome.id)))
    figures.outcomes = outcomes
    by_request: dict[int, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_request[outcome.request_id].append(outcome)
        if outcome.rating:
            figures.ratings[outcome.rating] += 1
        if outcome.follow_up:
            figures.follow_ups[outcome.follow_up] += 1
    days = {day: DayRow(day) for day in event.days}
    for meeting in sorted(meetings, key=lambda m: (m.slot.start_dt, m.table_id)):
        day = meeting.slot.start_dt.astimezone(zone).date()
        held = meeting_held(by_request.get(meeting.request_id, []))
        figures.meetings.append(MeetingRow(meeting, day, held, by_request.get(meeting.request_id, [])))
        row = days.setdefault(day, DayRow(day))
        row.scheduled += 1
        row.held += held is True
        row.not_held += held is False
    for day in db.session.scalars(select(DayPresence.day).where(
            DayPresence.event_id == event.id, DayPresence.status == AttendanceStatus.ABSENT)):
        days.setdefault(day, DayRow(day)).absent_people += 1
    figures.days = [days[day] for day in sorted(days)]

    rows = {firm.id: FirmRow(firm) for firm in firms}
    for request in requests:
        if request.requester_firm_id in rows and not request.suggested:
            rows[request.requester_firm_id].requests_sent += 1
        if request.target_firm_id in rows and not request.suggested:
            rows[request.target_firm_id].requests_received += 1
    for item in figures.meetings:
        for firm_id in (item.meeting.request.requester_firm_id, item.meeting.request.target_firm_id):
            if firm_id in rows:
                rows[firm_id].meetings += 1
                rows[firm_id].held += item.held is True
    zero = {entry["firm_id"]: entry["reason"] for entry in ((version.stats or {}).get("zero_firms", []) if version else [])}
    for firm_id, row in rows.items():
        if not row.meetings:
            row.zero_reason = zero.get(firm_id, "no_requests" if not (row.requests_sent or row.requests_received)
                                       else "requests_unscheduled")
    figures.firms = sorted(rows.values(), key=lambda r: (-r.meetings, r.firm.name_latin))

    load = Counter(m.interpreter_id for m in meetings if m.interpreter_id)
    figures.interpreter_load = [(interpreter, load.get(interpreter.id, 0)) for interpreter in event.interpreters]

    requests_by_id = {r.id: r for r in requests}
    for request_id, items in sorted(by_request.items()):
        kinds = sorted({o.follow_up for o in items if o.follow_up in AGREEMENTS})
        if kinds and request_id in requests_by_id:
            figures.agreements.append((requests_by_id[request_id], kinds))
    return figures


@dataclass
class RoundRow:
    event: Event
    registrations: int
    requests: int
    accepted: int
    scheduled: int
    held: int
    average_rating: float | None


def rounds_overview() -> list[RoundRow]:
    """One row per round, newest first, for the across-rounds page."""
    rows = []
    for event in db.session.scalars(select(Event).order_by(Event.start_date.desc(), Event.id.desc())):
        figures = event_figures(event)
        rows.append(RoundRow(event, figures.registrations, len(figures.requests),
                             figures.requests_by_status[RequestStatus.ACCEPTED], figures.scheduled, figures.held,
                             figures.average_rating))
    return rows

