"""Event setup: days (Fridays, Iranian public holidays and closures blocked by default),
delegation travel windows, sessions cut into slots, tables, interpreters, who may meet
and the meeting bounds. Functions flush; the view or command commits."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import selectinload

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import (
    Closure,
    Delegation,
    Event,
    EventRegistration,
    EventSession,
    Exhibition,
    Firm,
    Meeting,
    ScheduleVersion,
    Slot,
    delegation_events,
)
from planner.models.events import REQUEST_MODES, WHO_CAN_MEET, interpreter_unavailable
from planner.signals import facts_changed
from planner.text.i18n import _, current_locale, format_day
from planner.urls import parse_database_int

FRIDAY = 4
DEFAULT_SESSION = (time(9, 0), time(12, 30))  # mornings: Mashhad shows open in the afternoon


@dataclass(frozen=True)
class Blocker:
    kind: str  # "friday" | "holiday" | "closure"
    label: str


@dataclass
class DayInfo:
    day: date
    blockers: list[Blocker] = field(default_factory=list)
    opened: bool = False  # the organiser opened it despite the blockers
    sessions: list[EventSession] = field(default_factory=list)
    absent_delegations: list[Delegation] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.blockers) and not self.opened

    @property
    def usable(self) -> bool:
        return not self.blocked


def event_sessions(event: Event) -> list[EventSession]:
    """The event's sessions in time order, each once (a list relationship may repeat a row
    appended twice before a flush)."""
    return sorted(dict.fromkeys(event.sessions), key=lambda s: s.start_dt)


@lru_cache(maxsize=32)
def _country_holidays(country: str, year: int, language: str) -> dict[date, str]:
    try:
        return dict(holidays.country_holidays(country, years=[year], language=language))
    except NotImplementedError:  # a country the library does not know has no holidays we can block
        return {}


def public_holidays(country: str, day: date, locale: str | None = None) -> str | None:
    """The holiday's name on `day` in `country` (in the reader's language where the library has it), or None."""
    native = {"IR": "fa_IR", "RU": "ru"}.get(country)
    language = native if native and (locale or "en") == native[:2] else "en_US"
    return _country_holidays(country, day.year, language).get(day)


def blockers_for(event: Event, days: list[date], locale: str | None = None) -> dict[date, list[Blocker]]:
    """Why each day is blocked: Friday, an Iranian public holiday, a closure of the venue's province."""
    locale = locale or current_locale()
    closures: dict[date, list[Closure]] = {}
    if days:
        rows = db.session.scalars(select(Closure).where(Closure.day.between(min(days), max(days))))
        for closure in rows:
            if closure.region_key in (None, "", event.region_key):
                closures.setdefault(closure.day, []).append(closure)
    result: dict[date, list[Blocker]] = {}
    for day in days:
        found = []
        if day.weekday() == FRIDAY:
            found.append(Blocker("friday", _("Friday, the weekly holiday")))
        name = public_holidays("IR", day, locale)
        if name:
            found.append(Blocker("holiday", _("Public holiday: %(name)s", name=name)))
        for closure in closures.get(day, []):
            found.append(Blocker("closure", _("Closure: %(reason)s", reason=closure.reason)))
        if found:
            result[day] = found
    return result


def usable_days(event: Event) -> set[date]:
    """Days on which meetings may be scheduled: not blocked, or opened by the organiser."""
    days = event.days
    blocked = blockers_for(event, days)
    opened = set(event.open_days or [])
    return {day for day in days if day not in blocked or day.isoformat() in opened}


def event_delegations(event: Event) -> list[Delegation]:
    """The visits (delegations) that attend the round: their travel windows apply to it."""
    stmt = (select(Delegation).join(delegation_events, delegation_events.c.delegation_id == Delegation.id)
            .where(delegation_events.c.event_id == event.id).order_by(Delegation.id))
    return list(db.session.scalars(stmt))


def plan_days(event: Event) -> list[DayInfo]:
    """Every day of the event with its blockers, sessions and the delegations away that day."""
    days = event.days
    blocked = blockers_for(event, days)
    opened = set(event.open_days or [])
    zone = ZoneInfo(event.timezone)
    by_day: dict[date, list[EventSession]] = {}
    for session in event_sessions(event):
        by_day.setdefault(session.start_dt.astimezone(zone).date(), []).append(session)
    delegations = event_delegations(event)
    plan = []
    for day in days:
        away = [d for d in delegations if d.away_on(day)]
        plan.append(DayInfo(day, blocked.get(day, []), day.isoformat() in opened, by_day.get(day, []), away))
    return plan


def travel_warnings(event: Event) -> list[str]:
    """Translated warnings for delegations whose travel window misses a day with sessions."""
    warnings = []
    locale = current_locale()

    for info in plan_days(event):
        if not info.sessions or not info.usable:
            continue
        for delegation in info.absent_delegations:
            warnings.append(_("%(delegation)s is not in Mashhad on %(day)s (travel window %(start)s – %(end)s).",
                              delegation=delegation.display_name(locale), day=format_day(info.day, locale, "medium"),
                              start=format_day(delegation.travel_start, locale, "medium") if delegation.travel_start else "…",
                              end=format_day(delegation.travel_end, locale, "medium") if delegation.travel_end else "…"))
    return warnings


# --- the event itself -----------------------------------------------------------------------

def _check_settings(start: date, end: date, who_can_meet: str, request_mode: str, min_meetings: int,
                    max_meetings: int | None, slot_minutes: int, break_minutes: int) -> None:
    if end < start:
        raise ServiceError(_("The last day is before the first day."), "end_date")
    if (end - start).days > 30:
        raise ServiceError(_("An event lasts at most 31 days."), "end_date")
    if who_can_meet not in WHO_CAN_MEET:
        raise ServiceError(_("Unknown choice."), "who_can_meet")
    if request_mode not in REQUEST_MODES:
        raise ServiceError(_("Unknown choice."), "request_mode")
    if min_meetings < 0 or (max_meetings is not None and max_meetings < max(1, min_meetings)):
        raise ServiceError(_("The maximum must be at least the minimum and at least 1."), "max_meetings")
    if not 5 <= slot_minutes <= 240 or not 0 <= break_minutes <= 120:
        raise ServiceError(_("Slots last 5 to 240 minutes, breaks 0 to 120."), "slot_minutes")


def create_event(*, slug: str, name: dict[str, str], exhibition: Exhibition | None = None,
                 start_date: date | None = None, end_date: date | None = None, timezone: str = "Asia/Tehran",
                 venue: str | None = None, slot_minutes: int = 25, break_minutes: int = 5,
                 who_can_meet: str = "cross-region", min_meetings: int = 0, max_meetings: int | None = None,
                 request_mode: str = "mutual-accept", suggest_for_shortfall: bool = False) -> Event:
    """A new event; an exhibition fills in the dates and the venue."""
    slug = slug.strip().lower()
    if db.session.scalar(select(Event.id).where(Event.slug == slug)) is not None:
        raise ServiceError(_("This short name is already used by another event."), "slug")
    if exhibition is not None:
        start_date = start_date or exhibition.start_date
        end_date = end_date or exhibition.end_date
        venue = venue or exhibition.venue
    if start_date is None or end_date is None:
        raise ServiceError(_("Choose an exhibition or give the first and last day."), "start_date")
    _check_settings(start_date, end_date, who_can_meet, request_mode, min_meetings, max_meetings, slot_minutes, break_minutes)
    event = Event(slug=slug, name={k: v for k, v in name.items() if v}, exhibition=exhibition, start_date=start_date,
                  end_date=end_date, timezone=timezone, venue=venue, slot_minutes=slot_minutes,
                  break_minutes=break_minutes, who_can_meet=who_can_meet, min_meetings=min_meetings,
                  max_meetings=max_meetings, request_mode=request_mode, suggest_for_shortfall=suggest_for_shortfall,
                  open_days=[])
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, **fields) -> Event:
    """Change settings; dates and slot lengths cannot change once sessions exist."""
    merged = {key: fields.get(key, getattr(event, key)) for key in (
        "start_date", "end_date", "who_can_meet", "request_mode", "min_meetings", "max_meetings",
        "slot_minutes", "break_minutes")}
    _check_settings(merged["start_date"], merged["end_date"], merged["who_can_meet"], merged["request_mode"],
                    merged["min_meetings"], merged["max_meetings"], merged["slot_minutes"], merged["break_minutes"])
    def changes(*keys: str) -> bool:
        return bool(event.sessions) and any(key in fields and fields[key] != getattr(event, key) for key in keys)

    if changes("start_date", "end_date"):
        raise ServiceError(_("Delete the sessions before changing the dates."), "start_date")
    if changes("slot_minutes", "break_minutes"):  # re-cut with a preview: scheduling.recut
        raise ServiceError(_("A new slot length re-cuts the sessions; review it on its preview first."), "slot_minutes")
    for key, value in fields.items():
        if key == "name":
            value = {k: v for k, v in value.items() if v}
        setattr(event, key, value)
    db.session.flush()
    return event


def set_day_open(event: Event, day: date, opened: bool) -> None:
    """Open a blocked day (or block it again)."""
    days = set(event.open_days or [])
    (days.add if opened else days.discard)(day.isoformat())
    event.open_days = sorted(days)
    db.session.flush()
    facts_changed(event.id)


# --- sessions and slots ---------------------------------------------------------------------

def default_session_hours(event: Event) -> tuple[time, time]:
    """Mornings, ending at the show's opening when it opens before 12:30."""
    start, end = DEFAULT_SESSION
    opening = event.exhibition.opening_time if event.exhibition else None
    if opening is not None and time(10, 0) <= opening < end:
        end = opening
    return start, end


def slot_times(start_dt: datetime, end_dt: datetime, slot_minutes: int, break_minutes: int) -> list[tuple[datetime, datetime]]:
    """How a session is cut: (start, end) of each slot of `slot_minutes` from `start_dt`, a
    break of `break_minutes` after each, as many as end by `end_dt`. The one home of the cut."""
    step, gap = timedelta(minutes=slot_minutes), timedelta(minutes=break_minutes)
    times, cursor = [], start_dt
    while cursor + step <= end_dt:
        times.append((cursor, cursor + step))
        cursor += step + gap
    return times


def _slots_used(slot_ids) -> bool:
    if not slot_ids:
        return False
    return db.session.scalar(select(func.count(Meeting.id)).where(Meeting.slot_id.in_(slot_ids))) > 0


def add_session(event: Event, day: date, start: time, end: time, name: str | None = None) -> EventSession:
    """A session on `day` from `start` to `end` (the event's local time) cut into slots and breaks."""
    if day not in event.days:
        raise ServiceError(_("The day is not part of the event."), "day")
    zone = ZoneInfo(event.timezone)
    start_dt, end_dt = datetime.combine(day, start, zone), datetime.combine(day, end, zone)
    step = timedelta(minutes=event.slot_minutes)
    if end_dt <= start_dt:
        raise ServiceError(_("The session ends before it starts; check the two times."), "end")
    if end_dt - start_dt < step:
        raise ServiceError(_("The session is shorter than one slot."), "end")
    for other in event_sessions(event):
        if other.start_dt < end_dt and start_dt < other.end_dt:
            raise ServiceError(_("The session overlaps another session."), "start")
    session = EventSession(name=name or None, start_dt=start_dt, end_dt=end_dt)
    for first, last in slot_times(start_dt, end_dt, event.slot_minutes, event.break_minutes):
        session.slots.append(Slot(start_dt=first, end_dt=last))
    event.sessions.append(session)
    db.session.flush()
    return session


def add_default_sessions(event: Event) -> list[EventSession]:
    """One morning session on every usable day that has none yet."""
    start, end = default_session_hours(event)
    created = []
    for info in plan_days(event):
        if info.usable and not info.sessions:
            created.append(add_session(event, info.day, start, end))
    return created


def delete_session(session: EventSession) -> None:
    """Delete a session and its slots; refused while a meeting of any version names one of
    them (retired slots included)."""
    slot_ids = list(db.session.scalars(select(Slot.id).where(Slot.session_id == session.id)))
    if _slots_used(slot_ids):
        raise ServiceError(_("Meetings are scheduled in this session; it cannot be deleted."))
    if slot_ids:  # the links go with the slots, also where the database does not cascade (SQLite)
        db.session.execute(delete(interpreter_unavailable).where(interpreter_unavailable.c.slot_id.in_(slot_ids)))
    session.event.sessions.remove(session)
    db.session.flush()


# --- closures, registrations (tables and interpreters: planner.events.resources) ------------


def add_closure(day: date, reason: str, region_key: str | None = None, event: Event | None = None) -> Closure:
    """A short-notice closure (e.g. a heat-wave holiday in the province); blocks that day.
    Added from a round's page, it must fall on one of the round's days."""
    if event is not None and day not in event.days:
        raise ServiceError(_("The day is not part of the event."), "day")
    if not reason.strip():
        raise ServiceError(_("Say why the day is closed."), "reason")
    closure = Closure(day=day, reason=reason.strip(), region_key=region_key or None)
    db.session.add(closure)
    db.session.flush()
    facts_changed(None)
    return closure


def delete_closure(closure: Closure) -> None:
    db.session.delete(closure)
    db.session.flush()


def register_firms(event: Event, firms: list[Firm]) -> int:
    known = {registration.firm_id for registration in event.registrations}
    added = 0
    for firm in firms:
        if firm.id not in known:
            event.registrations.append(EventRegistration(firm=firm))
            known.add(firm.id)
            added += 1
    db.session.flush()
    return added


def registrations_query(event: Event) -> Select:
    """The event's registrations with their firms (and regions, for the name in the reader's
    script), ordered by the firm's Latin name: the organiser's list, read a page at a time."""
    return (select(EventRegistration).join(Firm, Firm.id == EventRegistration.firm_id)
            .where(EventRegistration.event_id == event.id).order_by(Firm.name_latin, EventRegistration.id)
            .options(selectinload(EventRegistration.firm).selectinload(Firm.region)))


def set_meeting_bounds(registration: EventRegistration, minimum: int | None, maximum: int | None) -> None:
    """A firm's own minimum and maximum number of meetings (None: the event's)."""
    if minimum is not None and minimum < 0 or maximum is not None and maximum < max(1, minimum or 0):
        raise ServiceError(_("The maximum must be at least the minimum and at least 1."), "max_meetings")
    registration.min_meetings, registration.max_meetings = minimum, maximum
    db.session.flush()


def has_schedule(event: Event) -> bool:
    return db.session.scalar(select(func.count(ScheduleVersion.id)).where(ScheduleVersion.event_id == event.id)) > 0


def find_event(key: str) -> Event | None:
    """An event by its id or its slug."""
    if parse_database_int(key) is not None:
        event = db.session.get(Event, parse_database_int(key))
        if event is not None:
            return event
    return db.session.scalar(select(Event).where(Event.slug == key))
