"""Input in the reader's script: every number, date and time field of every form takes
Persian and Arabic-Indic digits, Jalali dates and 24-hour times (planner/text/fields.py)."""
from __future__ import annotations

import ast
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from planner.extensions import db
from planner.models import Closure, Event, EventRegistration, EventSession, Exhibition, Firm
from planner.text.fields import parse_clock, parse_decimal_number, parse_local_date, parse_whole_number
from tests import factories
from tests.firms.test_firms_profile import profile_data

ROOT = Path(__file__).resolve().parent.parent.parent
RAW_FIELDS = {"IntegerField", "FloatField", "DecimalField", "DateField", "TimeField", "DateTimeField",
              "IntegerRangeField", "DecimalRangeField", "DateTimeLocalField", "MonthField"}


@pytest.mark.parametrize("typed, expected", [("۳۰", 30), ("٣٠", 30), (" 30 ", 30), ("1 800", 1800), ("۱٬۸۰۰", 1800),
                                             ("", None)])
def test_whole_numbers_in_any_digits(typed, expected):
    assert parse_whole_number(typed) == expected


@pytest.mark.parametrize("typed, expected", [("۲٫۵", 2.5), ("2,5", 2.5), ("2.5", 2.5), ("٢٫٥", 2.5), ("۳۰", 30.0)])
def test_decimals_with_either_mark(typed, expected):
    assert parse_decimal_number(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("۱۴۰۵/۰۸/۱۷", date(2026, 11, 8)), ("1405-8-17", date(2026, 11, 8)), ("١٤٠٥/٠٨/١٧", date(2026, 11, 8)),
    ("1403/12/30", date(2025, 3, 20)),  # Esfand 30 of a leap year
    ("2026-11-08", date(2026, 11, 8)), ("08.11.2026", date(2026, 11, 8)),
])
def test_dates_in_either_calendar(typed, expected):
    assert parse_local_date(typed) == expected


@pytest.mark.parametrize("typed", ["1404/12/30", "1405/13/01", "tomorrow", "2026-02-30"])
def test_impossible_dates_are_refused(typed):
    with pytest.raises(ValueError):
        parse_local_date(typed)


@pytest.mark.parametrize("typed, expected", [("۰۹:۳۰", time(9, 30)), ("9:30", time(9, 30)), ("9.30", time(9, 30)),
                                             ("0930", time(9, 30)), ("۱۴", time(14)), ("23:59", time(23, 59))])
def test_times_are_24_hour_in_any_digits(typed, expected):
    assert parse_clock(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "9:75", "9 am"])
def test_impossible_times_are_refused(typed):
    with pytest.raises(ValueError):
        parse_clock(typed)


def test_no_form_uses_a_field_that_drops_persian_digits():
    """The kind, not the instance: every form takes numbers, dates and times through
    planner/text/fields.py, never WTForms' own number/date/time fields."""
    offenders = []
    for path in (ROOT / "planner").rglob("*.py"):
        if path.name == "fields.py" and path.parent.name == "text":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wtforms"):
                offenders += [f"{path.relative_to(ROOT)}: {alias.name}" for alias in node.names if alias.name in RAW_FIELDS]
    templates = [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html")
                 if 'type="number"' in p.read_text(encoding="utf-8") or 'type="time"' in p.read_text(encoding="utf-8")]
    assert not offenders and not templates, (offenders, templates)


def _organiser(auth):
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def test_a_persian_organiser_sets_up_a_round_typing_persian_digits_and_jalali_dates(client, auth):
    _organiser(auth)
    form = client.get("/organiser/events/new?lang=fa").get_data(as_text=True)
    assert "data-jdp" in form and "jalalidatepicker.min.js" in form and 'type="date"' not in form
    response = client.post("/organiser/events/new?lang=fa", data={
        "slug": "payiz", "name_fa": "دور پاییز", "exhibition_id": "0",
        "start_date": "۱۴۰۵/۰۸/۲۱", "end_date": "۱۴۰۵/۰۸/۲۳", "slot_minutes": "۳۰", "break_minutes": "۵",
        "who_can_meet": "cross-region", "min_meetings": "۲", "max_meetings": "١٠", "request_mode": "mutual-accept"})
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(select(Event).where(Event.slug == "payiz"))
    assert (event.start_date, event.end_date) == (date(2026, 11, 12), date(2026, 11, 14))
    assert (event.slot_minutes, event.break_minutes, event.min_meetings, event.max_meetings) == (30, 5, 2, 10)

    settings = client.get(f"/organiser/events/{event.id}/settings?lang=fa").get_data(as_text=True)
    assert 'value="۱۴۰۵/۰۸/۲۱"' in settings and 'value="۳۰"' in settings, "shown back in Jalali and Persian digits"

    response = client.post(f"/organiser/events/{event.id}/sessions?lang=fa",
                           data={"day": "2026-11-12", "start": "۰۹:۰۰", "end": "۱۲:۳۰"})
    assert response.status_code == 302
    client.post(f"/organiser/events/{event.id}/tables?lang=fa", data={"count": "۱۲"})
    client.post(f"/organiser/events/{event.id}/closures?lang=fa",
                data={"day": "۱۴۰۵/۰۸/۲۳", "reason": "تعطیلی", "region_key": ""})
    registration = EventRegistration(event=event, firm=factories.make_firm("khorasan-razavi"))
    db.session.add(registration)
    db.session.commit()
    client.post(f"/organiser/events/{event.id}/registrations/{registration.id}?lang=fa",
                data={"min_meetings": "۳", "max_meetings": "٦"})
    db.session.expire_all()
    session = db.session.scalar(select(EventSession).where(EventSession.event_id == event.id))
    assert session is not None and len(session.slots) == 6, "09:00–12:30 in 30 + 5 minute steps"
    assert len(event.tables) == 12
    assert db.session.scalar(select(Closure.day).where(Closure.reason == "تعطیلی")) == date(2026, 11, 14)
    assert (registration.min_meetings, registration.max_meetings) == (3, 6)


def test_exhibition_dates_and_hours_in_persian(client, auth):
    _organiser(auth)
    response = client.post("/exhibitions/new?lang=fa", data={
        "key": "payiz-expo", "title_fa": "نمایشگاه", "title_ru": "Выставка", "title_en": "Expo", "venue": "Mashhad",
        "start_date": "۱۴۰۵/۰۸/۱۷", "end_date": "۱۴۰۵/۰۸/۲۰", "opening_time": "۱۰:۰۰", "closing_time": "۱۸:۳۰",
        "status": "planned", "halls": "", "sectors": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == "payiz-expo"))
    assert (exhibition.start_date, exhibition.end_date) == (date(2026, 11, 8), date(2026, 11, 11))
    assert (exhibition.opening_time, exhibition.closing_time) == (time(10), time(18, 30))


@pytest.mark.parametrize("lang, message", [("fa", "یک عدد صحیح"), ("ru", "целое число"), ("en", "whole number")])
def test_a_number_that_is_no_number_is_explained_and_nothing_is_lost(client, auth, lang, message):
    user = factories.make_user(email="new@firm.example")
    db.session.commit()
    auth.login(user.email)
    response = client.post(f"/firms/register?lang={lang}", data=profile_data(founded="سال ۹۹"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and "سال ۹۹" in html
    response = client.post(f"/firms/register?lang={lang}", data=profile_data(founded="۱۹۹۹"))
    assert response.status_code == 302
    assert db.session.scalar(select(Firm.founded)) == 1999


def test_month_view_in_persian_follows_jalali_months(app, client):
    db.session.add(Exhibition(key="aban-expo", title_fa="نمایشگاه آبان", title_ru="Выставка", title_en="Expo",
                              venue="Mashhad", start_date=date(2026, 11, 8), end_date=date(2026, 11, 11)))
    db.session.commit()
    html = client.get("/exhibitions/month/1405/8?lang=fa").get_data(as_text=True)
    assert "آبان ۱۴۰۵" in html and "نمایشگاه آبان" in html
    # Aban 1405 runs 23 October – 21 November 2026: its first and last days are in the month.
    assert html.count('role="gridcell"') - html.count('class="day other') == 30
    english = client.get("/exhibitions/month/1405/8?lang=en").get_data(as_text=True)
    assert "October 2026" in english, "a Jalali address in English shows the Gregorian month it starts in"
