"""Dates as the reader sees them: a range across a year boundary names each end's year, in the
Gregorian and the Jalali calendars alike; a moment shows the date in the zone of display."""
from __future__ import annotations

from datetime import UTC, date, datetime

import jdatetime

from planner.text.i18n import format_day, format_day_range


def test_a_range_across_the_new_year_names_both_years(app):
    assert format_day_range(date(2026, 12, 29), date(2027, 1, 1), "en") == "29 Dec 2026 – 1 Jan 2027"
    assert format_day_range(date(2026, 11, 3), date(2026, 11, 5), "en") == "3 Nov – 5 Nov 2026"
    ru = format_day_range(date(2026, 12, 29), date(2027, 1, 1), "ru")
    assert "2026" in ru and "2027" in ru


def test_a_range_across_nowruz_names_both_jalali_years_and_one_gregorian(app):
    start, end = date(2027, 3, 19), date(2027, 3, 24)  # 28 Esfand 1405 – 3 Farvardin 1406
    assert (jdatetime.date.fromgregorian(date=start).year, jdatetime.date.fromgregorian(date=end).year) == (1405, 1406)
    text = format_day_range(start, end, "fa")
    jalali, gregorian = text.split(" (")
    assert "۱۴۰۵" in jalali and "۱۴۰۶" in jalali and jalali.index("۱۴۰۵") < jalali.index("۱۴۰۶")
    assert gregorian.count("۲۰۲۷") == 1  # one Gregorian year: named once, at the end
    across = format_day_range(date(2026, 12, 29), date(2027, 1, 1), "fa")
    jalali, gregorian = across.split(" (")
    assert jalali.count("۱۴۰۵") == 1 and "۲۰۲۶" in gregorian and "۲۰۲۷" in gregorian


def test_a_moment_shows_its_date_in_the_zone_of_display(app):
    moment = datetime(2026, 11, 8, 22, 0, tzinfo=UTC)  # 01:30 on 9 November in Tehran
    assert format_day(moment, "en", "medium") == "9 Nov 2026"
    assert format_day(moment, "en", "medium", zone="UTC") == "8 Nov 2026"
    assert format_day_range(moment, datetime(2026, 11, 10, 6, 0, tzinfo=UTC), "en") == "9 Nov – 10 Nov 2026"
    rendered = app.jinja_env.from_string("{{ moment|day(format='medium') }}").render(moment=moment)
    assert "9" in rendered and "8 Nov" not in rendered
