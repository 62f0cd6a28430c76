"""Exhibition calendar: CSV import (all or nothing), revisions, pages and the ICS feed."""
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import func, select

from planner.exhibitions.services import import_exhibitions
from planner.extensions import db
from planner.models import Exhibition

ROOT = Path(__file__).resolve().parents[2]
CALENDAR = (ROOT / "data" / "exhibitions" / "mashhad-1405.csv").read_text(encoding="utf-8")
HEADER = CALENDAR.splitlines()[0]


def _row(key="test-1405", start="2026-11-08", end="2026-11-11", start_j="1405-08-17", end_j="1405-08-20",
         sectors="0710;2410", status="planned"):
    return (f'{key},نمایشگاه آزمایشی,Тестовая выставка,Test show,Mashhad International Exhibition Center,'
            f'نمایشگاه بین‌المللی مشهد,Международный выставочный центр Мешхеда,Hall A;Hall B,{start_j},{end_j},{start},{end},16:00,21:00,{sectors},{status},illustrative,none')


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Exhibition))


def test_shipped_calendar_imports(any_app):
    report = import_exhibitions(CALENDAR)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 13 == _count()
    mining = db.session.scalar(select(Exhibition).where(Exhibition.key == "mining-1405"))
    assert (mining.start_date, mining.end_date) == (date(2026, 11, 8), date(2026, 11, 11))
    assert {"0710", "2410"} <= {s.code for s in mining.sectors}


@pytest.mark.parametrize("row, column, fragment", [
    (_row(start="2026-13-01"), "start_date", "is not a date"),
    (_row(sectors="0710;9999"), "sectors", "9999"),
    (_row(end="2026-11-01", end_j="1405-08-10"), "end_date", "ends before it starts"),
    (_row(start_j="1405-08-18"), "start_jalali", "2026-11-09"),
    (_row(status="maybe"), "status", "maybe"),
])
def test_bad_rows_are_reported_with_line_and_column(any_app, row, column, fragment):
    text = "\n".join([HEADER, _row(key="good-1405"), row]) + "\n"
    report = import_exhibitions(text)
    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert any(e.line == 3 and e.column == column and fragment in e.message for e in report.errors), messages
    assert _count() == 0, "nothing is half-imported"


def test_duplicate_rows_are_reported(any_app):
    report = import_exhibitions("\n".join([HEADER, _row(), _row()]))
    assert [(e.line, e.column) for e in report.errors] == [(3, "key")]
    assert "line 2" in report.errors[0].message or "2" in report.errors[0].message
    assert _count() == 0


def test_missing_columns_are_reported(any_app):
    report = import_exhibitions("key,title_en\nx,y\n")
    assert not report.ok and "start_date" in report.errors[0].message


def test_reimport_records_revision_and_raises_sequence(any_app):
    assert import_exhibitions("\n".join([HEADER, _row()])).created == 1
    again = import_exhibitions("\n".join([HEADER, _row()]))
    assert again.unchanged == 1
    moved = import_exhibitions("\n".join([HEADER, _row(start="2026-11-09", start_j="1405-08-18", status="postponed")]))
    assert moved.updated == 1
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == "test-1405"))
    assert exhibition.sequence == 1
    assert exhibition.revisions[-1].changes["start_date"] == ["2026-11-08", "2026-11-09"]
    assert exhibition.revisions[-1].changes["status"] == ["planned", "postponed"]


def test_cli_import_reports_errors_in_russian_and_changes_nothing(any_app, tmp_path, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text((ROOT / "data" / "exhibitions" / "sample-bad.csv").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("KARVAN_LOCALE", "ru")
    result = any_app.test_cli_runner().invoke(args=["import-exhibitions", str(bad)])
    assert result.exit_code == 1
    assert "строка 2" in result.output and "строка 5" in result.output
    assert _count() == 0


def test_feed_holds_every_exhibition_with_the_right_dates(client, app):
    import_exhibitions(CALENDAR)
    db.session.commit()
    response = client.get("/exhibitions.ics?lang=ru")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    rows = db.session.scalars(select(Exhibition)).all()
    assert len(events) == len(rows) == 13
    for exhibition in rows:
        event = events[exhibition.uid]
        assert event.decoded("dtstart") == exhibition.start_date
        assert event.decoded("dtend") == exhibition.end_date + timedelta(days=1), "DTEND is exclusive"
        assert str(event["summary"]) == exhibition.title_ru


def test_pages_render_in_each_language(client, app):
    import_exhibitions(CALENDAR)
    db.session.commit()
    fa = client.get("/exhibitions/mining-1405?lang=fa").get_data(as_text=True)
    assert "۱۷ آبان" in fa and "۲۰ آبان ۱۴۰۵" in fa, "Jalali dates on Persian pages"
    ru = client.get("/exhibitions/?lang=ru").get_data(as_text=True)
    assert "8 нояб" in ru
    month = client.get("/exhibitions/month/2026/11?lang=en").get_data(as_text=True)
    assert "Mining" in month and "November 2026" in month
    filtered = client.get("/exhibitions/?lang=en&sector=01").get_data(as_text=True)
    assert "Livestock" in filtered and "Mining, Mineral" not in filtered
    assert client.get("/exhibitions/no-such-show").status_code == 404


def test_venue_is_shown_in_the_readers_language(client, app):
    import_exhibitions(CALENDAR)
    db.session.commit()
    assert "نمایشگاه بین‌المللی مشهد" in client.get("/exhibitions/mining-1405?lang=fa").get_data(as_text=True)
    ru = client.get("/exhibitions/mining-1405?lang=ru").get_data(as_text=True)
    assert "Международный выставочный центр Мешхеда" in ru
    assert "illustrative" not in ru.lower() or "none" not in ru, "the source note is for organisers only"
    feed = icalendar.Calendar.from_ical(client.get("/exhibitions.ics?lang=ru").data)
    assert all("Мешхед" in str(e["location"]) for e in feed.walk("VEVENT"))
