"""Event setup: days blocked by Fridays, Iranian holidays and closures; sessions default to
mornings; tables, host tables, interpreters; delegation travel warnings; organiser pages."""
from __future__ import annotations

from datetime import date, time

import pytest

from planner.errors import ServiceError
from planner.events import resources
from planner.events import services as setup
from planner.extensions import db
from planner.models import Closure, Event, Exhibition
from tests.factories import make_event, make_firm, make_user


def test_create_event_from_an_exhibition_fills_dates_and_venue(any_app):
    exhibition = Exhibition(key="mining-test", title_fa="معدن", title_ru="Горное дело", title_en="Mining",
                            venue="Mashhad International Exhibition Center", start_date=date(2026, 11, 8),
                            end_date=date(2026, 11, 11), opening_time=time(11, 0))
    db.session.add(exhibition)
    event = setup.create_event(slug="Mining-B2B", name={"fa": "ملاقات", "en": "Mining B2B", "ru": ""}, exhibition=exhibition,
                               min_meetings=2, max_meetings=8)
    assert (event.slug, event.start_date, event.end_date) == ("mining-b2b", date(2026, 11, 8), date(2026, 11, 11))
    assert event.venue.startswith("Mashhad") and event.name == {"fa": "ملاقات", "en": "Mining B2B"}
    assert setup.default_session_hours(event) == (time(9), time(11)), "meetings end when the show opens"
    with pytest.raises(ServiceError) as error:
        setup.create_event(slug="mining-b2b", name={"fa": "x"}, exhibition=exhibition)
    assert error.value.field == "slug"
    with pytest.raises(ServiceError):
        setup.create_event(slug="bad-dates", name={"fa": "x"}, start_date=date(2026, 11, 9), end_date=date(2026, 11, 8))
    with pytest.raises(ServiceError):
        setup.create_event(slug="bad-bounds", name={"fa": "x"}, start_date=date(2026, 11, 9), end_date=date(2026, 11, 9),
                           min_meetings=5, max_meetings=2)


def test_fridays_holidays_and_closures_block_days_and_default_sessions_skip_them(any_app):
    # Wed 11 → Sat 14 November 2026: the 13th is Friday and the martyrdom of Fatima.
    event = setup.create_event(slug="week", name={"fa": "هفته"}, start_date=date(2026, 11, 11), end_date=date(2026, 11, 14))
    db.session.add(Closure(day=date(2026, 11, 14), region_key="khorasan-razavi", reason="Heat wave"))
    db.session.add(Closure(day=date(2026, 11, 12), region_key="tehran", reason="Elsewhere"))
    db.session.flush()
    plan = {info.day: info for info in setup.plan_days(event)}
    kinds = {day: {b.kind for b in info.blockers} for day, info in plan.items()}
    assert kinds[date(2026, 11, 13)] == {"friday", "holiday"}
    assert kinds[date(2026, 11, 14)] == {"closure"}
    assert kinds[date(2026, 11, 11)] == kinds[date(2026, 11, 12)] == set()
    created = setup.add_default_sessions(event)
    zone_days = sorted(s.start_dt.date() for s in created)
    assert zone_days == [date(2026, 11, 11), date(2026, 11, 12)]
    assert all(len(s.slots) == 7 for s in created), "09:00–12:30 holds seven 25-minute slots with 5-minute breaks"
    setup.set_day_open(event, date(2026, 11, 13), True)
    assert date(2026, 11, 13) in setup.usable_days(event)
    assert [s.start_dt.date() for s in setup.add_default_sessions(event)] == [date(2026, 11, 13)]
    with pytest.raises(ServiceError):
        setup.add_session(event, date(2026, 11, 13), time(9), time(10))  # overlaps


def test_tables_interpreters_and_bounds(any_app):
    event = make_event(tables=0)
    firm = make_firm("chelyabinsk")
    setup.register_firms(event, [firm])
    assert [t.name for t in resources.add_tables(event, 3)] == ["T01", "T02", "T03"]
    stand = resources.add_table(event, "Stand B-04", host_firm=firm)
    assert stand.host_firm_id == firm.id
    with pytest.raises(ServiceError):
        resources.add_table(event, "Stand B-05", host_firm=firm)
    with pytest.raises(ServiceError):
        resources.add_interpreter(event, "Elena", ["ru"])
    sessions = setup.event_sessions(event)
    interpreter = resources.add_interpreter(event, "Елена", ["fa", "ru"], unavailable_sessions=sessions[:1])
    assert len(interpreter.unavailable_slots) == len(sessions[0].slots)
    registration = event.registrations[0]
    setup.set_meeting_bounds(registration, 2, 6)
    assert (registration.min_meetings, registration.max_meetings) == (2, 6)
    with pytest.raises(ServiceError):
        setup.set_meeting_bounds(registration, 5, 3)


def test_delegation_travel_window_warning(any_app):
    from planner.models import Delegation
    from tests.factories import region

    event = make_event(start=date(2026, 11, 8), end=date(2026, 11, 9))
    firm = make_firm("chelyabinsk")
    delegation = Delegation(key="late", region=region("chelyabinsk"), name={"en": "Late group", "fa": "گروه دیر", "ru": "Поздняя группа"},
                            travel_start=date(2026, 11, 9), travel_end=date(2026, 11, 12))
    db.session.add(delegation)
    delegation.members.append(firm.participants[0])
    delegation.events.append(event)
    setup.register_firms(event, [firm])
    db.session.flush()
    from flask import current_app

    with current_app.test_request_context("/?lang=en"):
        warnings = setup.travel_warnings(event)
    assert len(warnings) == 1 and "Late group" in warnings[0]
    from planner.scheduling.translate import build_problem

    person = build_problem(event).problem.participants[0]
    day_one = {f"s{s.id}" for s in event.sessions[0].slots}
    assert person.unavailable == day_one, "the delegation is not there on the first day"
    # the same people in a round their visit does not attend: its window does not apply there
    other = make_event(start=date(2026, 12, 28), end=date(2026, 12, 29))
    setup.register_firms(other, [firm])
    db.session.flush()
    assert build_problem(other).problem.participants[0].unavailable == frozenset()


def _organiser(auth):
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def test_setup_pages_are_for_organisers_only(client, auth):
    event = make_event()
    make_user(email="member@karvan.example")
    db.session.commit()
    assert client.get("/organiser/events/").status_code == 302
    auth.login("member@karvan.example")
    assert client.get(f"/organiser/events/{event.id}").status_code == 403


def test_organiser_creates_and_sets_up_an_event(client, auth):
    _organiser(auth)
    response = client.post("/organiser/events/new?lang=en", data={
        "slug": "autumn-round", "name_fa": "دور پاییز", "name_ru": "Осенний раунд", "name_en": "Autumn round",
        "exhibition_id": "0", "start_date": "2026-11-12", "end_date": "2026-11-14", "slot_minutes": "25",
        "break_minutes": "5", "who_can_meet": "cross-region", "min_meetings": "1", "max_meetings": "8",
        "request_mode": "mutual-accept"})
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).where(Event.slug == "autumn-round"))
    html = client.get(f"/organiser/events/{event.id}?lang=en").get_data(as_text=True)
    assert "Friday, the weekly holiday" in html and "Public holiday" in html
    client.post(f"/organiser/events/{event.id}/sessions/default")
    assert {s.start_dt.date() for s in event.sessions} == {date(2026, 11, 12), date(2026, 11, 14)}
    client.post(f"/organiser/events/{event.id}/tables", data={"count": "5"})
    client.post(f"/organiser/events/{event.id}/interpreters", data={"name": "Елена", "languages": ["fa", "ru"]})
    client.post(f"/organiser/events/{event.id}/closures", data={"day": "2026-11-14", "reason": "Heat", "region_key": "khorasan-razavi"})
    db.session.expire_all()
    assert len(event.tables) == 5 and event.interpreters[0].languages == ["fa", "ru"]
    assert date(2026, 11, 14) not in setup.usable_days(event)
    html = client.get(f"/organiser/events/{event.id}?lang=fa").get_data(as_text=True)
    assert 'dir="rtl"' in html and "جمعه" in html
    response = client.post(f"/organiser/events/{event.id}/settings?lang=en", data={
        "slug": "autumn-round", "name_fa": "دور پاییز", "exhibition_id": "0", "start_date": "2026-11-10",
        "end_date": "2026-11-14", "slot_minutes": "25", "break_minutes": "5", "who_can_meet": "any",
        "min_meetings": "1", "request_mode": "mutual-accept"})
    assert "Delete the sessions before changing the dates" in response.get_data(as_text=True)


def test_organiser_sets_a_firms_own_meeting_bounds(client, auth):
    event = make_event(min_meetings=2, max_meetings=8)
    firm = make_firm("chelyabinsk")
    setup.register_firms(event, [firm])
    _organiser(auth)
    registration = event.registrations[0]
    response = client.post(f"/organiser/events/{event.id}/registrations/{registration.id}?lang=en",
                           data={"min_meetings": "1", "max_meetings": "4"}, follow_redirects=True)
    assert "Meeting bounds saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (registration.min_meetings, registration.max_meetings) == (1, 4)
    from planner.scheduling.translate import firm_bounds

    assert firm_bounds(event)[firm.id] == (1, 4)
    response = client.post(f"/organiser/events/{event.id}/registrations/{registration.id}?lang=en",
                           data={"min_meetings": "5", "max_meetings": "4"}, follow_redirects=True)
    assert "at least the minimum" in response.get_data(as_text=True)
    client.post(f"/organiser/events/{event.id}/registrations/{registration.id}", data={"min_meetings": "", "max_meetings": ""})
    db.session.expire_all()
    assert firm_bounds(event)[firm.id] == (2, 8)
