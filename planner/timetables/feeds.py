"""Meetings as calendar data: the ICS record of a meeting in the reader's language, the
personal and delegation feeds, the single-meeting download, the secret feed tokens, and the
export of one feed per participant. The bytes come from the pure builders in `calendar`.
"""
from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from planner.extensions import db
from planner.models import Delegation, Event, Firm, Meeting, MeetingRequest, MeetingTable, Participant
from planner.text.i18n import _, format_clock, format_day, local_digits
from planner.text.scripts import city_for, interpreter_name, join_list, join_parts, participant_name, rtl_lines
from planner.timetables.entries import (
    Entry,
    _entry,
    delegation_members,
    differs,
    meeting_people,
    meetings_by_person,
    participant_entries,
    published_meetings,
    published_version,
    recipient_locale,
    utc_offset_label,
    version_meetings,
    zone_label,
    zone_time,
)
from planner.timetables.ics import IcsMeeting, IcsPerson, meeting_ics, meetings_ics

MAX_INTERESTS = 4


def interest_titles(items, locale: str, against=()) -> list[str]:
    """Titles of offers/needs, those related to `against` codes first, at most MAX_INTERESTS
    (title and code in the digits of `locale`)."""
    codes = [item.code for item in against]

    def related(item) -> bool:
        return any(code.startswith(item.code) or item.code.startswith(code) for code in codes)

    chosen = [item for item in items if related(item)] or list(items)
    titles = []
    for item in chosen[:MAX_INTERESTS]:
        title = item.node.title(locale) if item.node else item.code
        titles.append(local_digits(f"{title} ({item.code})", locale))
    return titles


def city_name(firm: Firm, locale: str) -> str:
    """The city in the firm's own script for readers of that script, else in Latin letters."""
    return city_for(firm, locale)


def name_list(names: list[str], locale: str) -> str:
    """Names joined the reader's way (`join_list`); in Persian a right-to-left mark after every
    name but the last (before each comma and «و»), so that plain text (no <bdi> in a calendar)
    still shows Latin names in right-to-left order."""
    mark = "\u200f" if locale == "fa" else ""
    return join_list([name + mark for name in names[:-1]] + names[-1:], locale)


def location_text(event: Event, table: MeetingTable, locale: str) -> str:
    parts = [event.venue_name(locale) or event.display_name(locale)]
    if table.hall:
        parts.append(table.hall)
    parts.append(_("Table %(table)s", table=table.name))
    return join_parts(parts, locale)


def organiser(locale: str | None = None) -> IcsPerson:
    """The chamber as ORGANIZER, named in `locale` (KARVAN_ORGANISER_NAME_FA/_RU/_EN, else
    KARVAN_ORGANISER_NAME, else the translated default name)."""
    config = current_app.config
    locale = locale or "en"
    name = config.get(f"KARVAN_ORGANISER_NAME_{locale.upper()}") or config.get("KARVAN_ORGANISER_NAME")
    if not name:
        with force_locale(locale):
            name = _("Khorasan Razavi Chamber of Commerce")
    return IcsPerson(name, config["KARVAN_ORGANISER_EMAIL"], role="CHAIR")


def assign_uid(request: MeetingRequest) -> str:
    """Fix the request's iCalendar UID at its first publish: a random part (a re-seeded
    database never repeats one) and the installation's domain (KARVAN_DOMAIN)."""
    if not request.ical_uid:
        domain = current_app.config.get("KARVAN_DOMAIN") or "karvan.invalid"
        request.ical_uid = f"karvan-meeting-{request.id}-{secrets.token_hex(6)}@{domain}"
    return request.ical_uid


# --- ICS records --------------------------------------------------------------------------

def ics_record(event: Event, entry: Entry, locale: str, home_zone: str | None = None, *,
               sequence: int | None = None, status: str = "CONFIRMED") -> IcsMeeting:
    """The meeting's VEVENT content with every text in `locale` (times stay instants).

    The DESCRIPTION keeps to one digit system: Persian digits throughout for fa (date, clock
    times, UTC offsets, product titles and codes), ASCII digits otherwise; only the requester's
    own message is quoted as written."""
    with force_locale(locale):
        zone = event.timezone
        requester, target = entry.firms
        counterpart = entry.counterpart
        if counterpart is not None:
            summary = _("B2B meeting with %(firm)s", firm=counterpart.display_name(locale))
        else:
            summary = _("B2B meeting: %(first)s – %(second)s", first=requester.display_name(locale),
                        second=target.display_name(locale))
        start_text = _("%(time)s %(zone_time)s (%(offset)s)", time=format_clock(entry.start, zone, locale),
                       zone_time=zone_time(zone), offset=utc_offset_label(entry.start, zone, locale))
        lines = [join_parts([format_day(entry.start.astimezone(ZoneInfo(zone)).date(), locale), start_text], locale)]
        if differs(entry.start, zone, home_zone):
            lines.append(_("Your home time: %(time)s (%(zone)s)", time=format_clock(entry.start, home_zone, locale),
                           zone=zone_label(home_zone)))
        lines.append("")
        sides = [(requester, target), (target, requester)]
        if entry.own_firm is not None and entry.own_firm.id == target.id:
            sides.reverse()
        for firm, other in sides:
            lines.append(f"{firm.display_name(locale)} — {join_parts([firm.region.name(locale), city_name(firm, locale)], locale)}")
            offers = interest_titles(firm.capabilities, locale, other.needs)
            needs = interest_titles(firm.needs, locale, other.capabilities)
            if offers:
                lines.append("  " + _("Offers: %(items)s", items=join_list(offers, locale, groups=True)))
            if needs:
                lines.append("  " + _("Looks for: %(items)s", items=join_list(needs, locale, groups=True)))
            people = [p for p in meeting_people(entry.meeting) if p.firm_id == firm.id]
            if people:
                names = name_list([participant_name(p, locale) for p in people], locale)
                lines.append("  " + _("Attending: %(names)s", names=names))
        lines.append("")
        if entry.interpreter is not None:
            lines.append(_("Interpreter: %(name)s", name=interpreter_name(entry.interpreter, locale)))
        else:
            lines.append(_("Interpreter: none assigned"))
        if entry.meeting.request.message:
            lines.append(_("Reason for the meeting: %(text)s", text=entry.meeting.request.message))
        # Contacts stay private to their firm (as in the directory): the reader's side are
        # ATTENDEEs with their mailboxes; the other side is named in the DESCRIPTION only.
        own_side = entry.own_people if entry.own_firm is not None else meeting_people(entry.meeting)
        attendees = [IcsPerson(participant_name(p, locale), p.email) for p in own_side]
        return IcsMeeting(
            uid=entry.uid, sequence=entry.meeting.sequence if sequence is None else sequence,
            start=entry.start, end=entry.end, summary=summary, location=location_text(event, entry.table, locale),
            description=rtl_lines("\n".join(lines).strip(), locale), status=status, attendees=tuple(attendees), language=locale,
        )


def participant_calendar_name(participant: Participant, locale: str) -> str:
    with force_locale(locale):
        return _("Karvan meetings: %(name)s", name=participant_name(participant, locale))


def participant_feed(participant: Participant, locale: str, events: list[Event] | None = None,
                     now: datetime | None = None) -> bytes:
    """A person's meetings in the published versions of `events` (every round they meet in by
    default). Reads only the meetings of the person's firm, never a whole round."""
    records = []
    for event, meetings in _published(participant.firm_id and [participant.firm_id], events).items():
        records += [ics_record(event, e, locale, participant.home_timezone) for e in participant_entries(meetings, participant)]
    return meetings_ics(records, calendar_name=participant_calendar_name(participant, locale),
                        organiser=organiser(locale), now=now)


def delegation_feed(delegation: Delegation, locale: str, events: list[Event] | None = None,
                    now: datetime | None = None) -> bytes:
    """The delegation's meetings (every member's, each meeting once), each titled with the
    members who attend it, so the head's calendar tells whose meeting it is."""
    records: dict[str, IcsMeeting] = {}
    attending: dict[str, list[str]] = {}  # uid -> the members at that meeting
    home = delegation.region.timezone
    people = delegation_members(delegation)
    for event, meetings in _published({m.firm_id for m in people}, events).items():
        index = meetings_by_person(meetings)
        for member in people:
            for entry in participant_entries(meetings, member, index):
                records.setdefault(entry.uid, ics_record(event, entry, locale, home))
                attending.setdefault(entry.uid, []).append(participant_name(member, locale))
    with force_locale(locale):
        name = _("Karvan meetings: %(name)s", name=delegation.display_name(locale))
        titled = [replace(record, summary=_("%(people)s: %(meeting)s", people=join_list(attending[uid], locale),
                                            meeting=record.summary)) for uid, record in records.items()]
    return meetings_ics(titled, calendar_name=name, organiser=organiser(locale), now=now)


def _published(firm_ids, events: list[Event] | None) -> dict[Event, list[Meeting]]:
    """Per published round (only `events` when given), the meetings of `firm_ids`."""
    if not firm_ids:
        return {}
    if events is None:
        return published_meetings(firm_ids)
    found: dict[Event, list[Meeting]] = {}
    for event in events:
        found.update(published_meetings(firm_ids, event))
    return found


def delegation_locale(delegation: Delegation) -> str:
    """The delegation feed's default language: its head's, else by the region's country."""
    if delegation.head is not None:
        return recipient_locale(delegation.head)
    return {"IR": "fa", "RU": "ru"}.get(delegation.region.country, "en")


def single_meeting_ics(event: Event, entry: Entry, locale: str, home_zone: str | None, now: datetime | None = None) -> bytes:
    record = ics_record(event, entry, locale, home_zone)
    return meeting_ics(record, calendar_name=record.summary, organiser=organiser(locale), now=now)


def find_entry(event: Event, request_id: int, viewer_firm: Firm | None) -> Entry | None:
    """The published meeting of a request, seen from `viewer_firm` (neutral when None)."""
    version = published_version(event)
    if version is None:
        return None
    meeting = db.session.scalar(select(Meeting).where(Meeting.version_id == version.id, Meeting.request_id == request_id,
                                                       Meeting.cancelled_at.is_(None)))
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
    index = meetings_by_person(meetings)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for person_id in sorted(people):
        person = people[person_id]
        reader = locale or recipient_locale(person)
        entries = participant_entries(meetings, person, index)
        records = [ics_record(event, entry, reader, person.home_timezone) for entry in entries]
        if not records:  # nobody gets an empty calendar
            continue
        data = meetings_ics(records, calendar_name=participant_calendar_name(person, reader), organiser=organiser(reader),
                            now=now)
        (directory / f"p{person.id}.ics").write_bytes(data)
        written[f"p{person.id}"] = len(records)
    return written
