"""Timetables from the published schedule version: per participant, firm, delegation and
table; the ICS records built from them in the reader's language; the PDF rendering.

Who attends a meeting: the people the scheduler put on it (`Meeting.participants`); when a
version lists none, every participant of the two firms. Times are shown in the event's zone
(Asia/Tehran) and, where its offset differs at that instant, in the reader's home zone too.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.i18n import _, format_clock, format_day
from planner.models import (
    Delegation, Event, Firm, Interpreter, Meeting, MeetingRequest, MeetingTable, Participant, ScheduleVersion,
)
from planner.models.base import localized
from planner.services.calendar import IcsMeeting, IcsPerson, meeting_ics, meetings_ics

log = logging.getLogger(__name__)
CSS_PATH = Path(__file__).resolve().parent.parent / "static" / "css" / "timetables.css"
MAX_INTERESTS = 4


# --- loading ------------------------------------------------------------------------------

def published_version(event: Event) -> ScheduleVersion | None:
    """The version participants see: the highest-numbered published one."""
    return db.session.scalar(
        select(ScheduleVersion)
        .where(ScheduleVersion.event_id == event.id, ScheduleVersion.status == "published")
        .order_by(ScheduleVersion.number.desc()).limit(1)
    )


def latest_published_event() -> Event | None:
    """The most recent event that has a published schedule (for "My timetable")."""
    return db.session.scalar(
        select(Event).join(ScheduleVersion, ScheduleVersion.event_id == Event.id)
        .where(ScheduleVersion.status == "published").order_by(Event.start_date.desc()).limit(1)
    )


def version_meetings(version: ScheduleVersion | None) -> list[Meeting]:
    """All meetings of a version with what a timetable shows loaded up front."""
    if version is None:
        return []
    firm_options = (selectinload(Firm.participants), selectinload(Firm.region),
                    selectinload(Firm.capabilities), selectinload(Firm.needs))
    return list(db.session.scalars(
        select(Meeting).where(Meeting.version_id == version.id)
        .options(
            selectinload(Meeting.slot), selectinload(Meeting.table), selectinload(Meeting.interpreter),
            selectinload(Meeting.participants),
            selectinload(Meeting.request).selectinload(MeetingRequest.requester_firm).options(*firm_options),
            selectinload(Meeting.request).selectinload(MeetingRequest.target_firm).options(*firm_options),
        )
    ))


def meeting_people(meeting: Meeting) -> list[Participant]:
    if meeting.participants:
        return list(meeting.participants)
    request = meeting.request
    return list(request.requester_firm.participants) + list(request.target_firm.participants)


def meeting_firms(meeting: Meeting) -> tuple[Firm, Firm]:
    return meeting.request.requester_firm, meeting.request.target_firm


# --- entries ------------------------------------------------------------------------------

@dataclass
class Entry:
    """One meeting as one side sees it (own_firm None: a neutral view, e.g. the table sheet)."""

    meeting: Meeting
    own_firm: Firm | None
    counterpart: Firm | None
    own_people: list[Participant] = field(default_factory=list)
    counterpart_people: list[Participant] = field(default_factory=list)

    @property
    def start(self) -> datetime:
        return self.meeting.slot.start_dt

    @property
    def end(self) -> datetime:
        return self.meeting.slot.end_dt

    @property
    def table(self) -> MeetingTable:
        return self.meeting.table

    @property
    def interpreter(self) -> Interpreter | None:
        return self.meeting.interpreter

    @property
    def uid(self) -> str:
        return self.meeting.uid

    @property
    def firms(self) -> tuple[Firm, Firm]:
        return meeting_firms(self.meeting)


def _entry(meeting: Meeting, own_firm: Firm | None) -> Entry:
    requester, target = meeting_firms(meeting)
    people = meeting_people(meeting)
    if own_firm is None:
        return Entry(meeting, None, None, [p for p in people if p.firm_id == requester.id],
                     [p for p in people if p.firm_id == target.id])
    counterpart = target if own_firm.id == requester.id else requester
    return Entry(meeting, own_firm, counterpart, [p for p in people if p.firm_id == own_firm.id],
                 [p for p in people if p.firm_id == counterpart.id])


def _sorted(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.start, e.table.position, e.meeting.id))


def participant_entries(meetings: list[Meeting], participant: Participant) -> list[Entry]:
    return _sorted([_entry(m, participant.firm) for m in meetings
                    if any(p.id == participant.id for p in meeting_people(m))])


def firm_entries(meetings: list[Meeting], firm: Firm) -> list[Entry]:
    return _sorted([_entry(m, firm) for m in meetings if firm.id in (m.request.requester_firm_id, m.request.target_firm_id)])


def table_entries(meetings: list[Meeting], table: MeetingTable) -> list[Entry]:
    return _sorted([_entry(m, None) for m in meetings if m.table_id == table.id])


def delegation_members(delegation: Delegation) -> list[Participant]:
    """Members with the head first, then by firm and name."""
    members = sorted(delegation.members, key=lambda p: (p.id != delegation.head_id, p.firm.name_latin, p.last_name))
    return members


def delegation_sheets(meetings: list[Meeting], delegation: Delegation) -> list[tuple[Participant, list[Entry]]]:
    """Every member with their meetings (members without meetings included, so nobody is missed)."""
    return [(member, participant_entries(meetings, member)) for member in delegation_members(delegation)]


def by_day(entries: list[Entry], zone: str) -> list[tuple[date, list[Entry]]]:
    days: dict[date, list[Entry]] = {}
    tz = ZoneInfo(zone)
    for entry in entries:
        days.setdefault(entry.start.astimezone(tz).date(), []).append(entry)
    return sorted(days.items())


def overlaps(entries: list[Entry]) -> list[tuple[Entry, Entry]]:
    """Pairs of entries whose times overlap (a valid schedule has none for one person)."""
    ordered = sorted(entries, key=lambda e: e.start)
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if b.start < a.end]


# --- display helpers ----------------------------------------------------------------------

def home_zone_of(participant: Participant | None) -> str | None:
    return participant.home_timezone if participant is not None else None


def differs(moment: datetime, zone_a: str, zone_b: str | None) -> bool:
    """True when the two zones show `moment` at different wall-clock offsets."""
    if not zone_b or zone_b == zone_a:
        return False
    return moment.astimezone(ZoneInfo(zone_a)).utcoffset() != moment.astimezone(ZoneInfo(zone_b)).utcoffset()


def zone_label(zone: str) -> str:
    labels = {
        "Asia/Tehran": _("Tehran"),
        "Asia/Yekaterinburg": _("Yekaterinburg"),
        "Europe/Moscow": _("Moscow"),
    }
    return labels.get(zone, zone.split("/")[-1].replace("_", " "))


def utc_offset_label(moment: datetime, zone: str) -> str:
    offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def interest_titles(items, locale: str, against=()) -> list[str]:
    """Titles of offers/needs, those related to `against` codes first, at most MAX_INTERESTS."""
    codes = [item.code for item in against]

    def related(item) -> bool:
        return any(code.startswith(item.code) or item.code.startswith(code) for code in codes)

    chosen = [item for item in items if related(item)] or list(items)
    titles = []
    for item in chosen[:MAX_INTERESTS]:
        title = item.node.title(locale) if item.node else item.code
        titles.append(f"{title} ({item.code})")
    return titles


def recipient_locale(participant: Participant) -> str:
    """The participant's first supported language, else by the firm's country."""
    supported = current_app.config["LANGUAGES"]
    for code in participant.languages or []:
        if code in supported:
            return code
    country = participant.firm.region.country if participant.firm and participant.firm.region else None
    return {"IR": "fa", "RU": "ru"}.get(country, "en")


def city_name(firm: Firm, locale: str) -> str:
    """The city in the firm's own script for readers of that script, else in Latin letters."""
    native = "fa" if firm.region.country == "IR" else "ru"
    return firm.city if locale == native else (firm.city_latin or firm.city)


def location_text(event: Event, table: MeetingTable, locale: str) -> str:
    parts = [event.venue or event.display_name(locale)]
    if table.hall:
        parts.append(table.hall)
    parts.append(_("Table %(table)s", table=table.name))
    return ", ".join(part for part in parts if part)


def organiser() -> IcsPerson:
    config = current_app.config
    return IcsPerson(config["KARVAN_ORGANISER_NAME"], config["KARVAN_ORGANISER_EMAIL"], role="CHAIR")


# --- ICS records --------------------------------------------------------------------------

def ics_record(event: Event, entry: Entry, locale: str, home_zone: str | None = None, *,
               sequence: int | None = None, status: str = "CONFIRMED") -> IcsMeeting:
    """The meeting's VEVENT content with every text in `locale` (times stay instants)."""
    with force_locale(locale):
        zone = event.timezone
        requester, target = entry.firms
        counterpart = entry.counterpart
        if counterpart is not None:
            summary = _("B2B meeting with %(firm)s", firm=counterpart.display_name(locale))
        else:
            summary = _("B2B meeting: %(first)s – %(second)s", first=requester.display_name(locale),
                        second=target.display_name(locale))
        start_text = _("%(time)s %(zone)s (%(offset)s)", time=format_clock(entry.start, zone, locale="en"),
                       zone=zone_label(zone), offset=utc_offset_label(entry.start, zone))
        lines = [f"{format_day(entry.start.astimezone(ZoneInfo(zone)).date(), locale)}, {start_text}"]
        if differs(entry.start, zone, home_zone):
            lines.append(_("Your home time: %(time)s %(zone)s", time=format_clock(entry.start, home_zone, locale="en"),
                           zone=zone_label(home_zone)))
        lines.append("")
        sides = [(requester, target), (target, requester)]
        if entry.own_firm is not None and entry.own_firm.id == target.id:
            sides.reverse()
        for firm, other in sides:
            lines.append(f"{firm.display_name(locale)} — {firm.region.name(locale)}, {city_name(firm, locale)}")
            offers = interest_titles(firm.capabilities, locale, other.needs)
            needs = interest_titles(firm.needs, locale, other.capabilities)
            if offers:
                lines.append("  " + _("Offers: %(items)s", items="; ".join(offers)))
            if needs:
                lines.append("  " + _("Looks for: %(items)s", items="; ".join(needs)))
            people = [p for p in meeting_people(entry.meeting) if p.firm_id == firm.id]
            if people:
                lines.append("  " + _("Attending: %(names)s", names=", ".join(p.display_name(locale) for p in people)))
        lines.append("")
        if entry.interpreter is not None:
            interpreter = entry.interpreter
            name = interpreter.name if locale == "fa" else (interpreter.name_latin or interpreter.name)
            lines.append(_("Interpreter: %(name)s", name=name))
        else:
            lines.append(_("Interpreter: none assigned"))
        if entry.meeting.request.message:
            lines.append(_("Reason for the meeting: %(text)s", text=entry.meeting.request.message))
        attendees = [IcsPerson(p.display_name(locale), p.email) for p in meeting_people(entry.meeting)]
        if entry.interpreter is not None and entry.interpreter.email:
            attendees.append(IcsPerson(entry.interpreter.name_latin or entry.interpreter.name, entry.interpreter.email,
                                       role="NON-PARTICIPANT"))
        return IcsMeeting(
            uid=entry.uid, sequence=entry.meeting.sequence if sequence is None else sequence,
            start=entry.start, end=entry.end, summary=summary, location=location_text(event, entry.table, locale),
            description="\n".join(lines).strip(), status=status, attendees=tuple(attendees), language=locale,
        )


def participant_calendar_name(participant: Participant, locale: str) -> str:
    with force_locale(locale):
        return _("Karvan meetings: %(name)s", name=participant.display_name(locale))


def participant_feed(participant: Participant, locale: str, events: list[Event] | None = None,
                     now: datetime | None = None) -> bytes:
    """A person's meetings in the published versions of `events` (all events by default)."""
    records = []
    for event in events if events is not None else events_with_published_version():
        meetings = version_meetings(published_version(event))
        records += [ics_record(event, e, locale, participant.home_timezone) for e in participant_entries(meetings, participant)]
    return meetings_ics(records, calendar_name=participant_calendar_name(participant, locale),
                        organiser=organiser(), now=now)


def delegation_feed(delegation: Delegation, locale: str, events: list[Event] | None = None,
                    now: datetime | None = None) -> bytes:
    """The delegation's meetings (every member's, each meeting once)."""
    records: dict[str, IcsMeeting] = {}
    home = delegation.region.timezone
    for event in events if events is not None else events_with_published_version():
        meetings = version_meetings(published_version(event))
        for member in delegation_members(delegation):
            for entry in participant_entries(meetings, member):
                records.setdefault(entry.uid, ics_record(event, entry, locale, home))
    with force_locale(locale):
        name = _("Karvan meetings: %(name)s", name=delegation.display_name(locale))
    return meetings_ics(list(records.values()), calendar_name=name, organiser=organiser(), now=now)


def single_meeting_ics(event: Event, entry: Entry, locale: str, home_zone: str | None, now: datetime | None = None) -> bytes:
    record = ics_record(event, entry, locale, home_zone)
    return meeting_ics(record, calendar_name=record.summary, organiser=organiser(), now=now)


def events_with_published_version() -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.id.in_(select(ScheduleVersion.event_id).where(ScheduleVersion.status == "published")))
        .order_by(Event.start_date)
    ))


def find_entry(event: Event, request_id: int, viewer_firm: Firm | None) -> Entry | None:
    """The published meeting of a request, seen from `viewer_firm` (neutral when None)."""
    version = published_version(event)
    if version is None:
        return None
    meeting = db.session.scalar(select(Meeting).where(Meeting.version_id == version.id, Meeting.request_id == request_id))
    if meeting is None:
        return None
    if viewer_firm is not None and viewer_firm.id not in (meeting.request.requester_firm_id, meeting.request.target_firm_id):
        viewer_firm = None
    return _entry(meeting, viewer_firm)


# --- feed tokens --------------------------------------------------------------------------

def issue_feed_token(owner: Participant | Delegation) -> str:
    """Give the participant or delegation a new secret feed token; the old URL stops working."""
    owner.feed_token = secrets.token_urlsafe(32)
    db.session.flush()
    return owner.feed_token


def revoke_feed_token(owner: Participant | Delegation) -> None:
    owner.feed_token = None
    db.session.flush()


def participant_by_token(token: str) -> Participant | None:
    if not token:
        return None
    return db.session.scalar(select(Participant).where(Participant.feed_token == token))


def delegation_by_token(token: str) -> Delegation | None:
    if not token:
        return None
    return db.session.scalar(select(Delegation).where(Delegation.feed_token == token))


# --- printing -----------------------------------------------------------------------------

def render_pdf(html: str) -> bytes:
    """A PDF of a print template; the stylesheet is read from disk, so no request is needed."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(CSS_PATH.parent)).write_pdf()


@dataclass
class Sheet:
    """One printed page: a heading, the reader's home zone, and the meetings by day."""

    title: str
    subtitle: str
    home_zone: str | None
    days: list[tuple[date, list[Entry]]]
    kind: str = "person"  # person | firm | table
    anchor: str = ""

    @property
    def count(self) -> int:
        return sum(len(entries) for _day, entries in self.days)


def person_sheet(event: Event, meetings: list[Meeting], participant: Participant, locale: str) -> Sheet:
    subtitle = participant.firm.display_name(locale)
    role = localized(participant.role, locale)
    if role:
        subtitle = f"{role}, {subtitle}"
    return Sheet(participant.display_name(locale), subtitle, participant.home_timezone,
                 by_day(participant_entries(meetings, participant), event.timezone), "person", f"p{participant.id}")


def firm_sheet(event: Event, meetings: list[Meeting], firm: Firm, locale: str) -> Sheet:
    return Sheet(firm.display_name(locale), firm.region.name(locale), firm.region.timezone,
                 by_day(firm_entries(meetings, firm), event.timezone), "firm", f"f{firm.id}")


def member_sheets(event: Event, meetings: list[Meeting], delegation: Delegation, locale: str) -> list[Sheet]:
    return [person_sheet(event, meetings, member, locale) for member in delegation_members(delegation)]


def table_sheet(event: Event, meetings: list[Meeting], table: MeetingTable, locale: str) -> Sheet:
    with force_locale(locale):
        title = _("Table %(table)s", table=table.name)
    return Sheet(title, table.hall or (event.venue or ""), None, by_day(table_entries(meetings, table), event.timezone),
                 "table", f"t{table.id}")


def print_html(event: Event, title: str, sheets: list[Sheet], locale: str) -> str:
    """The standalone print document (no request needed: used by e-mail jobs too)."""
    with force_locale(locale):
        return render_template("timetables/print.html", event=event, title=title, sheets=sheets, locale=locale,
                               direction="rtl" if locale == "fa" else "ltr", css=CSS_PATH.read_text(encoding="utf-8"))


def sheets_pdf(event: Event, title: str, sheets: list[Sheet], locale: str) -> bytes:
    return render_pdf(print_html(event, title, sheets, locale))


def participant_pdf(event: Event, participant: Participant, locale: str) -> bytes:
    """One person's timetable as a PDF in `locale` (the view and the e-mailed update use it)."""
    meetings = version_meetings(published_version(event))
    sheet = person_sheet(event, meetings, participant, locale)
    return sheets_pdf(event, sheet.title, [sheet], locale)


# --- export -------------------------------------------------------------------------------

def export_feeds(event: Event, directory: Path, locale: str | None = None, now: datetime | None = None) -> dict[str, int] | None:
    """Write `<directory>/p<participant id>.ics` for everyone in the event's published version.

    Returns {file stem: number of meetings}, or None when nothing is published. Ids match the
    participant ids ("p" + Participant.id) of export-schedule's instance.json.
    """
    version = published_version(event)
    if version is None:
        return None
    meetings = version_meetings(version)
    people = {p.id: p for m in meetings for p in meeting_people(m)}
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for person_id in sorted(people):
        person = people[person_id]
        reader = locale or recipient_locale(person)
        entries = participant_entries(meetings, person)
        records = [ics_record(event, entry, reader, person.home_timezone) for entry in entries]
        data = meetings_ics(records, calendar_name=participant_calendar_name(person, reader), organiser=organiser(), now=now)
        (directory / f"p{person.id}.ics").write_bytes(data)
        written[f"p{person.id}"] = len(records)
    return written


def format_range(start: datetime, end: datetime, zone: str, locale: str | None = None) -> str:
    """'09:00–09:25'; in Persian '۰۹:۰۰ تا ۰۹:۲۵', which reads right in a right-to-left line."""
    from planner.i18n import current_locale

    locale = locale or current_locale()
    first, last = format_clock(start, zone, locale), format_clock(end, zone, locale)
    return f"{first} تا {last}" if locale == "fa" else f"{first}–{last}"


def ensure_delegation_head_account(delegation: Delegation, password: str, locale: str = "ru"):
    """A log-in for the delegation's head (role delegation_head) for the demo: created, or the
    head's firm-member account given the role (it keeps its firm)."""
    from planner.models import User

    head = delegation.head
    if head is None:
        return None
    user = db.session.scalar(select(User).where(User.email == head.email))
    if user is None:
        user = User(email=head.email, role="delegation_head", name=head.full_name_latin, locale=locale,
                    firm_id=head.firm_id, delegation_id=delegation.id)
        user.set_password(password)
        db.session.add(user)
    elif user.role == "firm_member":  # the head's firm account (matching's demo) also leads the delegation
        user.role, user.delegation_id = "delegation_head", delegation.id
    db.session.flush()
    return user
