"""iCalendar bytes, built by pure functions (no database, no request).

Exhibitions are all-day entries (VALUE=DATE, DTEND exclusive), which need no zone at all.
Meeting feeds and invites live beside them in this module.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from icalendar import Calendar, Event as VEvent

PRODID = "-//Karvan//B2B planner//EN"


def new_calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def exhibitions_ics(exhibitions, locale: str, calendar_name: str, now: datetime | None = None) -> bytes:
    """One all-day VEVENT per exhibition; cancelled shows stay in the feed as CANCELLED."""
    stamp = now or datetime.now(timezone.utc)
    cal = new_calendar(calendar_name)
    for exhibition in exhibitions:
        event = VEvent()
        event.add("uid", exhibition.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", exhibition.sequence or 0)
        event.add("summary", exhibition.title(locale))
        event.add("dtstart", exhibition.start_date)
        event.add("dtend", exhibition.end_date + timedelta(days=1))
        location = exhibition.venue
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
        event.add("status", {"cancelled": "CANCELLED", "confirmed": "CONFIRMED"}.get(exhibition.status, "TENTATIVE"))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
