"""The demo data set behind `make run`: firms of both regions, a delegation, the event
`demo` on the mining exhibition's days, and an organiser account. Loading is idempotent:
rows are found by their natural keys and only missing ones are added."""
from __future__ import annotations

import json
import logging
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.demo.logins import DEMO_ORGANISER_EMAIL, DEMO_PASSWORD
from planner.demo.requests import seed_demo_requests
from planner.demo.schedule import seed_demo_schedule
from planner.events.attendance import set_attending_days
from planner.events.services import slot_times
from planner.exhibitions.services import import_exhibitions
from planner.extensions import db
from planner.models import (
    Capability,
    Delegation,
    Event,
    EventRegistration,
    EventSession,
    Exhibition,
    Firm,
    Interpreter,
    MeetingTable,
    Need,
    Participant,
    Product,
    Region,
    Sector,
    Slot,
    User,
)
from planner.models.enums import FirmSize, Role
from planner.taxonomy.reference import load_reference_data
from planner.timetables.entries import ensure_delegation_head_account

log = logging.getLogger(__name__)


def _load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _interest(cls, item: dict):
    code = item["code"]
    kwargs = {"note": item.get("note") or {}, "volume": item.get("volume"), "certification": item.get("certification")}
    if item["kind"] == "product":
        if db.session.get(Product, code) is None:
            raise ValueError(f"unknown HS code {code}")
        return cls(product_code=code, **kwargs)
    if db.session.get(Sector, code) is None:
        raise ValueError(f"unknown ISIC code {code}")
    return cls(sector_code=code, **kwargs)


def load_firms(records: list[dict]) -> int:
    regions = {region.key: region for region in db.session.scalars(select(Region))}
    existing = set(db.session.scalars(select(Firm.key).where(Firm.key.is_not(None))))
    added = 0
    for record in records:
        if record["key"] in existing:
            continue
        firm = Firm(
            key=record["key"], name_native=record["name_native"], name_latin=record["name_latin"],
            region=regions[record["region"]], city=record.get("city", ""), city_latin=record.get("city_latin"),
            website=record.get("website"), size=record.get("size", FirmSize.SMALL), founded=record.get("founded"),
            description=record.get("description") or {}, languages=record.get("languages") or [],
            public=record.get("public", True),
        )
        firm.sectors = list(db.session.scalars(select(Sector).where(Sector.code.in_(record.get("sectors", [])))))
        firm.capabilities = [_interest(Capability, item) for item in record.get("capabilities", [])]
        firm.needs = [_interest(Need, item) for item in record.get("needs", [])]
        for person in record.get("participants", []):
            firm.participants.append(Participant(
                first_name=person["first_name"], last_name=person["last_name"],
                first_name_latin=person.get("first_name_latin"), last_name_latin=person.get("last_name_latin"),
                role=person.get("role") or {}, email=person["email"], phone=person.get("phone"),
                languages=person.get("languages") or firm.languages,
            ))
        db.session.add(firm)
        added += 1
    db.session.flush()
    return added


def load_attendance(records: list[dict], event: Event) -> None:
    """The demo people's days in the demo round (`attending_days`: indexes of its days);
    a person who already has days for it keeps them."""
    days = event.days
    wanted = {person["email"]: person["attending_days"] for record in records
              for person in record.get("participants", []) if person.get("attending_days") is not None}
    for person in db.session.scalars(select(Participant).where(Participant.email.in_(wanted))):
        if not any(row.event_id == event.id for row in person.attendances):
            set_attending_days(person, event, [days[i] for i in wanted[person.email] if i < len(days)])


def load_delegation(record: dict) -> Delegation:
    delegation = db.session.scalar(select(Delegation).where(Delegation.key == record["key"]))
    if delegation is not None:
        return delegation
    region = db.session.scalar(select(Region).where(Region.key == record["region"]))
    delegation = Delegation(
        key=record["key"], region=region, name=record["name"],
        travel_start=date.fromisoformat(record["travel_start"]), travel_end=date.fromisoformat(record["travel_end"]),
    )
    db.session.add(delegation)
    db.session.flush()
    by_email = {p.email: p for p in db.session.scalars(select(Participant).where(Participant.email.in_(record["member_emails"] + [record["head_email"]])))}
    for email in record["member_emails"]:
        if email in by_email and by_email[email] not in delegation.members:
            delegation.members.append(by_email[email])
    head = by_email.get(record["head_email"])
    if head is not None:
        if head not in delegation.members:
            delegation.members.append(head)
        delegation.head = head
    db.session.flush()
    return delegation


def build_sessions(event: Event, day: date, start: time, end: time) -> EventSession:
    """A session on `day` from `start` to `end` (local to the event), cut into slots."""
    zone = ZoneInfo(event.timezone)
    start_dt = datetime.combine(day, start, zone)
    end_dt = datetime.combine(day, end, zone)
    session = EventSession(event=event, start_dt=start_dt, end_dt=end_dt)
    for first, last in slot_times(start_dt, end_dt, event.slot_minutes, event.break_minutes):
        session.slots.append(Slot(start_dt=first, end_dt=last))
    return session


def load_event(record: dict, interpreters: list[dict]) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == record["slug"]))
    if event is not None:
        return event
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == record.get("exhibition_key")))
    event = Event(
        slug=record["slug"], name=record["name"], exhibition=exhibition,
        start_date=date.fromisoformat(record["start_date"]), end_date=date.fromisoformat(record["end_date"]),
        timezone=record.get("timezone", "Asia/Tehran"), venue=exhibition.venue if exhibition else None,
        slot_minutes=record.get("slot_minutes", 25), break_minutes=record.get("break_minutes", 5),
        who_can_meet=record.get("who_can_meet", "cross-region"), min_meetings=record.get("min_meetings", 0),
        max_meetings=record.get("max_meetings"), request_mode=record.get("request_mode", "mutual-accept"),
    )
    db.session.add(event)
    days = event.days
    for spec in record.get("sessions", []):
        event.sessions.append(build_sessions(event, days[spec["day"]], time.fromisoformat(spec["start"]), time.fromisoformat(spec["end"])))
    hosts = {host["firm_key"]: host["name"] for host in record.get("host_tables", [])}
    host_firms = {firm.key: firm for firm in db.session.scalars(select(Firm).where(Firm.key.in_(hosts)))}
    position = 0
    for firm_key, name in hosts.items():
        if firm_key in host_firms:
            position += 1
            event.tables.append(MeetingTable(name=name, position=position, host_firm=host_firms[firm_key]))
    for number in range(1, record.get("tables", 10) + 1):
        position += 1
        event.tables.append(MeetingTable(name=f"T{number:02d}", position=position))
    for item in interpreters:
        event.interpreters.append(Interpreter(name=item["name"], name_latin=item.get("name_latin"),
                                              email=item.get("email"), languages=item["languages"]))
    for firm in db.session.scalars(select(Firm).where(Firm.key.is_not(None))):
        event.registrations.append(EventRegistration(firm=firm))
    db.session.flush()
    return event


def ensure_demo_organiser() -> User:
    user = db.session.scalar(select(User).where(User.email == DEMO_ORGANISER_EMAIL))
    if user is None:
        user = User(email=DEMO_ORGANISER_EMAIL, role=Role.ORGANISER, name="Demo organiser", locale="fa")
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def seed_demo(data_dir: Path) -> dict[str, int]:
    """Load reference data, the 1405 calendar and the demo set; adds only what is missing."""
    counts = load_reference_data(data_dir)
    if db.session.scalar(select(Exhibition.id).limit(1)) is None:
        report = import_exhibitions((data_dir / "exhibitions" / "mashhad-1405.csv").read_text(encoding="utf-8"))
        if not report.ok:
            raise ValueError("; ".join(str(error) for error in report.errors))
        counts["exhibitions"] = report.created
    demo_dir = data_dir / "demo"
    event_record = _load_json(demo_dir / "event.json")
    delegation_record = _load_json(demo_dir / "delegation.json")
    firm_records = _load_json(demo_dir / "firms.json")
    counts["firms"] = load_firms(firm_records)
    delegation = load_delegation(delegation_record)
    event = load_event(event_record, delegation_record.get("interpreters", []))
    if not delegation.attends(event.id):
        delegation.events.append(event)
        names = {item["name"] for item in delegation_record.get("interpreters", [])}
        delegation.interpreters = [item for item in event.interpreters if item.name in names]
    load_attendance(firm_records, event)
    ensure_demo_organiser()
    # Later stages of the demo (each owned by its feature) append their call here, in order:
    # meeting requests (matching), then a solved and published schedule (scheduling).

    counts.update(seed_demo_requests())

    counts.update(seed_demo_schedule())

    ensure_delegation_head_account(db.session.scalar(select(Delegation).where(Delegation.key == delegation_record["key"])),
                                   DEMO_PASSWORD)
    db.session.flush()
    return counts
