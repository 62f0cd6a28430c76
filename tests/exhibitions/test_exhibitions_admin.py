"""Organisers edit the calendar in the browser: revisions, SEQUENCE, CSV upload, access."""
import io
from pathlib import Path

from sqlalchemy import func, select

from planner.exhibitions.services import import_exhibitions
from planner.extensions import db
from planner.models import Exhibition

ROOT = Path(__file__).resolve().parents[2]


def _organiser(make_user, auth):
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def _form(exhibition: Exhibition, **changes) -> dict:
    data = {
        "key": exhibition.key, "title_fa": exhibition.title_fa, "title_ru": exhibition.title_ru, "title_en": exhibition.title_en,
        "venue": exhibition.venue, "halls": "; ".join(exhibition.halls), "start_date": exhibition.start_date.isoformat(),
        "end_date": exhibition.end_date.isoformat(), "opening_time": "16:00", "closing_time": "21:00",
        "status": exhibition.status, "sectors": ";".join(s.code for s in exhibition.sectors), "note": "",
    }
    data.update(changes)
    return data


def test_postponing_a_show_records_a_revision_and_updates_the_feed(client, auth, app, make_user):
    import_exhibitions((ROOT / "data" / "exhibitions" / "mashhad-1405.csv").read_text(encoding="utf-8"))
    _organiser(make_user, auth)
    mining = db.session.scalar(select(Exhibition).where(Exhibition.key == "mining-1405"))
    response = client.post("/exhibitions/mining-1405/edit", data=_form(
        mining, start_date="2026-11-15", end_date="2026-11-18", status="postponed", note="moved by a week"))
    assert response.status_code == 302
    db.session.expire_all()
    mining = db.session.scalar(select(Exhibition).where(Exhibition.key == "mining-1405"))
    assert mining.status == "postponed" and mining.sequence == 1
    assert mining.revisions[-1].note == "moved by a week"
    html = client.get("/exhibitions/mining-1405?lang=en").get_data(as_text=True)
    assert "2026-11-08 → 2026-11-15" in html and "moved by a week" in html
    import icalendar

    feed = icalendar.Calendar.from_ical(client.get("/exhibitions.ics").data)
    event = next(e for e in feed.walk("VEVENT") if str(e["uid"]) == mining.uid)
    assert int(event["sequence"]) == 1 and str(event["dtstart"].to_ical().decode()) == "20261115"


def test_edit_rejects_bad_input_with_field_errors(client, auth, app, make_user):
    import_exhibitions((ROOT / "data" / "exhibitions" / "mashhad-1405.csv").read_text(encoding="utf-8"))
    _organiser(make_user, auth)
    mining = db.session.scalar(select(Exhibition).where(Exhibition.key == "mining-1405"))
    response = client.post("/exhibitions/mining-1405/edit?lang=ru",
                           data=_form(mining, end_date="2026-11-01", sectors="0710;9999"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "9999" in html and "field-error" in html
    db.session.expire_all()
    assert db.session.scalar(select(Exhibition).where(Exhibition.key == "mining-1405")).sequence == 0


def test_csv_upload_lists_every_problem_and_imports_nothing(client, auth, app, make_user):
    _organiser(make_user, auth)
    bad = (ROOT / "data" / "exhibitions" / "sample-bad.csv").read_bytes()
    response = client.post("/exhibitions/import?lang=en", data={"file": (io.BytesIO(bad), "bad.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in html and "9999" in html and "ends before it starts" in html
    assert db.session.scalar(select(func.count()).select_from(Exhibition)) == 0
    good = (ROOT / "data" / "exhibitions" / "mashhad-1405.csv").read_bytes()
    response = client.post("/exhibitions/import", data={"file": (io.BytesIO(good), "calendar.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Exhibition)) == 13


def test_only_organisers_edit_the_calendar(client, auth, app, make_user):
    import_exhibitions((ROOT / "data" / "exhibitions" / "mashhad-1405.csv").read_text(encoding="utf-8"))
    db.session.commit()
    assert client.get("/exhibitions/mining-1405/edit").status_code == 302  # to log-in
    make_user(email="firm@karvan.example")
    db.session.commit()
    auth.login("firm@karvan.example")
    assert client.get("/exhibitions/mining-1405/edit").status_code == 403
    assert client.get("/exhibitions/import").status_code == 403
