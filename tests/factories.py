"""Factories that build valid rows with sensible defaults; tests override what matters."""
from __future__ import annotations

import itertools
from datetime import date, time

from sqlalchemy import select

from planner.extensions import db
from planner.models import Capability, Event, Firm, Need, Participant, Region, User

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
    from planner.models import MeetingTable
    from planner.services.demo import build_sessions

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
