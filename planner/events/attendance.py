"""Who attends which days of a round: a person's registration for that round
(`Attendance`). Every writer (the firm's profile, the organiser's attendance page, the
import) goes through `set_attending_days`, which touches only the round it is given.
Functions flush; the caller commits."""
from __future__ import annotations

from datetime import date

from planner.extensions import db
from planner.models import Attendance, Event, Participant


def normalised_days(event: Event, days) -> list[str] | None:
    """The ISO days of `days` (dates or ISO strings) that belong to `event`, sorted; None
    (every day) when they cover every day of the round or when `days` is None."""
    if days is None:
        return None
    wanted = {day.isoformat() if isinstance(day, date) else str(day) for day in days}
    own = [day.isoformat() for day in event.days]
    chosen = [day for day in own if day in wanted]
    return None if chosen == own else chosen


def set_attending_days(person: Participant, event: Event, days) -> Attendance | None:
    """Store the days `person` attends `event` (None: every day; [] none). Other rounds'
    days stay as they are. Returns the row (None when there is none and none is needed)."""
    value = normalised_days(event, days)
    row = next((row for row in person.attendances if row.event_id == event.id or row.event is event), None)
    if row is None:
        if value is None:
            return None
        row = Attendance(event=event, days=value)
        person.attendances.append(row)
    else:
        row.days = value
    db.session.flush()
    return row
