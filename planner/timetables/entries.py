"""Timetables from the published schedule version: per participant, firm, delegation and
table, on screen and as PDF (the calendar side of the same data is in `meeting_ics`).

Who attends a meeting: the people the scheduler put on it (`Meeting.participants`); when a
version lists none, every participant of the two firms. Times are shown in the event's zone
(Asia/Tehran) and, where its offset differs at that instant, in the reader's home zone too.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from planner.extensions import db
from planner.models import (
    Delegation,
    Event,
    Firm,
    Interpreter,
    Meeting,
    MeetingTable,
    Participant,
    ScheduleVersion,
    User,
)
from planner.models.base import localized
from planner.models.enums import Role
from planner.text.i18n import _, current_locale, format_clock, format_day, local_digits
from planner.text.scripts import join_parts, participant_name
from planner.timetables.loading import (  # noqa: F401 - the loaders are part of this module's interface
    latest_published_event,
    load_delegation,
    published_meetings,
    published_version,
    version_meetings,
)
from planner.timetables.overview import members_overview

log = logging.getLogger(__name__)
CSS_PATH = Path(__file__).resolve().parent.parent / "static" / "css" / "timetables.css"


# --- loading ------------------------------------------------------------------------------

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


def meetings_by_person(meetings: list[Meeting]) -> dict[int, list[Meeting]]:
    """Participant id -> the meetings they attend, in one pass (pages of many people)."""
    index: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        for person in meeting_people(meeting):
            index.setdefault(person.id, []).append(meeting)
    return index


def participant_entries(meetings: list[Meeting], participant: Participant,
                        index: dict[int, list[Meeting]] | None = None) -> list[Entry]:
    """The person's meetings among `meetings` (`index` from `meetings_by_person` when many
    people are looked up in the same meetings)."""
    mine = index.get(participant.id, []) if index is not None else [
        m for m in meetings if any(p.id == participant.id for p in meeting_people(m))]
    return _sorted([_entry(m, participant.firm) for m in mine])


def firm_entries(meetings: list[Meeting], firm: Firm) -> list[Entry]:
    return _sorted([_entry(m, firm) for m in meetings if firm.id in (m.request.requester_firm_id, m.request.target_firm_id)])


def table_entries(meetings: list[Meeting], table: MeetingTable) -> list[Entry]:
    return _sorted([_entry(m, None) for m in meetings if m.table_id == table.id])


def delegation_members(delegation: Delegation) -> list[Participant]:
    """Members with the head first, then by firm and name (loaded with firms in one batch)."""
    return sorted(load_delegation(delegation), key=lambda p: (p.id != delegation.head_id, p.firm.name_latin, p.last_name, p.id))


def by_day(entries: list[Entry], zone: str) -> list[tuple[date, list[Entry]]]:
    days: dict[date, list[Entry]] = {}
    tz = ZoneInfo(zone)
    for entry in entries:
        days.setdefault(entry.start.astimezone(tz).date(), []).append(entry)
    return sorted(days.items())


# --- display helpers ----------------------------------------------------------------------

def differs(moment: datetime, zone_a: str, zone_b: str | None) -> bool:
    """True when the two zones show `moment` at different wall-clock offsets."""
    if not zone_b or zone_b == zone_a:
        return False
    return moment.astimezone(ZoneInfo(zone_a)).utcoffset() != moment.astimezone(ZoneInfo(zone_b)).utcoffset()


def zone_label(zone: str) -> str:
    """The zone's city as a name on its own: 'Yekaterinburg', «Екатеринбург», «یکاترینبورگ»."""
    labels = {
        "Asia/Tehran": _("Tehran"),
        "Asia/Yekaterinburg": _("Yekaterinburg"),
        "Europe/Moscow": _("Moscow"),
    }
    return labels.get(zone, zone.split("/")[-1].replace("_", " "))


def zone_time(zone: str) -> str:
    """The zone as the language says it after a clock time or after "times are":
    'Yekaterinburg time', «по Екатеринбургу», «به وقت یکاترینبورگ»."""
    phrases = {
        "Asia/Tehran": _("Tehran time"),
        "Asia/Yekaterinburg": _("Yekaterinburg time"),
        "Europe/Moscow": _("Moscow time"),
    }
    return phrases.get(zone) or _("%(zone)s time", zone=zone_label(zone))


def utc_offset_label(moment: datetime, zone: str, locale: str = "en") -> str:
    """'UTC+03:30' (Persian digits in fa, so that a Persian text keeps one digit system)."""
    offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return local_digits(f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}", locale)


def event_offset_label(event: Event, locale: str) -> str:
    """The UTC offset of the event's zone on its first day."""
    moment = datetime.combine(event.start_date, time(12), tzinfo=ZoneInfo(event.timezone))
    return utc_offset_label(moment, event.timezone, locale)


# --- names --------------------------------------------------------------------------------


def region_locale(region) -> str:
    """The site language for people of `region`: the language of its native names when the
    site speaks it, else English."""
    native = region.native_locale if region is not None else None
    return native if native in current_app.config["LANGUAGES"] else "en"


def recipient_locale(participant: Participant) -> str:
    """The participant's first supported language, else their region's (`region_locale`)."""
    supported = current_app.config["LANGUAGES"]
    for code in participant.languages or []:
        if code in supported:
            return code
    return region_locale(participant.firm.region if participant.firm is not None else None)


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
    participant: Participant | None = None  # a person's sheet: whose (their check-in pass is printed with it)

    @property
    def count(self) -> int:
        return sum(len(entries) for _day, entries in self.days)


def person_sheet(event: Event, meetings: list[Meeting], participant: Participant, locale: str,
                 index: dict[int, list[Meeting]] | None = None) -> Sheet:
    subtitle = join_parts([localized(participant.role, locale), participant.firm.display_name(locale)], locale)
    return Sheet(participant_name(participant, locale), subtitle, participant.home_timezone,
                 by_day(participant_entries(meetings, participant, index), event.timezone), "person", f"p{participant.id}",
                 participant)


def firm_sheet(event: Event, meetings: list[Meeting], firm: Firm, locale: str) -> Sheet:
    return Sheet(firm.display_name(locale), firm.region.name(locale), firm.region.timezone,
                 by_day(firm_entries(meetings, firm), event.timezone), "firm", f"f{firm.id}")


def member_sheets(event: Event, meetings: list[Meeting], delegation: Delegation, locale: str,
                  members: list[Participant] | None = None) -> list[Sheet]:
    """One sheet per member (head first), or per one of `members` (a page of them): linear in
    the delegation's meetings."""
    index = meetings_by_person(meetings)
    people = delegation_members(delegation) if members is None else members
    return [person_sheet(event, meetings, member, locale, index) for member in people]


def table_sheet(event: Event, meetings: list[Meeting], table: MeetingTable, locale: str) -> Sheet:
    with force_locale(locale):
        title = _("Table %(table)s", table=table.name)
    return Sheet(title, table.hall or event.venue_name(locale), None, by_day(table_entries(meetings, table), event.timezone),
                 "table", f"t{table.id}")


def table_sheets_title(locale: str) -> str:
    with force_locale(locale):
        return _("Table sheets")


def table_sheets(event: Event, meetings: list[Meeting], locale: str, tables: list[MeetingTable] | None = None) -> list[Sheet]:
    """Every table's sheet (or each of `tables`'), the meetings grouped by table in one pass
    (linear in the round)."""
    at: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        at.setdefault(meeting.table_id, []).append(meeting)
    return [table_sheet(event, at.get(table.id, []), table, locale) for table in (event.tables if tables is None else tables)]


def version_stamp(event: Event, version: ScheduleVersion | None, locale: str) -> str:
    """'Schedule version 3, published 7 Nov 2026 at 18:05 (Tehran time)' in the reader's
    language and digits (in Persian the date is Jalali, Gregorian beside it); '' without a version."""
    if version is None:
        return ""
    with force_locale(locale):
        number = local_digits(version.number, locale)
        if version.published_at is None:
            return _("Schedule version %(number)s (not published)", number=number)
        return _("Schedule version %(number)s, published %(day)s at %(time)s (%(zone)s)", number=number,
                 day=format_day(version.published_at, locale, "medium", zone=event.timezone),
                 time=format_clock(version.published_at, event.timezone, locale), zone=zone_time(event.timezone))


def print_html(event: Event, title: str, sheets: list[Sheet], locale: str, version: ScheduleVersion | None = None,
               overview: bool = False) -> str:
    """The standalone print document (no request needed: used by e-mail jobs too). Every page
    names `version` and its publish time; with `overview` (a delegation's members) it opens
    with the members × days table."""
    with force_locale(locale):
        return render_template("timetables/print.html", event=event, title=title, sheets=sheets, locale=locale,
                               direction="rtl" if locale == "fa" else "ltr", css=CSS_PATH.read_text(encoding="utf-8"),
                               stamp=version_stamp(event, version, locale),
                               overview=members_overview(sheets) if overview else None)


def sheets_pdf(event: Event, title: str, sheets: list[Sheet], locale: str, version: ScheduleVersion | None = None,
               overview: bool = False) -> bytes:
    return render_pdf(print_html(event, title, sheets, locale, version, overview))


def participant_pdf(event: Event, participant: Participant, locale: str) -> bytes:
    """One person's timetable as a PDF in `locale` (the view and the e-mailed update use it)."""
    version = published_version(event)
    meetings = version_meetings(version, [participant.firm_id])
    sheet = person_sheet(event, meetings, participant, locale)
    return sheets_pdf(event, sheet.title, [sheet], locale, version)


def format_range(start: datetime, end: datetime, zone: str, locale: str | None = None) -> str:
    """'09:00–09:25'; in Persian '۰۹:۰۰ تا ۰۹:۲۵', which reads right in a right-to-left line."""

    locale = locale or current_locale()
    first, last = format_clock(start, zone, locale), format_clock(end, zone, locale)
    return f"{first} تا {last}" if locale == "fa" else f"{first}–{last}"


def ensure_delegation_head_account(delegation: Delegation, password: str, locale: str = "ru"):
    """A log-in for the delegation's head (role delegation_head) for the demo: created, or the
    head's firm-member account given the role (it keeps its firm)."""

    head = delegation.head
    if head is None:
        return None
    user = db.session.scalar(select(User).where(User.email == head.email))
    if user is None:
        user = User(email=head.email, role=Role.DELEGATION_HEAD, name=head.full_name_latin, locale=locale,
                    firm_id=head.firm_id, delegation_id=delegation.id)
        user.set_password(password)
        db.session.add(user)
    elif user.role == Role.FIRM_MEMBER:  # the head's firm account (matching's demo) also leads the delegation
        user.role, user.delegation_id = Role.DELEGATION_HEAD, delegation.id
    db.session.flush()
    return user
