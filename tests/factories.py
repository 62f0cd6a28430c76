"""Factories that build valid rows with sensible defaults; tests override what matters."""
from __future__ import annotations

import itertools
from datetime import date, time

from sqlalchemy import select

from planner.extensions import db
from planner.models import Capability, Event, Firm, Need, Participant, Region, User, delegation_members

_counter = itertools.count(1)


def region(key: str) -> Region:
    return db.session.scalar(select(Region).where(Region.key == key))


def make_firm(region_key: str = "khorasan-razavi", *, name: str | None = None, languages=None,
              offers: list[str] = (), needs: list[str] = (), sectors: list[str] = (), public: bool = True,
              participants: int = 1, **fields) -> Firm:
    """A firm with coded offers/needs: 6/4/2-digit strings are HS codes, 'isic:2930' ISIC classes."""
    n = next(_counter)
    iranian = region(region_key).country == "IR"
    default_languages = ["fa", "en"] if iranian else ["ru", "en"]
    firm = Firm(
        name_native=name or (f"شرکت آزمایشی {n}" if iranian else f"Тестовая фирма {n}"),
        name_latin=fields.pop("name_latin", None) or (name if name and name.isascii() else f"Test Firm {n}"),
        region=region(region_key), city=fields.pop("city", "مشهد" if iranian else "Челябинск"),
        languages=list(languages or default_languages), public=public, **fields,
    )
    from planner.models import Sector

    firm.sectors = list(db.session.scalars(select(Sector).where(Sector.code.in_(list(sectors)))))
    for cls, codes, target in ((Capability, offers, firm.capabilities), (Need, needs, firm.needs)):
        for code in codes:
            if code.startswith("isic:"):
                target.append(cls(sector_code=code[5:]))
            else:
                target.append(cls(product_code=code))
    for index in range(participants):
        firm.participants.append(Participant(
            first_name=f"Person{n}", last_name=f"P{index}", email=f"person{n}.{index}@firm{n}.example",
            languages=list(firm.languages),
        ))
    db.session.add(firm)
    db.session.flush()
    return firm


def make_user(role: str = "firm_member", *, firm: Firm | None = None, email: str | None = None,
              password: str = "correct horse battery", locale: str | None = None) -> User:
    user = User(email=email or f"user{next(_counter)}@karvan.example", role=role, firm=firm, locale=locale,
                name=f"User {role}")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def make_event(slug: str | None = None, *, start: date = date(2026, 11, 8), end: date = date(2026, 11, 9),
               sessions: list[tuple[int, time, time]] = ((0, time(9), time(12)), (1, time(9), time(12))),
               tables: int = 4, **fields) -> Event:
    """An event with morning sessions cut into slots (25 min + 5 min break by default)."""
    from planner.demo.seed import build_sessions
    from planner.models import MeetingTable

    fields.setdefault("timezone", "Asia/Tehran")
    fields.setdefault("slot_minutes", 25)
    fields.setdefault("break_minutes", 5)
    fields.setdefault("who_can_meet", "cross-region")
    fields.setdefault("request_mode", "mutual-accept")
    fields.setdefault("min_meetings", 0)
    fields.setdefault("max_open_requests", 20)
    event = Event(slug=slug or f"event-{next(_counter)}", name={"en": "Test round", "fa": "دور آزمایشی", "ru": "Тестовый раунд"},
                  start_date=start, end_date=end, **fields)
    db.session.add(event)
    for day_index, begin, finish in sessions:
        from datetime import timedelta

        event.sessions.append(build_sessions(event, start + timedelta(days=day_index), begin, finish))
    for number in range(1, tables + 1):
        event.tables.append(MeetingTable(name=f"T{number:02d}", position=number))
    db.session.flush()
    return event


# --- published schedules (timetables, feeds, invites) ----------------------------------------

def make_meeting_request(event, requester: Firm, target: Firm, *, status: str = "accepted", message: str | None = None):
    """An accepted (by default) meeting request between two firms of `event`."""
    from planner.models import MeetingRequest

    request = MeetingRequest(event=event, requester_firm=requester, target_firm=target, status=status, message=message)
    db.session.add(request)
    db.session.flush()
    return request


make_request = make_meeting_request


def publish_meetings(event, placements, *, previous=None):
    """A published ScheduleVersion built directly, as the scheduler's publish would leave it.

    `placements`: dicts with request, slot, table and optionally interpreter and people (the
    participants; all of both firms when omitted). Like publishing, it supersedes `previous`,
    raises Meeting.sequence when time, place, interpreter or people changed (`timetables.changes`),
    fixes the request's UID at its first publish, and raises the request's
    ical_sequence, also for meetings taken out (their cancel outranks the last invitation).
    """
    from planner.models import Meeting, ScheduleVersion
    from planner.models.base import utcnow
    from planner.timetables.feeds import assign_uid

    before = {m.request_id: m for m in previous.meetings} if previous is not None else {}
    number = (previous.number + 1) if previous is not None else 1
    version = ScheduleVersion(event=event, number=number, status="published", based_on_id=previous.id if previous else None,
                              published_at=utcnow())
    db.session.add(version)
    for item in placements:
        request = item["request"]
        people = item.get("people")
        if people is None:
            people = list(request.requester_firm.participants) + list(request.target_firm.participants)
        old = before.get(request.id)
        interpreter = item.get("interpreter")
        if old is None:
            sequence = max(request.ical_sequence + 1, 0)
        elif ((old.slot_id, old.table_id, old.interpreter_id) != (item["slot"].id, item["table"].id,
                                                                  interpreter.id if interpreter else None)
              or sorted(p.id for p in old.participants) != sorted(p.id for p in people)):
            sequence = max(old.sequence, request.ical_sequence) + 1
        else:
            sequence = old.sequence
        request.ical_sequence = max(request.ical_sequence, sequence)
        assign_uid(request)
        version.meetings.append(Meeting(request=request, slot=item["slot"], table=item["table"],
                                        interpreter=item.get("interpreter"), participants=list(people), sequence=sequence))
    kept = {item["request"].id for item in placements}
    for request_id, old in before.items():
        if request_id not in kept:
            old.request.ical_sequence = max(old.request.ical_sequence, old.sequence) + 1
    if previous is not None:
        previous.status = "superseded"
    db.session.flush()
    return version


def event_slots(event) -> list:
    """Every slot of the event in time order."""
    from planner.models import EventSession, Slot

    db.session.flush()
    return list(db.session.scalars(select(Slot).join(EventSession).where(EventSession.event_id == event.id)
                                   .order_by(Slot.start_dt)))


def make_meeting_scenario(*, start: date = date(2026, 11, 8), persian_name: str = "صنایع فولاد توس", publish: bool = True):
    """An event with two Iranian and two Chelyabinsk firms (registered), an interpreter, three
    accepted requests and, unless `publish` is False, a first published version. Returns a
    dict of what a test needs ("placements" are the first version's)."""
    from planner.models import EventRegistration, Interpreter

    event = make_event(start=start, end=start, sessions=((0, time(9), time(12)),), tables=3, venue="Mashhad International Exhibition Center")
    event.tables[0].hall = "Hall 5"
    interpreter = Interpreter(name="مریم رضایی", name_latin="Maryam Rezaei", email="interp@karvan.example", languages=["fa", "ru"])
    event.interpreters.append(interpreter)
    toos = make_firm("khorasan-razavi", name=persian_name, name_latin="Toos Steel Industries", offers=["7208"], needs=["8474"], participants=2)
    sahand = make_firm("khorasan-razavi", offers=["0806"], needs=["7208"])
    ural = make_firm("chelyabinsk", name="Уралтрубсталь", name_latin="Uraltrubstal", offers=["8474"], needs=["7208"], languages=["ru", "en"])
    zlat = make_firm("chelyabinsk", languages=["ru", "en"], offers=["8430"], needs=["0806"])
    slots = event_slots(event)
    requests = {
        "toos-ural": make_meeting_request(event, ural, toos, message="Трубная заготовка"),
        "sahand-zlat": make_meeting_request(event, zlat, sahand),
        "toos-zlat": make_meeting_request(event, toos, zlat),
    }
    tables = event.tables
    for firm in (toos, sahand, ural, zlat):
        event.registrations.append(EventRegistration(firm=firm))
    placements = [
        {"request": requests["toos-ural"], "slot": slots[0], "table": tables[0], "interpreter": interpreter},
        {"request": requests["sahand-zlat"], "slot": slots[0], "table": tables[1]},
        {"request": requests["toos-zlat"], "slot": slots[2], "table": tables[0]},
    ]
    version = publish_meetings(event, placements) if publish else None
    return {"event": event, "version": version, "requests": requests, "slots": slots, "tables": tables,
            "interpreter": interpreter, "placements": placements,
            "firms": {"toos": toos, "sahand": sahand, "ural": ural, "zlat": zlat}}


def publish_demo_schedule(event):
    """A published version for the demo event when none exists: its accepted requests (or,
    when matching seeded none, delegation firms paired with Iranian firms) placed first-fit
    over slots and tables, nobody twice in a slot and only on the days they attend."""
    from zoneinfo import ZoneInfo

    from planner.models import Firm, MeetingRequest, Participant, ScheduleVersion

    existing = db.session.scalar(select(ScheduleVersion).where(ScheduleVersion.event_id == event.id,
                                                               ScheduleVersion.status == "published"))
    if existing is not None:
        return existing
    requests = list(db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id,
                                                                    MeetingRequest.status == "accepted")
                                       .order_by(MeetingRequest.id)))
    if not requests:
        visitors = list(db.session.scalars(select(Firm).join(Participant).join(delegation_members)
                                           .distinct().order_by(Firm.id)))
        hosts = [f for f in db.session.scalars(select(Firm).where(Firm.key.is_not(None)).order_by(Firm.id))
                 if f.region.country == "IR"]
        requests = [make_meeting_request(event, visitor, hosts[(index * 3 + k) % len(hosts)])
                    for index, visitor in enumerate(visitors) for k in range(3)]
    slots = event_slots(event)
    zone = ZoneInfo(event.timezone)
    busy: set[tuple[int, int]] = set()  # (firm id, slot id)
    table_use: set[tuple[int, int]] = set()  # (table id, slot id)
    placements = []
    for request in requests:
        pair = (request.requester_firm, request.target_firm)
        for slot in slots:
            day = slot.start_dt.astimezone(zone).date()
            if any((firm.id, slot.id) in busy for firm in pair):
                continue
            people = [p for firm in pair for p in firm.participants if p.attends(event.id, day)]
            if not all(any(p.firm_id == firm.id for p in people) for firm in pair):
                continue
            table = next((t for t in event.tables if (t.id, slot.id) not in table_use
                          and t.host_firm_id in (None, pair[0].id, pair[1].id)), None)
            if table is None:
                continue
            placements.append({"request": request, "slot": slot, "table": table, "people": people})
            busy |= {(firm.id, slot.id) for firm in pair}
            table_use.add((table.id, slot.id))
            break
    return publish_meetings(event, placements)
