"""Replaying captured e-mails into one calendar per recipient, as a calendar client applies
iTIP (RFC 5546): a REQUEST adds or updates its UID when its SEQUENCE is not older, a CANCEL
removes it. Checks on the way that every message has at most one calendar part, whose METHOD
matches its Content-Type and whose VEVENTs share one UID."""
from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage

from icalendar import Calendar


def calendar_parts(message: EmailMessage) -> list:
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def check_message(message: EmailMessage) -> tuple[str, list] | None:
    """(METHOD, VEVENTs) of the message's one calendar part, or None when it has none."""
    parts = calendar_parts(message)
    assert len(parts) <= 1, f"{len(parts)} calendar parts in one message"
    if not parts:
        return None
    part = parts[0]
    assert part.get_content_disposition() != "attachment", "the calendar part travels inline"
    cal = Calendar.from_ical(part.get_payload(decode=True))
    method = str(cal["METHOD"])
    assert part.get_param("method") == method, "Content-Type method differs from METHOD"
    vevents = cal.walk("VEVENT")
    assert vevents and len({str(v["UID"]) for v in vevents}) == 1, "an iTIP message carries one UID"
    if method == "PUBLISH":
        assert all("ATTENDEE" not in v for v in vevents)
    return method, vevents


class Replay:
    """{recipient: {uid: (sequence, start, end)}} built from messages in order."""

    def __init__(self):
        self.calendars: dict[str, dict[str, tuple[int, object, object]]] = {}

    def apply(self, recipient: str, message: EmailMessage) -> None:
        found = check_message(message)
        calendar = self.calendars.setdefault(recipient.lower(), {})
        if found is None:
            return
        method, vevents = found
        for vevent in vevents:
            uid, sequence = str(vevent["UID"]), int(vevent.get("SEQUENCE", 0))
            held = calendar.get(uid)
            if held is not None and held[0] > sequence:
                continue  # an older message arriving late changes nothing
            if method == "REQUEST":
                calendar[uid] = (sequence, vevent.decoded("DTSTART"), vevent.decoded("DTEND"))
            elif method == "CANCEL":
                attendees = vevent.get("ATTENDEE") or []
                attendees = attendees if isinstance(attendees, list) else [attendees]
                whole = vevent.get("STATUS") == "CANCELLED"
                named = any(str(a).lower() == f"mailto:{recipient.lower()}" for a in attendees)
                assert whole or named, "a CANCEL either cancels the meeting or names who leaves it"
                calendar.pop(uid, None)

    def apply_raw(self, recipient: str, raw: bytes) -> None:
        self.apply(recipient, email.message_from_bytes(raw, policy=policy.default))

    def meetings(self, recipient: str) -> dict[str, tuple[object, object]]:
        return {uid: (start, end) for uid, (_seq, start, end) in self.calendars.get(recipient.lower(), {}).items()}


def published_by_email(event) -> dict[str, dict[str, tuple[object, object]]]:
    """What every person with a mailbox has in the published timetable: {email: {uid: (start, end)}}."""
    from planner.timetables.entries import meeting_people, published_version, version_meetings

    result: dict[str, dict[str, tuple[object, object]]] = {}
    for meeting in version_meetings(published_version(event)):
        for person in meeting_people(meeting):
            if person.email:
                result.setdefault(person.email.lower(), {})[meeting.uid] = (meeting.slot.start_dt, meeting.slot.end_dt)
    return result
