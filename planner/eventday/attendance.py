"""Who came: check-in at the desk, absences confirmed by the organiser or reported by the firm,
the people flagged as late, and finding a person by name in any script.

A person's day is one `DayPresence` row (present or absent) per round and day. Checking in twice
answers like once; a person confirmed absent who turns up after all is checked in (present
wins). Absence releases the person's remaining meetings of that day: the backfill
(`eventday.backfill`) re-plans the rest of the day without them.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.errors import ServiceError
from planner.eventday.passes import find_by_code, registered_people
from planner.extensions import db
from planner.models import DayPresence, Event, Participant
from planner.models.base import utcnow
from planner.models.enums import AttendanceStatus
from planner.text.i18n import _, local_today
from planner.text.scripts import ascii_digits
from planner.timetables.entries import Entry, participant_entries, published_version, version_meetings


def default_day(event: Event) -> date:
    """Today when the round is on, else its first day (before) or its last day (after)."""
    today = local_today()
    if event.start_date <= today <= event.end_date:
        return today
    return event.start_date if today < event.start_date else event.end_date


def _require_event_day(event: Event, day: date) -> None:
    if day not in event.days:
        raise ServiceError(_("This day is not one of the round's days."), "day")


def _require_registered(event: Event, participant: Participant) -> None:
    if participant.id not in {p.id for p in registered_people(event)}:
        raise ServiceError(_("This person's firm is not registered for this round."), "participant")


def attendance_of(event: Event, participant_id: int, day: date) -> DayPresence | None:
    return db.session.scalar(select(DayPresence).where(
        DayPresence.event_id == event.id, DayPresence.participant_id == participant_id, DayPresence.day == day))


def _record(event: Event, participant: Participant, day: date, status: AttendanceStatus,
            user_id: int | None) -> DayPresence:
    """Insert or update the person's row for the day; a concurrent insert of the same row is
    caught (savepoint) and turned into an update, so a double submit answers like one."""
    _require_event_day(event, day)
    _require_registered(event, participant)
    row = attendance_of(event, participant.id, day)
    if row is None:
        try:
            with db.session.begin_nested():
                row = DayPresence(event_id=event.id, participant_id=participant.id, day=day, status=status,
                                 recorded_by_id=user_id, recorded_at=utcnow())
                db.session.add(row)
        except IntegrityError:
            row = attendance_of(event, participant.id, day)
    if row.status != status:
        row.status, row.recorded_by_id, row.recorded_at = status, user_id, utcnow()
    db.session.flush()
    return row


def check_in(event: Event, participant: Participant, day: date, *, user_id: int | None = None) -> DayPresence:
    """Mark `participant` present at `event` on `day` (idempotent). ServiceError when the day is
    not one of the round's or the person's firm is not registered."""
    return _record(event, participant, day, AttendanceStatus.PRESENT, user_id)


def check_in_by_code(event: Event, code: str, day: date, *, user_id: int | None = None) -> DayPresence:
    """Check in the person whose pass carries `code`; ServiceError for an unknown code."""
    participant = find_by_code(event, code)
    if participant is None:
        raise ServiceError(_("No pass of this round has this code. Check the digits or search by name."), "code")
    return check_in(event, participant, day, user_id=user_id)


def mark_absent(event: Event, participant: Participant, day: date, *, user_id: int | None = None) -> DayPresence:
    """Confirm `participant` absent on `day`; their meetings of that day are released.
    Refused when they have already checked in that day."""
    row = attendance_of(event, participant.id, day)
    if row is not None and row.status == AttendanceStatus.PRESENT:
        raise ServiceError(_("This person has checked in today and cannot be marked absent."), "participant")
    return _record(event, participant, day, AttendanceStatus.ABSENT, user_id)


def absent_ids(event: Event, day: date) -> set[int]:
    """Participant ids confirmed absent on `day`."""
    return set(db.session.scalars(select(DayPresence.participant_id).where(
        DayPresence.event_id == event.id, DayPresence.day == day, DayPresence.status == AttendanceStatus.ABSENT)))


# --- the day at the desk ------------------------------------------------------------------

def day_entries(event: Event, participant: Participant, day: date, meetings=None) -> list[Entry]:
    """The person's meetings on `day` in the published schedule, in time order."""
    zone = ZoneInfo(event.timezone)
    if meetings is None:
        meetings = version_meetings(published_version(event))
    return [e for e in participant_entries(meetings, participant) if e.start.astimezone(zone).date() == day]


@dataclass
class PersonDay:
    """A person expected on a day: their first meeting and what the desk knows."""

    participant: Participant
    entries: list[Entry]
    status: str | None  # an AttendanceStatus value, or None when not seen yet
    flagged: bool = False

    @property
    def first_start(self) -> datetime | None:
        return self.entries[0].start if self.entries else None


@dataclass
class DeskDay:
    day: date
    people: list[PersonDay] = field(default_factory=list)

    @property
    def present(self) -> list[PersonDay]:
        return [p for p in self.people if p.status == AttendanceStatus.PRESENT]

    @property
    def absent(self) -> list[PersonDay]:
        return [p for p in self.people if p.status == AttendanceStatus.ABSENT]

    def checked_in(self) -> set[int]:
        """Participant ids checked in on the day."""
        return {p.participant.id for p in self.present}

    @property
    def flagged(self) -> list[PersonDay]:
        return [p for p in self.people if p.flagged]


def desk_day(event: Event, day: date, now: datetime | None = None) -> DeskDay:
    """Everyone with meetings on `day`, with their status; those not checked in
    `event.checkin_grace_minutes` before their first meeting (at `now`) are flagged."""
    now = now or utcnow()
    meetings = version_meetings(published_version(event))
    rows = {row.participant_id: row.status for row in db.session.scalars(
        select(DayPresence).where(DayPresence.event_id == event.id, DayPresence.day == day))}
    grace = timedelta(minutes=event.checkin_grace_minutes)
    result = DeskDay(day)
    for person in registered_people(event):
        entries = day_entries(event, person, day, meetings)
        if not entries:
            continue
        status = rows.get(person.id)
        result.people.append(PersonDay(person, entries, status,
                                       flagged=status is None and now >= entries[0].start - grace))
    result.people.sort(key=lambda p: (p.first_start, p.participant.id))
    return result


# --- finding people -----------------------------------------------------------------------

_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ё": "е", "\u200c": " ", "\u0640": None})


def fold(text: str | None) -> str:
    """Text as search compares it: case, Arabic/Persian letter forms, ё/е, diacritics, ZWNJ and
    digits of any script folded away."""
    text = unicodedata.normalize("NFKD", ascii_digits(text or "").casefold())
    text = "".join(char for char in text if not unicodedata.category(char).startswith("M"))
    return " ".join(text.translate(_FOLD).split())


def search_people(event: Event, query: str, limit: int = 20) -> list[Participant]:
    """Registered people whose name (either script), firm name or e-mail holds every word of
    `query`; the firm's name and the person's both count, so 'Uralpipe Kuz' finds Kuznetsov."""
    words = fold(query).split()
    if not words:
        return []
    found = []
    for person in registered_people(event):
        firm = person.firm
        haystack = fold(" ".join(filter(None, (person.full_name, person.full_name_latin, firm.name_native,
                                               firm.name_latin, person.email))))
        if all(word in haystack for word in words):
            found.append(person)
            if len(found) >= limit:
                break
    return found
