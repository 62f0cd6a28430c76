"""iCalendar bytes, built by pure functions (no database, no request).

Exhibitions are all-day entries (VALUE=DATE, DTEND exclusive), which need no zone at all.

Meetings (feeds, single downloads, and the REQUEST/CANCEL parts of e-mailed invitations)
are built from `IcsMeeting` records that the timetables service prepares in the recipient's
language, so the same function serves the web, the e-mail and the CLI.

Time zone choice: DTSTART/DTEND carry `TZID=Asia/Tehran` (the event's zone) and every
calendar embeds a VTIMEZONE generated with `Calendar.add_missing_timezones()` from the
zoneinfo data installed with the app (tzdata ≥ 2022b), limited to the years the calendar
covers. For Iran that VTIMEZONE is a single STANDARD rule at +03:30 with no DAYLIGHT part,
so a client that honours the embedded definition, as RFC 5545 §3.2.19 requires, cannot
re-introduce the Iranian summer time abolished in 2022 – the very bug users of other tools
report. We prefer this over UTC because calendar apps then show the meetings in the venue's
zone (what the printed timetable and the hall signs say), and travellers' phones keep them
right when they change zone on arrival. The instant is exact either way; as a safety net for
clients that override the VTIMEZONE with stale data of their own, every DESCRIPTION also
states the time as "09:00 Tehran (UTC+03:30)" and the visitor's home time.

Rules followed (RFC 5545/5546/6047): the UID is stable per meeting request across schedule
versions and carries the installation's domain; SEQUENCE comes from the stored rows (raised
by publishing on every change of time, place, interpreter or people, and by a cancellation);
an iTIP message (REQUEST or CANCEL) holds ONE meeting (§3.2.2: one UID per object), with
ORGANIZER (the chamber) and the reader's ATTENDEEs, RSVP=FALSE (Karvan reads no replies: a
person declines in Karvan, where the other side and the organiser see it); a CANCEL keeps the
UID, raises SEQUENCE and says STATUS:CANCELLED when the meeting is off, or — when only some
people leave a meeting that still happens — names just them as ATTENDEEs without STATUS
(§3.2.5). Feeds and downloads use PUBLISH with ORGANIZER and no ATTENDEE (§3.2.1). X-WR-*
texts are escaped like any TEXT value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as VEvent

from planner.models.enums import ExhibitionStatus

PRODID = "-//Karvan//B2B planner//EN"
EVENT_ZONE = "Asia/Tehran"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")


@dataclass(frozen=True)
class IcsPerson:
    """An ORGANIZER or ATTENDEE: a display name and a mailbox (people without one are left out)."""

    name: str
    email: str | None
    role: str = "REQ-PARTICIPANT"  # CHAIR | REQ-PARTICIPANT | OPT-PARTICIPANT | NON-PARTICIPANT


@dataclass(frozen=True)
class IcsMeeting:
    """One meeting as it goes into a calendar, with its texts already in the reader's language."""

    uid: str
    sequence: int
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    location: str
    description: str = ""
    status: str = "CONFIRMED"  # CONFIRMED | CANCELLED
    attendees: tuple[IcsPerson, ...] = field(default_factory=tuple)
    language: str | None = None  # BCP 47 tag of SUMMARY/DESCRIPTION
    url: str | None = None
    # CANCEL only: the meeting still happens and `attendees` are the people taken off it.
    attendees_removed: bool = False


def new_calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", vText(name))  # X- properties are not escaped unless typed as TEXT
    return cal


def exhibitions_ics(exhibitions, locale: str, calendar_name: str, now: datetime | None = None) -> bytes:
    """One all-day VEVENT per exhibition; cancelled shows stay in the feed as CANCELLED."""
    stamp = now or datetime.now(UTC)
    cal = new_calendar(calendar_name)
    for exhibition in exhibitions:
        event = VEvent()
        event.add("uid", exhibition.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", exhibition.sequence or 0)
        event.add("summary", exhibition.title(locale))
        event.add("dtstart", exhibition.start_date)
        event.add("dtend", exhibition.end_date + timedelta(days=1))
        location = exhibition.venue_name(locale)
        if exhibition.halls:
            location += " — " + ", ".join(exhibition.halls)
        event.add("location", location)
        lines = []
        if exhibition.opening_time and exhibition.closing_time:
            lines.append(f"{exhibition.opening_time:%H:%M}–{exhibition.closing_time:%H:%M} (Asia/Tehran)")
        if exhibition.sectors:
            lines.append("ISIC: " + ", ".join(sector.code for sector in exhibition.sectors))
        if exhibition.mark == "illustrative":
            lines.append("Illustrative dates / تاریخ‌های نمونه / ориентировочные даты")
        if lines:
            event.add("description", "\n".join(lines))
        event.add("status", {ExhibitionStatus.CANCELLED: "CANCELLED", ExhibitionStatus.CONFIRMED: "CONFIRMED"}.get(exhibition.status, "TENTATIVE"))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


# --- meetings ------------------------------------------------------------------------------

def _address(person: IcsPerson, *, organiser: bool = False) -> vCalAddress:
    if organiser:
        return vCalAddress.new(f"mailto:{person.email}", cn=person.name)
    # RSVP=FALSE: no reply is read; the message text says how to decline in Karvan.
    return vCalAddress.new(f"mailto:{person.email}", cn=person.name, cutype="INDIVIDUAL", role=person.role,
                           partstat="NEEDS-ACTION", rsvp=False)


def _vevent(meeting: IcsMeeting, *, method: str, organiser: IcsPerson | None, zone: ZoneInfo, stamp: datetime) -> VEvent:
    if meeting.start.tzinfo is None or meeting.end.tzinfo is None:
        raise ValueError(f"meeting {meeting.uid} has naive times")
    if not meeting.start < meeting.end:
        raise ValueError(f"meeting {meeting.uid} ends before it starts")
    if method == "CANCEL":
        status = None if meeting.attendees_removed else "CANCELLED"
    else:
        status = meeting.status
    event = VEvent()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", max(meeting.sequence, 0))
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    language = {"language": meeting.language} if meeting.language else {}
    event.add("summary", meeting.summary, parameters=language)
    if meeting.description:
        event.add("description", meeting.description, parameters=language)
    if meeting.location:
        event.add("location", meeting.location, parameters=language)
    if status:
        event.add("status", status)
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" or method == "CANCEL" else "OPAQUE")
    event.add("class", "PRIVATE")
    if meeting.url:
        event.add("url", meeting.url)
    if organiser is not None and organiser.email:
        event.add("organizer", _address(organiser, organiser=True))
    if method != "PUBLISH":  # a published calendar has no attendees (RFC 5546 §3.2.1)
        for person in meeting.attendees:
            if person.email:
                event.add("attendee", _address(person))
    return event


def meetings_ics(meetings, *, calendar_name: str, method: str = "PUBLISH", organiser: IcsPerson | None = None,
                 zone: str = EVENT_ZONE, now: datetime | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per meeting, times in `zone` with its VTIMEZONE embedded.

    PUBLISH serves feeds and downloads (no ATTENDEE); REQUEST and CANCEL are iTIP messages for
    e-mail, hold one meeting (ValueError otherwise) and need an organiser. CANCEL marks the
    event CANCELLED unless only attendees are removed (the caller passes the raised SEQUENCE).
    Meetings come out ordered by start, so the bytes are reproducible.
    """
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method}")
    if method != "PUBLISH" and (organiser is None or not organiser.email):
        raise ValueError(f"METHOD:{method} needs an organiser with a mailbox")
    if method != "PUBLISH" and len({m.uid for m in meetings}) > 1:
        raise ValueError(f"METHOD:{method} carries one meeting (one UID) per message")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    tz = ZoneInfo(zone)
    cal = new_calendar(calendar_name, method)
    cal.add("x-wr-timezone", vText(zone))
    ordered = sorted(meetings, key=lambda m: (m.start, m.uid))
    for meeting in ordered:
        cal.add_component(_vevent(meeting, method=method, organiser=organiser, zone=tz, stamp=stamp))
    if ordered:
        first = min(m.start for m in ordered).astimezone(tz).date()
        last = max(m.end for m in ordered).astimezone(tz).date()
        for position, tzid in enumerate(sorted(cal.get_missing_tzids())):
            cal.subcomponents.insert(position, _vtimezone(tzid, first.year, last.year + 1))
    return cal.to_ical()


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first_year: int, end_year: int) -> Timezone:
    """The VTIMEZONE of `tzid` from 1 January `first_year` to 1 January `end_year`, as
    `Calendar.add_missing_timezones()` builds it. Built once per process: the library walks
    every hour of the span, ~0.1 s per call, which a publish that composes hundreds of
    invitations paid for each of them. Only serialised, never changed, so one object is shared."""
    return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(end_year, 1, 1))


def meeting_ics(meeting: IcsMeeting, *, calendar_name: str, organiser: IcsPerson | None = None,
                zone: str = EVENT_ZONE, now: datetime | None = None) -> bytes:
    """A single meeting as a downloadable .ics (PUBLISH)."""
    return meetings_ics([meeting], calendar_name=calendar_name, organiser=organiser, zone=zone, now=now)


def request_ics(meeting: IcsMeeting, *, calendar_name: str, organiser: IcsPerson, zone: str = EVENT_ZONE,
                now: datetime | None = None) -> bytes:
    """METHOD:REQUEST for one new or changed meeting (same UID, the stored SEQUENCE)."""
    return meetings_ics([meeting], calendar_name=calendar_name, method="REQUEST", organiser=organiser, zone=zone,
                        now=now)


def cancel_ics(meeting: IcsMeeting, *, calendar_name: str, organiser: IcsPerson, zone: str = EVENT_ZONE,
               now: datetime | None = None) -> bytes:
    """METHOD:CANCEL for one meeting taken out of the schedule (STATUS:CANCELLED), or for the
    people taken off a meeting that still happens (`attendees_removed`: no STATUS)."""
    return meetings_ics([meeting], calendar_name=calendar_name, method="CANCEL", organiser=organiser, zone=zone,
                        now=now)
