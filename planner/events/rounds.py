"""A round's life cycle beyond its first setup: a new round from another's setup on an
exhibition's days. Functions flush; the view or command commits."""
from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.errors import ServiceError
from planner.events.services import add_session, create_event, event_sessions, usable_days
from planner.extensions import db
from planner.models import Event, Exhibition, Interpreter, MeetingTable
from planner.text.i18n import _


def suggest_round(exhibition: Exhibition) -> tuple[str, dict[str, str]]:
    """A free short name for a new round on `exhibition` ("energy-1405-b2b", then "-2", "-3"…)
    and its names in fa, ru and en (the exhibition's titles)."""
    base = f"{exhibition.key}-b2b"[:76]
    taken = set(db.session.scalars(select(Event.slug).where(Event.slug.startswith(base))))
    slug = base if base not in taken else next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)
    return slug, {locale: exhibition.title(locale) for locale in ("fa", "ru", "en")}


def _session_times(source: Event) -> tuple[dict[int, list[tuple]], list[tuple]]:
    """The source's sessions as local (start, end, name) by weekday, and the most common
    day's pattern (for weekdays the source did not have)."""
    zone = ZoneInfo(source.timezone)
    by_weekday: dict[int, list[tuple]] = {}
    by_day: dict = {}
    for session in event_sessions(source):
        start, end = session.start_dt.astimezone(zone), session.end_dt.astimezone(zone)
        pattern = (start.time(), end.time(), session.name)
        by_weekday.setdefault(start.weekday(), [])
        if pattern not in by_weekday[start.weekday()]:
            by_weekday[start.weekday()].append(pattern)
        by_day.setdefault(start.date(), []).append(pattern)
    common = Counter(tuple(patterns) for patterns in by_day.values()).most_common(1)
    return by_weekday, list(common[0][0]) if common else []


def clone_event(source: Event, slug: str, exhibition: Exhibition, name: dict[str, str] | None = None) -> Event:
    """A new round `slug` on `exhibition`'s days with `source`'s setup: its rules (slot and
    break length, who may meet whom, request mode, meeting bounds, suggestions, approval of
    firms), sessions
    by weekday and local time (a weekday the source did not have gets the source's usual
    day; blocked days get none), tables with their host firms, and interpreters (their
    languages; availability is per slot, so it starts free). Registrations, requests and
    schedules are not copied, nor the registration deadline (it belongs to the dates). `name`
    ({lang: text}) defaults to the exhibition's titles. ServiceError when the slug is taken."""
    if source.exhibition_id == exhibition.id and source.start_date == exhibition.start_date:
        raise ServiceError(_("Choose another exhibition: this round is already on its days."), "exhibition")
    name = {locale: (name or {}).get(locale) or exhibition.title(locale) for locale in ("fa", "ru", "en")}
    event = create_event(slug=slug, name=name, exhibition=exhibition, timezone=source.timezone,
                         slot_minutes=source.slot_minutes, break_minutes=source.break_minutes,
                         who_can_meet=source.who_can_meet, min_meetings=source.min_meetings,
                         max_meetings=source.max_meetings, request_mode=source.request_mode,
                         suggest_for_shortfall=source.suggest_for_shortfall)
    event.max_open_requests, event.region_key = source.max_open_requests, source.region_key
    event.approve_firms = source.approve_firms
    by_weekday, usual = _session_times(source)
    usable = usable_days(event)
    for day in event.days:
        if day not in usable:
            continue
        for start, end, session_name in by_weekday.get(day.weekday(), usual):
            add_session(event, day, start, end, session_name)
    for table in source.tables:
        event.tables.append(MeetingTable(name=table.name, position=table.position, hall=table.hall,
                                         host_firm_id=table.host_firm_id))
    for interpreter in source.interpreters:
        event.interpreters.append(Interpreter(name=interpreter.name, name_latin=interpreter.name_latin,
                                              email=interpreter.email, languages=list(interpreter.languages)))
    db.session.flush()
    return event
